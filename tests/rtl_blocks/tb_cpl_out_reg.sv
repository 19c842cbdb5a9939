// Self-checking testbench of cpl_out_reg: a one-word reference model
// (s_ready = empty || m_ready, so a word can be taken and replaced in the
// same cycle), directed back-to-back and stalled transfers, hard reset,
// then a seeded random phase. Checks every cycle: m_valid, m_data, s_ready
// against the model, the valid/ready rule on the output and word order.
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_out_reg;
  localparam int WIDTH = 24;
  localparam int SEED = 32'h0ec0_0001;

  logic clk = 1'b0;
  logic rst = 1'b1;
  logic s_valid = 1'b0;
  logic s_ready;
  logic [WIDTH-1:0] s_data = '0;
  logic m_valid;
  logic m_ready = 1'b0;
  logic [WIDTH-1:0] m_data;

  cpl_out_reg #(.WIDTH(WIDTH)) dut (.*);

  always #5 clk = !clk;
  initial begin
    #200000;
    $fatal(1, "tb_cpl_out_reg: timeout");
  end

  integer seed = SEED;
  function automatic logic chance(input int percent);
    return ($urandom(seed) % 100) < percent;
  endfunction

  // Reference model: the one word held, if any.
  logic model_valid = 1'b0;
  logic [WIDTH-1:0] model_data = '0;
  logic [WIDTH-1:0] next_word = 24'hA00000;
  logic [WIDTH-1:0] next_expected = 24'hA00000;
  int moved = 0, cycles = 0;
  logic held_valid = 1'b0;
  logic src_waiting = 1'b0;
  logic [WIDTH-1:0] held_data;

  task automatic cycle(input logic push, input logic pop);
    logic push_fire, pop_fire, exp_ready;
    @(negedge clk);
    if (!src_waiting) begin  // a source keeps its word offered until taken
      s_valid = push;
      if (push) begin
        s_data = next_word;
        next_word = next_word + 24'd1;
      end
    end
    m_ready = pop;
    #1;
    exp_ready = !model_valid || m_ready;
    if (m_valid !== model_valid) $fatal(1, "tb_cpl_out_reg: m_valid=%b expected %b", m_valid, model_valid);
    if (s_ready !== exp_ready) $fatal(1, "tb_cpl_out_reg: s_ready=%b expected %b", s_ready, exp_ready);
    if (m_valid && m_data !== model_data)
      $fatal(1, "tb_cpl_out_reg: m_data=%h expected %h", m_data, model_data);
    if (held_valid && (!m_valid || m_data !== held_data))
      $fatal(1, "tb_cpl_out_reg: output changed while valid && !ready");
    push_fire = s_valid && s_ready;
    pop_fire = m_valid && m_ready;
    if (pop_fire) begin
      if (m_data !== next_expected) $fatal(1, "tb_cpl_out_reg: word %h out of order (expected %h)", m_data, next_expected);
      next_expected = next_expected + 24'd1;
      moved++;
    end
    held_valid = m_valid && !m_ready;
    src_waiting = s_valid && !s_ready;
    held_data = m_data;
    @(posedge clk);
    if (exp_ready) begin
      model_valid = push_fire;
      if (push_fire) model_data = s_data;
    end
    cycles++;
  endtask

  initial begin
    repeat (3) @(posedge clk);
    @(negedge clk) rst = 1'b0;
    if (m_valid !== 1'b0) $fatal(1, "tb_cpl_out_reg: valid after reset");
    // Back to back at full rate: one word per cycle.
    repeat (8) cycle(1'b1, 1'b1);
    // Stalled: the word is held, the next waits.
    repeat (5) cycle(1'b1, 1'b0);
    repeat (3) cycle(1'b0, 1'b1);
    // Random phase.
    repeat (4000) cycle(chance(70), chance(50));
    repeat (3) cycle(1'b0, 1'b1);
    if (model_valid) $fatal(1, "tb_cpl_out_reg: word left after draining");
    // Hard reset drops a word held on the port.
    cycle(1'b1, 1'b0);
    cycle(1'b0, 1'b0);
    if (m_valid !== 1'b1) $fatal(1, "tb_cpl_out_reg: word not held");
    @(negedge clk) rst = 1'b1;
    @(negedge clk) begin
      rst = 1'b0;
      #1;
      if (m_valid !== 1'b0) $fatal(1, "tb_cpl_out_reg: hard reset kept the word");
    end
    $display("tb_cpl_out_reg: %0d cycles, %0d words moved", cycles, moved);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
