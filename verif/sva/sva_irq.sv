// Checker of the interrupt block (cpl_irq ports). Grants: a new message
// names exactly one vector, and only one that asked for it: queue pair q
// only after it was seen armed with IRQ_ENABLE since its last message, the
// error vector only after an ERR_STATUS rise since its last message.
// Fairness: while the error interrupt waits, at most NUM_QP other messages
// are granted before it (round robin), and it never waits with the port
// free for more than a few cycles in a row (an error interrupt is not dropped when
// the port is busy). The message port keeps valid and vector until ready
// (a soft reset, rst without rst_port, does not clear it).
`default_nettype none

module sva_irq #(
    parameter int NUM_QP = 4
) (
    input wire              clk,
    input wire              rst,
    input wire              rst_port,
    input wire              quiesce,
    input wire              err_irq,
    input wire [NUM_QP-1:0] armed,
    input wire [NUM_QP-1:0] irq_enable,
    input wire              m_irq_valid,
    input wire              m_irq_ready,
    input wire [7:0]        m_irq_vector
);
  localparam int NV = NUM_QP + 1;
  localparam int FREE_WAIT_MAX = 4;   // port-free cycles an error may wait

  logic          held_q;      // a message was offered and not taken last cycle
  logic          fresh;       // a new message is offered this cycle
  logic [NV-1:0] grant;       // one-hot: the vector of the new message
  logic [NV-1:0] asked_q;     // vectors that asked since their last message
  logic [NV-1:0] asked_now;
  logic [7:0]    others_q;    // messages granted while the error waits
  logic [7:0]    free_wait_q; // consecutive port-free cycles while the error waits

  assign fresh = m_irq_valid && !held_q;
  always_comb begin
    grant = '0;
    if (fresh && 32'(m_irq_vector) < NV) grant[m_irq_vector[$clog2(NV + 1)-1:0]] = 1'b1;
    asked_now = {err_irq, armed & irq_enable};
  end

  always_ff @(posedge clk) begin
    if (rst_port) held_q <= 1'b0;
    else held_q <= m_irq_valid && !m_irq_ready;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      asked_q <= '0;
      others_q <= '0;
      free_wait_q <= '0;
    end else begin
      asked_q <= (asked_q | asked_now) & ~grant;
      if (!asked_q[NUM_QP] || grant[NUM_QP]) begin
        others_q <= '0;
        free_wait_q <= '0;
      end else begin
        if (fresh) others_q <= others_q + 8'd1;
        // Consecutive port-free cycles: the port idles for one cycle between
        // two messages, so a cumulative count would grow with NUM_QP.
        if (!m_irq_valid && !quiesce) free_wait_q <= free_wait_q + 8'd1;
        else free_wait_q <= '0;
      end
    end
  end

  a_grant_one_hot : assert property (@(posedge clk) disable iff (rst_port)
      fresh |-> $onehot(grant))
    else $error("SVA irq: message vector %0d is no vector", m_irq_vector);
  a_grant_asked : assert property (@(posedge clk) disable iff (rst)
      fresh |-> (grant & (asked_q | asked_now)) != '0)
    else $error("SVA irq: vector %0d granted without being requested", m_irq_vector);
  a_error_round_robin : assert property (@(posedge clk) disable iff (rst)
      32'(others_q) <= NUM_QP)
    else $error("SVA irq: %0d other messages granted while the error interrupt waits", others_q);
  a_error_not_dropped : assert property (@(posedge clk) disable iff (rst)
      32'(free_wait_q) <= FREE_WAIT_MAX)
    else $error("SVA irq: error interrupt pending while the port stays free");

  sva_stream #(.W(8), .NAME("irq message")) u_port (
      .clk, .rst(rst_port), .valid(m_irq_valid), .ready(m_irq_ready), .data(m_irq_vector));
endmodule

`default_nettype wire
