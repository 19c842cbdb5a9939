// Self-checking testbench of cpl_irq (interrupt moderation, PRM 6).
// A cycle-level reference model of the moderation rules in the module
// header runs beside the DUT and compares m_irq_valid, m_irq_vector, armed
// and inc_irq every cycle. Directed phases state the rules explicitly:
// count threshold (requested in the cycle after it is reached), MOD_COUNT 0
// = every descriptor, timer, a message disarms, never fires while disarmed or
// with IRQ_ENABLE clear, re-arm with descriptors beyond the head fires at
// once, re-arm without does not, a re-arm one cycle after a commit fires at
// once (the arm is registered in the CSR block, whose compare could not see
// that commit), the error vector, quiesce, a soft reset keeps an offered
// message. Then a seeded random phase (random commits, arms, enables, ready,
// error pulses).
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_irq;
  localparam int NUM_QP = 4;
  localparam int QW = 2;
  localparam int NV = NUM_QP + 1;
  localparam int SEED = 32'h0000_1a9e;
  localparam int TIMEOUT_NS = 2000000;

  logic clk = 1'b0;
  logic rst = 1'b1;
  logic rst_port = 1'b1;
  logic quiesce = 1'b0;
  logic commit_valid = 1'b0;
  logic [QW-1:0] commit_qp = '0;
  logic [2:0] commit_n = '0;
  logic [NUM_QP-1:0] arm_set = '0;
  logic [NUM_QP-1:0] arm_fire_now = '0;
  logic [NUM_QP-1:0] qp_reset = '0;
  logic [NUM_QP-1:0] irq_enable = '0;
  logic [NUM_QP*16-1:0] mod_count = '0;
  logic [NUM_QP*32-1:0] mod_timer = '0;
  logic err_irq = 1'b0;
  logic [NUM_QP-1:0] armed;
  logic inc_irq;
  logic m_irq_valid;
  logic m_irq_ready = 1'b1;
  logic [7:0] m_irq_vector;

  cpl_irq #(.NUM_QP(NUM_QP), .QW(QW)) dut (.*);

  `include "tests/rtl_blocks/tb_clock.svh"
  `include "tests/rtl_blocks/tb_common.svh"

  // ---- Reference model ----
  logic m_armed[NUM_QP], m_fire[NUM_QP];
  logic m_prev[NUM_QP];  // queue pair q committed in the cycle before
  logic m_due[NUM_QP];   // a moderation threshold was reached in the cycle before
  logic m_due_fresh[NUM_QP];  // ... and nothing started moderation afresh since
  int unsigned m_unsig[NUM_QP], m_timer[NUM_QP];
  logic m_err, m_valid;
  int m_vec, m_rr;
  int messages[$];  // vectors taken on the port, in order
  int taken = 0, cycles = 0;

  task automatic model_reset_core;
    for (int q = 0; q < NUM_QP; q++) begin
      m_armed[q] = 0;
      m_fire[q] = 0;
      m_unsig[q] = 0;
      m_timer[q] = 0;
      m_prev[q] = 0;
      m_due[q] = 0;
      m_due_fresh[q] = 0;
    end
    m_err = 0;
    m_rr = 0;
  endtask

  // The vector the model selects this cycle, -1 for none.
  function automatic int model_select();
    logic req[NV];
    int sel;
    for (int q = 0; q < NUM_QP; q++)
      req[q] = irq_enable[q] && m_armed[q] && (m_fire[q] || (m_due_fresh[q] && m_due[q]));
    req[NUM_QP] = m_err;
    sel = -1;
    for (int k = 0; k < NV; k++) if (sel < 0 && req[(m_rr + k) % NV]) sel = (m_rr + k) % NV;
    if (m_valid || quiesce) sel = -1;
    return sel;
  endfunction

  // Compare, then advance the model over the rising edge (inputs are stable
  // from the falling edge on).
  always begin
    int sel;
    int unsigned n;
    logic hit;
    logic due_next[NUM_QP], due_fresh_next[NUM_QP];
    @(negedge clk);
    #2;
    for (int q = 0; q < NUM_QP; q++)
      if (!rst && armed[q] !== m_armed[q]) $fatal(1, "tb_cpl_irq: armed[%0d]=%b expected %b", q, armed[q], m_armed[q]);
    if (!rst_port) begin
      if (m_irq_valid !== m_valid) $fatal(1, "tb_cpl_irq: m_irq_valid=%b expected %b", m_irq_valid, m_valid);
      if (m_valid && m_irq_vector !== 8'(m_vec))
        $fatal(1, "tb_cpl_irq: m_irq_vector=%0d expected %0d", m_irq_vector, m_vec);
      if (inc_irq !== (m_valid && m_irq_ready)) $fatal(1, "tb_cpl_irq: inc_irq=%b", inc_irq);
    end
    sel = model_select();
    // the thresholds as they stand before the edge, used after it
    for (int q = 0; q < NUM_QP; q++) begin
      int thr;
      thr = mod_count[q*16+:16] == 0 ? 1 : int'(mod_count[q*16+:16]);
      due_next[q] = m_unsig[q] != 0 && (m_unsig[q] >= thr ||
                    (mod_timer[q*32+:32] != 0 && m_timer[q] >= mod_timer[q*32+:32]));
      due_fresh_next[q] = !arm_set[q] && !qp_reset[q];
    end
    @(posedge clk);
    cycles++;
    if (m_valid && m_irq_ready && !rst_port) begin
      messages.push_back(m_vec);
      taken++;
    end
    if (rst_port) begin
      m_valid = 0;
      m_vec = 0;
    end else begin
      if (m_valid && m_irq_ready) m_valid = 0;
      if (sel >= 0 && !rst) begin
        m_valid = 1;
        m_vec = sel;
      end
    end
    if (rst) begin
      model_reset_core();
    end else begin
      for (int q = 0; q < NUM_QP; q++) begin
        hit = commit_valid && int'(commit_qp) == q;
        n = hit ? commit_n : 0;
        if (sel == q) begin
          m_armed[q] = 0;
          m_fire[q] = 0;
          m_unsig[q] = n;
          m_timer[q] = 0;
        end else begin
          if (m_unsig[q] != 0 && m_timer[q] != 32'hFFFF_FFFF) m_timer[q] = m_timer[q] + 1;
          if (hit) m_unsig[q] = m_unsig[q] + n > 17'h1FFFF ? 17'h1FFFF : m_unsig[q] + n;
        end
        if (arm_set[q]) begin
          m_armed[q] = 1;
          m_fire[q] = arm_fire_now[q] || m_prev[q];
          if (!arm_fire_now[q] && !m_prev[q]) begin
            m_unsig[q] = n;
            m_timer[q] = 0;
          end
        end
        if (qp_reset[q]) begin
          m_fire[q] = 0;
          m_unsig[q] = 0;
          m_timer[q] = 0;
        end
      end
      for (int q = 0; q < NUM_QP; q++) begin
        m_prev[q] = commit_valid && int'(commit_qp) == q;
        m_due[q] = due_next[q];
        m_due_fresh[q] = due_fresh_next[q];
      end
      if (err_irq) m_err = 1;
      else if (sel == NUM_QP) m_err = 0;
      if (sel >= 0) m_rr = (sel + 1) % NV;
    end
  end

  // ---- Directed stimulus helpers (all drive at the falling edge, one cycle) ----
  task automatic idle(input int n);
    repeat (n) @(negedge clk) begin
      commit_valid = 0;
      arm_set = '0;
      arm_fire_now = '0;
      qp_reset = '0;
      err_irq = 0;
    end
  endtask
  task automatic commit(input int q, input int n);
    @(negedge clk) begin
      commit_valid = 1;
      commit_qp = QW'(q);
      commit_n = 3'(n);
      arm_set = '0;
      arm_fire_now = '0;
    end
    idle(1);
  endtask
  task automatic arm(input int q, input logic fire_now);
    @(negedge clk) begin
      commit_valid = 0;
      arm_set = '0;
      arm_fire_now = '0;
      arm_set[q] = 1;
      arm_fire_now[q] = fire_now;
    end
    idle(1);
  endtask
  task automatic configure(input int q, input logic en, input int count, input int timer);
    irq_enable[q] = en;
    mod_count[q*16+:16] = 16'(count);
    mod_timer[q*32+:32] = 32'(timer);
  endtask
  // Waits up to `limit` cycles for one message; it must carry vector v.
  task automatic expect_irq(input int v, input int limit, input string what);
    int waited;
    int got;
    waited = 0;
    while (messages.size() == 0 && waited < limit) begin
      @(posedge clk);
      waited++;
    end
    #1;
    if (messages.size() == 0) $fatal(1, "tb_cpl_irq: %s: no interrupt within %0d cycles", what, limit);
    got = messages.pop_front();
    if (got != v) $fatal(1, "tb_cpl_irq: %s: vector %0d, expected %0d", what, got, v);
  endtask
  task automatic expect_none(input int cycles_n, input string what);
    repeat (cycles_n) @(posedge clk);
    #1;
    if (messages.size() != 0 || m_irq_valid)
      $fatal(1, "tb_cpl_irq: %s: unexpected interrupt (vector %0d)", what, messages.size() ? messages[0] : m_irq_vector);
  endtask

  initial begin
    int t0;
    model_reset_core();
    m_valid = 0;
    m_vec = 0;
    repeat (3) @(posedge clk);
    @(negedge clk) begin
      rst = 0;
      rst_port = 0;
    end
    // Count: MOD_COUNT 3, no timer.
    configure(0, 1, 3, 0);
    expect_none(5, "armed clear after reset");
    arm(0, 0);
    commit(0, 1);
    commit(0, 1);
    expect_none(20, "below MOD_COUNT");
    commit(0, 1);
    expect_irq(0, 4, "MOD_COUNT reached");
    idle(1);
    if (armed[0]) $fatal(1, "tb_cpl_irq: a message did not disarm");
    // Disarmed: never fires, however many descriptors.
    repeat (5) commit(0, 4);
    expect_none(40, "disarmed");
    // Re-arm with descriptors beyond the head: fires at once.
    arm(0, 1);
    expect_irq(0, 2, "re-arm with pending descriptors");
    // Re-arm with none beyond the head: moderation afresh, no message.
    arm(0, 0);
    expect_none(30, "re-arm with nothing pending");
    // A commit in the cycle before a re-arm: the CSR block compared the
    // written head with the CQ_TAIL of that cycle, which did not hold it yet.
    // The re-arm fires at once (MOD_COUNT 100 and no timer would never fire).
    configure(3, 1, 100, 0);
    @(negedge clk) begin
      commit_valid = 1;
      commit_qp = 2'd3;
      commit_n = 3'd1;
    end
    arm(3, 0);
    expect_irq(3, 3, "re-arm one cycle after a commit");
    // Two cycles after the commit the compare held it: no fire-at-once.
    commit(3, 1);
    arm(3, 0);
    expect_none(30, "re-arm two cycles after a commit");
    configure(3, 0, 0, 0);
    // MOD_COUNT 0: every descriptor.
    configure(0, 1, 0, 0);
    commit(0, 1);
    expect_irq(0, 4, "MOD_COUNT 0");
    arm(0, 0);
    commit(0, 1);
    expect_irq(0, 4, "MOD_COUNT 0 again");
    // Timer: MOD_COUNT 100, MOD_TIMER 10 cycles from the first descriptor.
    configure(1, 1, 100, 10);
    arm(1, 0);
    t0 = cycles;
    commit(1, 2);
    expect_none(8, "before MOD_TIMER");
    expect_irq(1, 8, "MOD_TIMER passed");
    // Commit driven in cycle t0+1, unsignalled from edge t0+2, the timer
    // reaches 10 at edge t0+12, the threshold flag is registered at t0+13,
    // the message at t0+14 and it is taken at edge t0+15.
    if (cycles - t0 != 15) $fatal(1, "tb_cpl_irq: timer message taken after %0d cycles, expected 15", cycles - t0);
    // IRQ_ENABLE clear: never fires, not even on a fire-at-once re-arm.
    configure(2, 0, 1, 1);
    arm(2, 0);
    repeat (3) commit(2, 3);
    arm(2, 1);
    expect_none(50, "IRQ_ENABLE clear");
    if (!armed[2]) $fatal(1, "tb_cpl_irq: disabled queue pair lost ARMED");
    // Enabling it later fires the pending request.
    irq_enable[2] = 1;
    expect_irq(2, 3, "IRQ_ENABLE set with a pending request");
    // Error vector NUM_QP, even with nothing armed.
    @(negedge clk) err_irq = 1;
    idle(1);
    expect_irq(NUM_QP, 4, "error interrupt");
    expect_none(10, "error interrupt once per rise");
    // Quiesce holds back a new selection.
    arm(0, 0);
    @(negedge clk) quiesce = 1;
    commit(0, 1);
    expect_none(20, "quiesce");
    @(negedge clk) quiesce = 0;
    expect_irq(0, 4, "after quiesce");
    // Soft reset keeps a message offered and not yet taken.
    @(negedge clk) m_irq_ready = 0;
    arm(0, 1);
    idle(2);
    if (!m_irq_valid) $fatal(1, "tb_cpl_irq: no message to hold over the soft reset");
    @(negedge clk) rst = 1;
    @(negedge clk) rst = 0;
    #1;
    if (!m_irq_valid || m_irq_vector != 0) $fatal(1, "tb_cpl_irq: soft reset dropped the offered message");
    @(negedge clk) m_irq_ready = 1;
    expect_irq(0, 3, "message held over soft reset");
    expect_none(10, "after soft reset");
    // Random phase: the reference model checks every cycle.
    for (int q = 0; q < NUM_QP; q++) configure(q, 1, rnd(5), rnd(3) == 0 ? 0 : 1 + rnd(20));
    repeat (20000) begin
      @(negedge clk) begin
        commit_valid = rnd(3) == 0;
        commit_qp = QW'(rnd(NUM_QP));
        commit_n = 3'(1 + rnd(4));
        arm_set = NUM_QP'(rnd(8) == 0 ? 1 << rnd(NUM_QP) : 0);
        arm_fire_now = NUM_QP'(rnd(2) ? 1 << rnd(NUM_QP) : 0);
        qp_reset = NUM_QP'(rnd(200) == 0 ? 1 << rnd(NUM_QP) : 0);
        err_irq = rnd(150) == 0;
        m_irq_ready = rnd(4) != 0;
        quiesce = rnd(50) == 0;
        if (rnd(300) == 0) irq_enable[rnd(NUM_QP)] ^= 1'b1;
        if (rnd(500) == 0) rst = 1;
        else rst = 0;
      end
    end
    idle(2);
    @(negedge clk) m_irq_ready = 1;
    repeat (5) @(negedge clk);
    $display("tb_cpl_irq: %0d cycles, %0d interrupt messages", cycles, taken);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
