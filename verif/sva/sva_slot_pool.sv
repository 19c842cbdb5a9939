// Checker of the request-table slot allocator (cpl_slot_pool ports): keeps
// its own busy map. A slot is handed out only while free (request slots
// below REQ_SLOTS only while req_free_cnt > 0, engine slots above it only
// while evt_avail); a slot is freed (its completion written) only while busy,
// and the four free lanes of a cycle name distinct slots; req_free_cnt
// counts the free request slots.
`default_nettype none

module sva_slot_pool #(
    parameter int REQ_SLOTS = 256,
    parameter int EVT_SLOTS = 32,
    parameter int SW = 9
) (
    input wire            clk,
    input wire            rst,
    input wire            req_alloc,
    input wire [SW-1:0]   req_slot,
    input wire [SW:0]     req_free_cnt,
    input wire            evt_alloc,
    input wire [SW-1:0]   evt_slot,
    input wire            evt_avail,
    input wire [3:0]      free_valid,
    input wire [4*SW-1:0] free_slot
);
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  logic [TBL-1:0] busy_q;
  logic [SW:0]    free_req_q;
  logic [2:0]     req_freed;

  always_comb begin
    req_freed = '0;
    for (int k = 0; k < 4; k++)
      if (free_valid[k] && 32'(free_slot[k*SW +: SW]) < REQ_SLOTS) req_freed = req_freed + 3'd1;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      busy_q <= '0;
      free_req_q <= (SW + 1)'(REQ_SLOTS);
    end else begin
      for (int k = 0; k < 4; k++)
        if (free_valid[k] && 32'(free_slot[k*SW +: SW]) < TBL) busy_q[free_slot[k*SW +: SW]] <= 1'b0;
      if (req_alloc && 32'(req_slot) < TBL) busy_q[req_slot] <= 1'b1;
      if (evt_alloc && 32'(evt_slot) < TBL) busy_q[evt_slot] <= 1'b1;
      free_req_q <= free_req_q + (SW + 1)'(req_freed) - (SW + 1)'(req_alloc);
    end
  end

  a_req_alloc_free : assert property (@(posedge clk) disable iff (rst)
      req_alloc |-> req_free_cnt != '0 && 32'(req_slot) < REQ_SLOTS && !busy_q[req_slot])
    else $error("SVA slot pool: request slot %0d handed out while busy or none free", req_slot);
  a_evt_alloc_free : assert property (@(posedge clk) disable iff (rst)
      evt_alloc |-> evt_avail && 32'(evt_slot) >= REQ_SLOTS && 32'(evt_slot) < TBL && !busy_q[evt_slot])
    else $error("SVA slot pool: engine slot %0d handed out while busy or none free", evt_slot);
  a_free_count : assert property (@(posedge clk) disable iff (rst)
      req_free_cnt == free_req_q)
    else $error("SVA slot pool: req_free_cnt %0d, %0d request slots free", req_free_cnt, free_req_q);

  for (genvar k = 0; k < 4; k++) begin : g_lane
    a_free_busy : assert property (@(posedge clk) disable iff (rst)
        free_valid[k] |-> 32'(free_slot[k*SW +: SW]) < TBL && busy_q[free_slot[k*SW +: SW]])
      else $error("SVA slot pool: completion freed slot %0d, which is not in use", free_slot[k*SW +: SW]);
    for (genvar j = k + 1; j < 4; j++) begin : g_pair
      a_free_distinct : assert property (@(posedge clk) disable iff (rst)
          free_valid[k] && free_valid[j] |-> free_slot[k*SW +: SW] != free_slot[j*SW +: SW])
        else $error("SVA slot pool: slot %0d freed twice in one cycle", free_slot[k*SW +: SW]);
    end
  end
endmodule

`default_nettype wire
