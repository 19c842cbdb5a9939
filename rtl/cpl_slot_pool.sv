// Request-table slot allocator. The table has REQ_SLOTS slots for fetched
// requests and EVT_SLOTS more for descriptors the engine creates itself
// (RX_INDICATE, EVT_FIN, EVT_RST, TERMINATE_DONE), so engine events can
// always make progress even when requests fill their part of the table.
// Interfaces: req_alloc takes req_slot (lowest free request slot) and must
// only be raised while req_free_cnt > 0; evt_alloc takes evt_slot while
// evt_avail; up to 4 slots are returned per cycle on free_valid/free_slot
// (the CQ writer, after the descriptor's write response).
// Invariant: a slot is never handed out twice before it is freed.
`default_nettype none

module cpl_slot_pool #(
    parameter int REQ_SLOTS = 256,
    parameter int EVT_SLOTS = 32,
    parameter int SW = 9
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               req_alloc,
    output logic [SW-1:0]     req_slot,
    output logic [SW:0]       req_free_cnt,
    input  wire               evt_alloc,
    output logic [SW-1:0]     evt_slot,
    output logic              evt_avail,
    input  wire  [3:0]        free_valid,
    input  wire  [4*SW-1:0]   free_slot
);
`include "rtl/cpl_defs.svh"
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  `CPL_CHECK(REQ_SLOTS >= 16 && EVT_SLOTS >= 1 && (1 << SW) >= TBL, g_param_check)

  logic [TBL-1:0] busy;
  logic [SW:0]    free_cnt_q;

  always_comb begin : b_alloc
    logic [SW-1:0] req_slot_l;
    logic [SW-1:0] evt_slot_l;
    logic evt_avail_l;
    logic [SW:0] req_free_cnt_l;
    req_slot_l = '0;
    for (int i = REQ_SLOTS - 1; i >= 0; i--) if (!busy[i]) req_slot_l = SW'(i);
    evt_slot_l = '0;
    evt_avail_l = 1'b0;
    for (int i = TBL - 1; i >= REQ_SLOTS; i--) begin
      if (!busy[i]) begin
        evt_slot_l = SW'(i);
        evt_avail_l = 1'b1;
      end
    end
    req_free_cnt_l = free_cnt_q;
    req_slot = req_slot_l;
    evt_slot = evt_slot_l;
    evt_avail = evt_avail_l;
    req_free_cnt = req_free_cnt_l;
  end

  logic [2:0] req_freed;
  always_comb begin : b_freed
    logic [2:0] req_freed_l;
    req_freed_l = '0;
    for (int k = 0; k < 4; k++)
      if (free_valid[k] && 32'(free_slot[k*SW +: SW]) < REQ_SLOTS) req_freed_l = req_freed_l + 1'b1;
    req_freed = req_freed_l;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      busy <= '0;
      free_cnt_q <= (SW + 1)'(REQ_SLOTS);
    end else begin
      for (int k = 0; k < 4; k++)
        if (free_valid[k]) busy[free_slot[k*SW +: SW]] <= 1'b0;
      if (req_alloc) busy[req_slot] <= 1'b1;
      if (evt_alloc && evt_avail) busy[evt_slot] <= 1'b1;
      free_cnt_q <= free_cnt_q + (SW + 1)'(req_freed) - (SW + 1)'(req_alloc);
    end
  end
endmodule

`default_nettype wire
