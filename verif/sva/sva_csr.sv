// Checker of the CSR block's outputs (cpl_csr ports): ring pointers stay
// within their rings ((SQ_TAIL - SQ_HEAD) mod 2^16 and (CQ_TAIL - CQ_HEAD)
// mod 2^16 at most the ring size, PRM 4), the ring masks and the CQ write
// limit the other blocks read agree with SQ_SIZE, CQ_SIZE and CQ_HEAD
// (mask = 2^size - 1, limit = CQ_HEAD + 2^CQ_SIZE), the connection command is held
// with a stable payload until done and done comes only for a command, and
// the soft reset is a one-cycle pulse.
`default_nettype none

module sva_csr #(
    parameter int NUM_QP = 4
) (
    input wire                  clk,
    input wire                  rst,
    input wire                  srst,
    input wire [NUM_QP*4-1:0]   sq_size,
    input wire [NUM_QP*16-1:0]  sq_mask,
    input wire [NUM_QP*16-1:0]  sq_tail,
    input wire [NUM_QP-1:0]     sq_reset,
    input wire [NUM_QP*16-1:0]  sq_head,
    input wire [NUM_QP*4-1:0]   cq_size,
    input wire [NUM_QP*16-1:0]  cq_head,
    input wire [NUM_QP*16-1:0]  cq_mask,
    input wire [NUM_QP*16-1:0]  cq_limit,
    input wire [NUM_QP-1:0]     cq_reset,
    input wire [NUM_QP*16-1:0]  cq_tail,
    input wire                  cmd_valid,
    input wire [15:0]           cmd_conn,
    input wire [7:0]            cmd_qp,
    input wire [3:0]            cmd_op,
    input wire [31:0]           cmd_arg,
    input wire                  cmd_done
);
  // Pointers of a ring are compared from the second cycle after a reset of
  // that ring (its size write) or of the engine, when both sides restarted.
  logic [NUM_QP-1:0] sq_settled_q, cq_settled_q;
  logic reset_seen_q;   // the registers were reset once (derived values are compared from then on)
  always_ff @(posedge clk) begin
    if (rst || srst) begin
      sq_settled_q <= '0;
      cq_settled_q <= '0;
    end else begin
      sq_settled_q <= ~sq_reset;
      cq_settled_q <= ~cq_reset;
    end
    reset_seen_q <= rst || reset_seen_q;
  end

  for (genvar q = 0; q < NUM_QP; q++) begin : g_qp
    logic [15:0] sq_used, cq_used;
    logic [16:0] sq_room, cq_room;
    assign sq_used = sq_tail[q*16 +: 16] - sq_head[q*16 +: 16];
    assign cq_used = cq_tail[q*16 +: 16] - cq_head[q*16 +: 16];
    assign sq_room = 17'd1 << sq_size[q*4 +: 4];
    assign cq_room = 17'd1 << cq_size[q*4 +: 4];
    a_sq_within_ring : assert property (@(posedge clk) disable iff (rst || srst)
        sq_settled_q[q] && !sq_reset[q] && sq_size[q*4 +: 4] != 4'd0 |-> {1'b0, sq_used} <= sq_room)
      else $error("SVA ring: queue pair %0d SQ_TAIL - SQ_HEAD = %0d beyond the ring", q, sq_used);
    a_cq_within_ring : assert property (@(posedge clk) disable iff (rst || srst)
        cq_settled_q[q] && !cq_reset[q] && cq_size[q*4 +: 4] != 4'd0 |-> {1'b0, cq_used} <= cq_room)
      else $error("SVA ring: queue pair %0d CQ_TAIL - CQ_HEAD = %0d beyond the ring", q, cq_used);
    a_sq_mask : assert property (@(posedge clk) disable iff (rst)
        reset_seen_q |-> sq_mask[q*16 +: 16] == ~(16'hFFFF << sq_size[q*4 +: 4]))
      else $error("SVA ring: queue pair %0d SQ mask %h does not match SQ_SIZE %0d", q,
                  sq_mask[q*16 +: 16], sq_size[q*4 +: 4]);
    a_cq_mask : assert property (@(posedge clk) disable iff (rst)
        reset_seen_q |-> cq_mask[q*16 +: 16] == ~(16'hFFFF << cq_size[q*4 +: 4]))
      else $error("SVA ring: queue pair %0d CQ mask %h does not match CQ_SIZE %0d", q,
                  cq_mask[q*16 +: 16], cq_size[q*4 +: 4]);
    a_cq_limit : assert property (@(posedge clk) disable iff (rst)
        reset_seen_q |-> cq_limit[q*16 +: 16] == cq_head[q*16 +: 16] + 16'(cq_room))
      else $error("SVA ring: queue pair %0d CQ write limit %h is not CQ_HEAD %h + 2^CQ_SIZE", q,
                  cq_limit[q*16 +: 16], cq_head[q*16 +: 16]);
  end

  a_cmd_held : assert property (@(posedge clk) disable iff (rst || srst)
      cmd_valid && !cmd_done |=> cmd_valid && $stable({cmd_conn, cmd_qp, cmd_op, cmd_arg}))
    else $error("SVA command: connection command dropped or changed before done");
  a_cmd_done_for_command : assert property (@(posedge clk) disable iff (rst || srst)
      cmd_done |-> cmd_valid)
    else $error("SVA command: done without a command");
  a_srst_pulse : assert property (@(posedge clk) disable iff (rst)
      srst |=> !srst)
    else $error("SVA soft reset: srst longer than one cycle");
endmodule

`default_nettype wire
