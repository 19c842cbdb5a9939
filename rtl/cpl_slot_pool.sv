// Request-table slot allocator: two free lists (FIFOs of slot numbers), one
// for the REQ_SLOTS slots of fetched requests and one for the EVT_SLOTS slots
// of descriptors the engine creates itself (RX_INDICATE, EVT_FIN, EVT_RST,
// TERMINATE_DONE), so engine events progress even when requests fill their
// part of the table. After reset each list hands out its never-used slots in
// order from a counter, then the slots that came back, oldest first.
// Slots come back a burst at a time (the CQ writer, after the descriptor
// burst's write response): up to 4 slots in one record; records wait in a
// small queue and are drained one slot per cycle into their free list.
// Interfaces: req_alloc takes req_slot and must only be raised while
// req_free_cnt > 0; evt_alloc takes evt_slot while evt_avail (ignored
// otherwise); s_free_* hands back one record (valid/ready).
// Invariant: a slot is never handed out twice before it is handed back.
`default_nettype none

module cpl_slot_pool #(
    parameter int REQ_SLOTS = 256,
    parameter int EVT_SLOTS = 32,
    parameter int SW = 9,
    parameter int FREE_RECS = 8
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               req_alloc,
    output logic [SW-1:0]     req_slot,
    output logic [SW:0]       req_free_cnt,
    input  wire               evt_alloc,
    output logic [SW-1:0]     evt_slot,
    output logic              evt_avail,
    input  wire               s_free_valid,
    output logic              s_free_ready,
    input  wire  [2:0]        s_free_n,      // 1..4 slots in the record
    input  wire  [4*SW-1:0]   s_free_slots   // slot k at [k*SW +: SW]
);
`include "rtl/cpl_check.svh"
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  localparam int RW = $clog2(REQ_SLOTS);
  localparam int EW = EVT_SLOTS > 1 ? $clog2(EVT_SLOTS) : 1;
  localparam int FW = $clog2(FREE_RECS);
  `CPL_CHECK(REQ_SLOTS >= 16 && EVT_SLOTS >= 1 && (1 << SW) >= TBL && FREE_RECS >= 2 &&
             (1 << FW) == FREE_RECS, g_param_check)

  // ------------------------------------------------------------ returned records
  logic [FW:0]     rec_wr_q, rec_rd_q;
  logic [1:0]      drain_idx_q;        // next slot of the oldest record
  logic            rec_any;
  logic [SW-1:0]   drain_slot;
  logic            drain_last;

  // The memories below read registered (cpl_ram): each read address is the
  // next cycle's pointer, so the data of a cycle is the entry its pointer
  // names, a write of the cycle before included.
  logic [FW:0]     rec_rd_next;
  logic [4*SW+2:0] rec_rdata;
  cpl_ram #(.DEPTH(FREE_RECS), .AW(FW), .WIDTH(4 * SW + 3)) u_recs (
      .clk, .we(s_free_valid && s_free_ready), .waddr(rec_wr_q[FW-1:0]),
      .wdata({s_free_n, s_free_slots}), .raddr(rec_rd_next[FW-1:0]), .rdata(rec_rdata));

  always_comb begin : b_drain
    logic [2:0] n_l;
    logic [4*SW-1:0] slots_l;
    rec_any = rec_wr_q != rec_rd_q;
    n_l = rec_rdata[4*SW +: 3];
    slots_l = rec_rdata[4*SW-1:0];
    drain_slot = slots_l[32'(drain_idx_q) * SW +: SW];
    drain_last = {1'b0, drain_idx_q} == n_l - 3'd1;
    // not full (as in cpl_fifo: an equality with the wrap bit inverted)
    s_free_ready = rec_wr_q != {~rec_rd_q[FW], rec_rd_q[FW-1:0]};
  end

  // ------------------------------------------------------------ free lists
  logic          drain_req, drain_evt;
  assign drain_req = rec_any && 32'(drain_slot) < REQ_SLOTS;
  assign drain_evt = rec_any && 32'(drain_slot) >= REQ_SLOTS;

  // request slots: never-used slots from a counter, then the list
  logic [RW:0]   rq_fresh_q;            // never-used slots handed out so far
  logic [RW-1:0] rq_wr_q, rq_rd_q;
  logic [SW:0]   req_free_q;

  // engine slots, the same way
  logic [EW:0]   eq_fresh_q;
  logic [EW-1:0] eq_wr_q, eq_rd_q;
  logic [EW:0]   eq_cnt_q;              // slots on the list

  logic rq_fresh_any, eq_fresh_any, evt_take;
  always_comb begin : b_alloc
    rq_fresh_any = 32'(rq_fresh_q) < REQ_SLOTS;
    eq_fresh_any = 32'(eq_fresh_q) < EVT_SLOTS;
    req_slot = rq_fresh_any ? SW'(rq_fresh_q) : rq_head;
    evt_slot = eq_fresh_any ? SW'(32'(eq_fresh_q) + REQ_SLOTS) : eq_head;
    evt_avail = eq_fresh_any || eq_cnt_q != '0;
    req_free_cnt = req_free_q;
  end
  assign evt_take = evt_alloc && evt_avail;

  function automatic logic [RW-1:0] rq_next(input logic [RW-1:0] p);
    rq_next = 32'(p) == REQ_SLOTS - 1 ? '0 : p + 1'b1;
  endfunction
  function automatic logic [EW-1:0] eq_next(input logic [EW-1:0] p);
    eq_next = 32'(p) == EVT_SLOTS - 1 ? '0 : p + 1'b1;
  endfunction

  // the lists' next read pointers (and the record queue's), for the
  // registered reads
  logic [RW-1:0] rq_rd_next;
  logic [EW-1:0] eq_rd_next;
  always_comb begin : b_read_next
    logic [RW-1:0] rq_rd_next_l;
    logic [EW-1:0] eq_rd_next_l;
    logic [FW:0]   rec_rd_next_l;
    rq_rd_next_l = rq_rd_q;
    if (rst) rq_rd_next_l = '0;
    else if (req_alloc && !rq_fresh_any) rq_rd_next_l = rq_next(rq_rd_q);
    eq_rd_next_l = eq_rd_q;
    if (rst) eq_rd_next_l = '0;
    else if (evt_take && !eq_fresh_any) eq_rd_next_l = eq_next(eq_rd_q);
    rec_rd_next_l = rec_rd_q;
    if (rst) rec_rd_next_l = '0;
    else if (rec_any && drain_last) rec_rd_next_l = rec_rd_q + 1'b1;
    rq_rd_next = rq_rd_next_l;
    eq_rd_next = eq_rd_next_l;
    rec_rd_next = rec_rd_next_l;
  end

  logic [SW-1:0] rq_head, eq_head;   // the oldest slot on each list
  cpl_ram #(.DEPTH(REQ_SLOTS), .AW(RW), .WIDTH(SW)) u_rq (
      .clk, .we(drain_req), .waddr(rq_wr_q), .wdata(drain_slot), .raddr(rq_rd_next),
      .rdata(rq_head));
  cpl_ram #(.DEPTH(EVT_SLOTS >= 2 ? EVT_SLOTS : 2), .AW(EW), .WIDTH(SW)) u_eq (
      .clk, .we(drain_evt), .waddr(eq_wr_q), .wdata(drain_slot), .raddr(eq_rd_next),
      .rdata(eq_head));

  always_ff @(posedge clk) begin : p_state
    logic [EW:0] eq_cnt_l;   // the count after this cycle's drain
    eq_cnt_l = '0;
    if (rst) begin
      rec_wr_q <= '0;
      rec_rd_q <= '0;
      drain_idx_q <= '0;
      rq_fresh_q <= '0;
      rq_wr_q <= '0;
      rq_rd_q <= '0;
      req_free_q <= (SW + 1)'(REQ_SLOTS);
      eq_fresh_q <= '0;
      eq_wr_q <= '0;
      eq_rd_q <= '0;
      eq_cnt_q <= '0;
    end else begin
      if (s_free_valid && s_free_ready) rec_wr_q <= rec_wr_q + 1'b1;
      if (rec_any) begin
        drain_idx_q <= drain_last ? 2'd0 : drain_idx_q + 2'd1;
        if (drain_last) rec_rd_q <= rec_rd_next;
      end
      if (drain_req) rq_wr_q <= rq_next(rq_wr_q);
      if (req_alloc) begin
        if (rq_fresh_any) rq_fresh_q <= rq_fresh_q + 1'b1;
        else rq_rd_q <= rq_rd_next;
      end
      req_free_q <= req_free_q + (SW + 1)'(drain_req) - (SW + 1)'(req_alloc);
      if (drain_evt) eq_wr_q <= eq_next(eq_wr_q);
      if (evt_take) begin
        if (eq_fresh_any) eq_fresh_q <= eq_fresh_q + 1'b1;
        else eq_rd_q <= eq_rd_next;
      end
      // (both counts formed before the matcher's take, which only picks one)
      eq_cnt_l = eq_cnt_q + (EW + 1)'(drain_evt);
      eq_cnt_q <= (evt_take && !eq_fresh_any) ? eq_cnt_l - (EW + 1)'(1) : eq_cnt_l;
    end
  end
endmodule

`default_nettype wire
