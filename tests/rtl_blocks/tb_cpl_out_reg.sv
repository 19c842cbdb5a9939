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
  localparam int TIMEOUT_NS = 200000;

  localparam logic [WIDTH-1:0] FIRST_WORD = 24'hA00000;
  `include "tests/rtl_blocks/tb_stream_stage.svh"

  cpl_out_reg #(.WIDTH(WIDTH)) dut (.*);

  `include "tests/rtl_blocks/tb_clock.svh"
  `include "tests/rtl_blocks/tb_common.svh"

  // Reference model: the one word held, if any.
  logic model_valid = 1'b0;
  logic [WIDTH-1:0] model_data = '0;
  logic [WIDTH-1:0] next_expected = FIRST_WORD;
  int moved = 0, cycles = 0;

  task automatic cycle(input logic push, input logic pop);
    logic push_fire, pop_fire, exp_ready;
    drive(push, pop);
    exp_ready = !model_valid || m_ready;
    if (m_valid !== model_valid) $fatal(1, "tb_cpl_out_reg: m_valid=%b expected %b", m_valid, model_valid);
    if (s_ready !== exp_ready) $fatal(1, "tb_cpl_out_reg: s_ready=%b expected %b", s_ready, exp_ready);
    if (m_valid && m_data !== model_data)
      $fatal(1, "tb_cpl_out_reg: m_data=%h expected %h", m_data, model_data);
    hold_rule();
    push_fire = s_valid && s_ready;
    pop_fire = m_valid && m_ready;
    if (pop_fire) begin
      if (m_data !== next_expected) $fatal(1, "tb_cpl_out_reg: word %h out of order (expected %h)", m_data, next_expected);
      next_expected = next_expected + 24'd1;
      moved++;
    end
    @(posedge clk);
    if (exp_ready) begin
      model_valid = push_fire;
      if (push_fire) model_data = s_data;
    end
    cycles++;
  endtask

  initial begin
    leave_reset();
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
