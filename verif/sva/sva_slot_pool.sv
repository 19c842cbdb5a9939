// Checker of the request-table slot allocator (cpl_slot_pool ports): keeps
// its own busy map. A slot is handed out only while free (request slots
// below REQ_SLOTS only while req_free_cnt > 0, engine slots above it only
// while evt_avail); a slot is handed back (its completion written, one record
// of 1..4 slots per handshake) only while busy, and the slots of a record are
// distinct; req_free_cnt never exceeds the free request slots and equals
// them once no record has come back for as long as the pool needs to drain
// its record queue (FREE_RECS records of up to 4 slots, one slot a cycle).
`default_nettype none

module sva_slot_pool #(
    parameter int REQ_SLOTS = 256,
    parameter int EVT_SLOTS = 32,
    parameter int SW = 9,
    parameter int FREE_RECS = 8
) (
    input wire            clk,
    input wire            rst,
    input wire            req_alloc,
    input wire [SW-1:0]   req_slot,
    input wire [SW:0]     req_free_cnt,
    input wire            evt_alloc,
    input wire [SW-1:0]   evt_slot,
    input wire            evt_avail,
    input wire            s_free_valid,
    input wire            s_free_ready,
    input wire [2:0]      s_free_n,
    input wire [4*SW-1:0] s_free_slots
);
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  localparam int DRAIN = 4 * FREE_RECS + 2;
  logic [TBL-1:0] busy_q;
  logic [SW:0]    free_req_q;
  logic [2:0]     req_freed;
  logic           take;        // a record handed back this cycle
  logic [7:0]     quiet_q;     // cycles since the last record (saturating)

  assign take = s_free_valid && s_free_ready;
  always_comb begin : b_req_freed
    int k;
    req_freed = '0;
    for (k = 0; k < 4; k++)
      if (take && k < 32'(s_free_n) && 32'(s_free_slots[k*SW +: SW]) < REQ_SLOTS) req_freed = req_freed + 3'd1;
  end

  always_ff @(posedge clk) begin : p_busy
    int k;
    if (rst) begin
      busy_q <= '0;
      free_req_q <= (SW + 1)'(REQ_SLOTS);
      quiet_q <= 8'(DRAIN);
    end else begin
      for (k = 0; k < 4; k++)
        if (take && k < 32'(s_free_n) && 32'(s_free_slots[k*SW +: SW]) < TBL)
          busy_q[s_free_slots[k*SW +: SW]] <= 1'b0;
      if (req_alloc && 32'(req_slot) < TBL) busy_q[req_slot] <= 1'b1;
      if (evt_alloc && 32'(evt_slot) < TBL) busy_q[evt_slot] <= 1'b1;
      free_req_q <= free_req_q + (SW + 1)'(req_freed) - (SW + 1)'(req_alloc);
      if (take) quiet_q <= '0;
      else if (32'(quiet_q) < DRAIN) quiet_q <= quiet_q + 8'd1;
    end
  end

  a_req_alloc_free : assert property (@(posedge clk) disable iff (rst)
      req_alloc |-> req_free_cnt != '0 && 32'(req_slot) < REQ_SLOTS && !busy_q[req_slot])
    else $error("SVA slot pool: request slot %0d handed out while busy or none free", req_slot);
  a_evt_alloc_free : assert property (@(posedge clk) disable iff (rst)
      evt_alloc |-> evt_avail && 32'(evt_slot) >= REQ_SLOTS && 32'(evt_slot) < TBL && !busy_q[evt_slot])
    else $error("SVA slot pool: engine slot %0d handed out while busy or none free", evt_slot);
  a_free_count : assert property (@(posedge clk) disable iff (rst)
      req_free_cnt <= free_req_q && (32'(quiet_q) < DRAIN || req_free_cnt == free_req_q))
    else $error("SVA slot pool: req_free_cnt %0d, %0d request slots free", req_free_cnt, free_req_q);
  a_record_size : assert property (@(posedge clk) disable iff (rst)
      take |-> s_free_n >= 3'd1 && s_free_n <= 3'd4)
    else $error("SVA slot pool: record of %0d slots handed back", s_free_n);

  for (genvar k = 0; k < 4; k++) begin : g_lane
    a_free_busy : assert property (@(posedge clk) disable iff (rst)
        take && k < 32'(s_free_n) |-> 32'(s_free_slots[k*SW +: SW]) < TBL && busy_q[s_free_slots[k*SW +: SW]])
      else $error("SVA slot pool: completion freed slot %0d, which is not in use", s_free_slots[k*SW +: SW]);
    for (genvar j = k + 1; j < 4; j++) begin : g_pair
      a_free_distinct : assert property (@(posedge clk) disable iff (rst)
          take && j < 32'(s_free_n) |-> s_free_slots[k*SW +: SW] != s_free_slots[j*SW +: SW])
        else $error("SVA slot pool: slot %0d freed twice in one cycle", s_free_slots[k*SW +: SW]);
    end
  end
endmodule

`default_nettype wire
