// Interrupt moderation and the interrupt message port (PRM 6 "Interrupts").
// Per queue pair: descriptors committed and not yet announced (unsig), cycles
// since the first of them, ARMED, and a fire-at-once request from a re-arm
// that finds committed descriptors beyond the written CQ_HEAD. Vector q is
// requested when IRQ_ENABLE && ARMED and (fire-at-once, or, from the cycle
// after it happened, unsig reached IRQ_MOD_COUNT (0 and 1: every descriptor)
// or IRQ_MOD_TIMER != 0 cycles passed since the first unsignalled one).
// Vector NUM_QP is the error
// interrupt, requested when an ERR_STATUS bit rises.
// Interfaces: commit pulses from the CQ writer (after the write response, so
// a message never precedes the responses of what it announces); arm pulses
// from the CSR block, one cycle after the CQ_HEAD write; m_irq_* message
// port (registered, held until ready).
// Invariants: selecting a queue pair's message disarms it and clears its
// unsignalled count and timer; queue pairs and the error vector are served
// round robin. ARMED is clear after reset (the driver arms after enabling).
// A soft reset (rst without rst_port) keeps a message already offered.
`default_nettype none

module cpl_irq #(
    parameter int NUM_QP = 4,
    parameter int QW = 2
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  rst_port,       // hard reset only: the message port
    input  wire                  quiesce,
    input  wire                  commit_valid,
    input  wire  [QW-1:0]        commit_qp,
    input  wire  [2:0]           commit_n,
    input  wire  [NUM_QP-1:0]    arm_set,
    input  wire  [NUM_QP-1:0]    arm_fire_now,
    input  wire  [NUM_QP-1:0]    qp_reset,       // CQ_SIZE written: moderation afresh
    input  wire  [NUM_QP-1:0]    irq_enable,
    input  wire  [NUM_QP*16-1:0] mod_count,
    input  wire  [NUM_QP*32-1:0] mod_timer,
    input  wire                  err_irq,
    output logic [NUM_QP-1:0]    armed,
    output logic                 inc_irq,

    output logic                 m_irq_valid,
    input  wire                  m_irq_ready,
    output logic [7:0]           m_irq_vector
);
`include "rtl/cpl_check.svh"
  localparam int NV = NUM_QP + 1;   // vectors incl. the error vector
  localparam int VW = $clog2(NV + 1);
  `CPL_CHECK(NUM_QP >= 1 && NUM_QP <= 16, g_param_check)

  logic [NUM_QP-1:0] armed_q;
  logic [NUM_QP-1:0] fire_now_q;
  logic [16:0]   unsig_q[NUM_QP];
  logic [31:0]   timer_q[NUM_QP];
  logic          err_pend_q;
  logic [NUM_QP-1:0] prev_commit_q;   // queue pair q committed in the cycle before
  // Moderation thresholds, compared one cycle ahead: due_q[q] says the
  // unsignalled count or its timer reached IRQ_MOD_COUNT or IRQ_MOD_TIMER in
  // the cycle before. Both only grow until a message, a re-arm or a ring
  // reset starts them afresh; a message disarms, and after the other two
  // due_fresh_q holds the flag back for the one cycle it could be out of
  // date. A message is then requested one cycle after its threshold is
  // reached.
  logic [NUM_QP-1:0] due_q;
  logic [NUM_QP-1:0] due_fresh_q;
  logic          valid_q;
  logic [VW-1:0] vec_q;
  logic [VW-1:0] rr_q;
  logic          sel_valid;
  logic [VW-1:0] sel_vec;

  logic [NV-1:0] irq_req;
  logic          arb_valid;
  logic [VW-1:0] arb_vec, arb_next;
  logic [NV-1:0] arb_oh;     // the chosen vector, one-hot
  cpl_rr_arbiter #(.N(NV), .IW(VW)) u_arb (
      .req(irq_req), .prio(rr_q), .grant_valid(arb_valid), .grant(arb_vec), .grant_oh(arb_oh),
      .next_prio(arb_next));

  always_comb begin : b_moderation
    int q;
    logic [NV-1:0] req_l;
    logic [NUM_QP-1:0] armed_l;
    logic sel_valid_l;
    logic [VW-1:0] sel_vec_l;
    logic m_irq_valid_l;
    logic [7:0] m_irq_vector_l;
    for (q = 0; q < NUM_QP; q++) begin
      req_l[q] = irq_enable[q] && armed_q[q] && (fire_now_q[q] || (due_fresh_q[q] && due_q[q]));
      armed_l[q] = armed_q[q];
    end
    req_l[NUM_QP] = err_pend_q;
    sel_valid_l = arb_valid && !valid_q && !quiesce;
    sel_vec_l = arb_vec;
    m_irq_valid_l = valid_q;
    m_irq_vector_l = 8'(vec_q);
    armed = armed_l;
    irq_req = req_l;
    sel_valid = sel_valid_l;
    sel_vec = sel_vec_l;
    m_irq_valid = m_irq_valid_l;
    m_irq_vector = m_irq_vector_l;
  end
  // apart from b_moderation: the one term here that reads an input
  assign inc_irq = valid_q && m_irq_ready;

  always_ff @(posedge clk) begin : p_moderation
    int q;
    logic [17:0] unsig_sum_l;   // {carry, sum}
    unsig_sum_l = '0;
    if (rst) begin
      for (q = 0; q < NUM_QP; q++) begin
        armed_q[q] <= 1'b0;
        fire_now_q[q] <= 1'b0;
        unsig_q[q] <= '0;
        timer_q[q] <= '0;
      end
      err_pend_q <= 1'b0;
      rr_q <= '0;
      prev_commit_q <= '0;
      due_q <= '0;
      due_fresh_q <= '0;
    end else begin
      for (q = 0; q < NUM_QP; q++) begin
        prev_commit_q[q] <= commit_valid && commit_qp == QW'(q);
        // IRQ_MOD_COUNT 0 counts as 1: any unsignalled descriptor reaches it
        due_q[q] <= unsig_q[q] != 17'd0 &&
                    (unsig_q[q] >= {1'b0, mod_count[q*16 +: 16]} ||
                     (mod_timer[q*32 +: 32] != 32'd0 && timer_q[q] >= mod_timer[q*32 +: 32]));
        // (a message disarms: only a re-arm lets the next one be requested)
        due_fresh_q[q] <= !arm_set[q] && !qp_reset[q];
      end
      for (q = 0; q < NUM_QP; q++) begin
        if (sel_valid && arb_oh[q]) begin
          armed_q[q] <= 1'b0;
          fire_now_q[q] <= 1'b0;
          unsig_q[q] <= (commit_valid && commit_qp == QW'(q)) ? 17'(commit_n) : 17'd0;
          timer_q[q] <= '0;
        end else begin
          if (commit_valid && commit_qp == QW'(q)) begin
            unsig_sum_l = {1'b0, unsig_q[q]} + 18'(commit_n);
            unsig_q[q] <= unsig_sum_l[17] ? '1 : unsig_sum_l[16:0];   // saturates
          end
          if (unsig_q[q] != 17'd0 && timer_q[q] != '1) timer_q[q] <= timer_q[q] + 32'd1;
        end
        if (arm_set[q]) begin
          // The re-arm was written in the cycle before (the CSR block
          // registers it) and compared CQ_TAIL of that cycle with the written
          // head; a commit in that same cycle lies beyond the head too.
          armed_q[q] <= 1'b1;
          fire_now_q[q] <= arm_fire_now[q] || prev_commit_q[q];
          // Everything committed was consumed: moderation starts afresh,
          // from the descriptors committed in this very cycle (beyond the
          // written head; not counting them would lose a wake-up).
          if (!arm_fire_now[q] && !prev_commit_q[q]) begin
            unsig_q[q] <= (commit_valid && commit_qp == QW'(q)) ? 17'(commit_n) : 17'd0;
            timer_q[q] <= '0;
          end
        end
        if (qp_reset[q]) begin
          fire_now_q[q] <= 1'b0;
          unsig_q[q] <= '0;
          timer_q[q] <= '0;
        end
      end
      if (err_irq) err_pend_q <= 1'b1;
      else if (sel_valid && arb_oh[NUM_QP]) err_pend_q <= 1'b0;
      if (sel_valid) rr_q <= arb_next;
    end
  end

  // The message port survives a soft reset: a message offered and not yet
  // taken stays valid (valid/ready rule); a new one is only selected in the
  // cycle after the soft reset at the earliest.
  always_ff @(posedge clk) begin
    if (rst_port) begin
      valid_q <= 1'b0;
      vec_q <= '0;
    end else begin
      if (valid_q && m_irq_ready) valid_q <= 1'b0;
      if (sel_valid && !rst) begin
        valid_q <= 1'b1;
        vec_q <= sel_vec;
      end
    end
  end
endmodule

`default_nettype wire
