// Formal properties of cpl_irq, the interrupt block, at its port (PRM 6
// "Interrupts"): from reset, for every sequence of commits, re-arms, ring
// resets, enables, thresholds, error pulses, quiesce, soft resets and
// port readiness,
// - the message port holds a message, unchanged, until it is taken (a soft
//   reset included; only the hard reset drops it), and names a vector of
//   0..NUM_QP;
// - a new message is chosen neither during a reset nor while quiescing;
// - a queue pair's message needs that queue pair armed with IRQ_ENABLE when
//   it is chosen, and disarms it (unless re-armed in that same cycle);
// - an error message needs an error pulse since the last one was chosen.
`default_nettype none

module fv_cpl_irq #(
    parameter int NUM_QP = 2,
    parameter int QW = 1
) (
    input wire                  clk,
    input wire                  rst,
    input wire                  rst_port,
    input wire                  quiesce,
    input wire                  commit_valid,
    input wire [QW-1:0]         commit_qp,
    input wire [2:0]            commit_n,
    input wire [NUM_QP-1:0]     arm_set,
    input wire [NUM_QP-1:0]     arm_fire_now,
    input wire [NUM_QP-1:0]     qp_reset,
    input wire [NUM_QP-1:0]     irq_enable,
    input wire [NUM_QP*16-1:0]  mod_count,
    input wire [NUM_QP*32-1:0]  mod_timer,
    input wire                  err_irq,
    input wire                  m_irq_ready
);
  logic [NUM_QP-1:0] armed;
  logic              inc_irq;
  logic              m_irq_valid;
  logic [7:0]        m_irq_vector;

  cpl_irq #(.NUM_QP(NUM_QP), .QW(QW)) dut (
      .clk, .rst, .rst_port, .quiesce, .commit_valid, .commit_qp, .commit_n, .arm_set,
      .arm_fire_now, .qp_reset, .irq_enable, .mod_count, .mod_timer, .err_irq, .armed, .inc_irq,
      .m_irq_valid, .m_irq_ready, .m_irq_vector);

  logic past_valid = 1'b0;
  logic err_seen = 1'b0;    // an error pulse since the last error message was chosen
  logic prev_valid = 1'b0;  // m_irq_valid in the cycle before

  always_comb begin : b_env
    if (!past_valid) assume (rst && rst_port);
    if (rst_port) assume (rst);   // the hard reset resets everything
    if (commit_valid) assume (commit_n >= 3'd1 && commit_n <= 3'd4 && 32'(commit_qp) < NUM_QP);
  end

  // a message chosen in the cycle before shows now
  wire new_msg = past_valid && m_irq_valid && !prev_valid;
  wire new_err = new_msg && 32'(m_irq_vector) == NUM_QP;

  always_ff @(posedge clk) begin : p_ref
    past_valid <= 1'b1;
    prev_valid <= m_irq_valid;
    if (rst) err_seen <= 1'b0;
    else err_seen <= err_irq || (err_seen && !(new_err && !$past(err_irq)));
  end

  fv_stream_held #(.WIDTH(8)) u_msg_held (
      .clk, .live(past_valid && !rst_port), .valid(m_irq_valid), .ready(m_irq_ready),
      .data(m_irq_vector));

  always_ff @(posedge clk) begin : p_props
    if (past_valid && !rst_port) begin
      if (m_irq_valid) a_vector: assert (32'(m_irq_vector) <= NUM_QP);
      if (new_msg) begin
        a_not_in_reset: assert (!$past(rst));
        a_not_quiescing: assert (!$past(quiesce));
        if (32'(m_irq_vector) == NUM_QP) a_err_pulse: assert ($past(err_seen) || $past(err_irq));
      end
    end
  end

  // per queue pair (unnamed: Yosys names a labelled assertion once per
  // module, not per generate instance): armed with IRQ_ENABLE when chosen,
  // and disarmed by the choice unless re-armed in that cycle
  for (genvar g = 0; g < NUM_QP; g++) begin : g_qp
    always_ff @(posedge clk) begin : p_qp
      if (past_valid && !rst_port && new_msg && 32'(m_irq_vector) == g) begin
        assert ($past(armed[g] && irq_enable[g]));
        assert (armed[g] == $past(arm_set[g]));
      end
    end
  end
endmodule

`default_nettype wire
