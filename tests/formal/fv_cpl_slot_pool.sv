// Formal properties of cpl_slot_pool: from reset, for every sequence of
// allocations (a request slot only while req_free_cnt > 0, as the SQ
// fetcher reserves them; an engine slot whenever asked) and of returned
// records (1 to 4 distinct slots, each one handed out and not yet returned,
// as the CQ writer returns a burst):
// - a request slot handed out is one of the first REQ_SLOTS and is not held
//   (handed out and not handed back); an engine slot is one of the other
//   EVT_SLOTS and is not held: no slot is ever handed out twice;
// - req_free_cnt never counts more request slots than are not held, and
//   evt_avail is only high while some engine slot is not held.
`default_nettype none

module fv_cpl_slot_pool #(
    parameter int REQ_SLOTS = 16,
    parameter int EVT_SLOTS = 2,
    parameter int SW = 5,
    parameter int FREE_RECS = 2
) (
    input wire          clk,
    input wire          rst,
    input wire          req_alloc,
    input wire          evt_alloc,
    input wire          s_free_valid,
    input wire [2:0]    s_free_n,
    input wire [4*SW-1:0] s_free_slots
);
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  logic [SW-1:0] req_slot, evt_slot;
  logic [SW:0]   req_free_cnt;
  logic          evt_avail, s_free_ready;

  cpl_slot_pool #(.REQ_SLOTS(REQ_SLOTS), .EVT_SLOTS(EVT_SLOTS), .SW(SW), .FREE_RECS(FREE_RECS)) dut (
      .clk, .rst, .req_alloc, .req_slot, .req_free_cnt, .evt_alloc, .evt_slot, .evt_avail,
      .s_free_valid, .s_free_ready, .s_free_n, .s_free_slots);

  logic [TBL-1:0] held = '0;       // handed out, not handed back
  logic [SW:0]    held_req = '0;    // ... of the request slots
  logic [SW:0]    held_evt = '0;    // ... of the engine slots
  logic           past_valid = 1'b0;

  function automatic logic [SW-1:0] rec_slot(input int k);
    rec_slot = s_free_slots[k*SW +: SW];
  endfunction

  logic in_rec [4];   // slot k is part of the offered record
  always_comb begin : b_env
    int k, j;
    for (k = 0; k < 4; k++) in_rec[k] = s_free_valid && k < 32'(s_free_n);
    if (!past_valid) assume (rst);
    if (req_alloc) assume (req_free_cnt != '0);
    if (s_free_valid) assume (s_free_n >= 3'd1 && s_free_n <= 3'd4);
    for (k = 0; k < 4; k++) begin
      assume (!in_rec[k] || (32'(rec_slot(k)) < TBL && held[rec_slot(k)]));
      for (j = 0; j < k; j++) assume (!in_rec[k] || rec_slot(j) != rec_slot(k));
    end
  end

  always_ff @(posedge clk) begin : p_ref
    int k;
    logic [TBL-1:0] held_l;
    logic [2:0] back_req_l, back_evt_l;   // slots of the taken record, by part
    held_l = held;
    back_req_l = '0;
    back_evt_l = '0;
    past_valid <= 1'b1;
    if (rst) begin
      held_l = '0;
      held_req <= '0;
      held_evt <= '0;
    end else begin
      for (k = 0; k < 4; k++) begin
        if (s_free_ready && in_rec[k]) begin
          held_l[rec_slot(k)] = 1'b0;
          if (32'(rec_slot(k)) < REQ_SLOTS) back_req_l = back_req_l + 3'd1;
          else back_evt_l = back_evt_l + 3'd1;
        end
      end
      if (req_alloc) held_l[req_slot] = 1'b1;
      if (evt_alloc && evt_avail) held_l[evt_slot] = 1'b1;
      held_req <= held_req + (SW + 1)'(req_alloc) - (SW + 1)'(back_req_l);
      held_evt <= held_evt + (SW + 1)'(evt_alloc && evt_avail) - (SW + 1)'(back_evt_l);
    end
    held <= held_l;
  end

  always_comb begin : b_props
    if (past_valid && !rst) begin
      a_free_cnt: assert (32'(req_free_cnt) + 32'(held_req) <= REQ_SLOTS);
      a_evt_avail: assert (!evt_avail || 32'(held_evt) < EVT_SLOTS);
      if (req_alloc) begin
        a_req_range: assert (32'(req_slot) < REQ_SLOTS);
        a_req_free: assert (!held[req_slot]);
      end
      if (evt_alloc && evt_avail) begin
        a_evt_range: assert (32'(evt_slot) >= REQ_SLOTS && 32'(evt_slot) < TBL);
        a_evt_free: assert (!held[evt_slot]);
      end
    end
  end
endmodule

`default_nettype wire
