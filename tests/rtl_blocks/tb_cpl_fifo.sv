// Self-checking testbench of cpl_fifo: a queue reference model, directed
// fill/drain and simultaneous push/pop on full and empty, then a seeded
// random phase with random valid and ready. Checks every cycle: m_valid,
// s_ready and m_data against the model, and the valid/ready rule on the
// output (m_valid && !m_ready holds m_valid and m_data).
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_fifo;
  localparam int WIDTH = 16;
  localparam int DEPTH = 4;
  localparam int SEED = 32'h5eed_f1f0;
  localparam int TIMEOUT_NS = 200000;

  localparam logic [WIDTH-1:0] FIRST_WORD = 16'h1000;
  `include "tests/rtl_blocks/tb_stream_stage.svh"

  cpl_fifo #(.WIDTH(WIDTH), .DEPTH(DEPTH)) dut (.*);

  `include "tests/rtl_blocks/tb_clock.svh"
  `include "tests/rtl_blocks/tb_common.svh"

  logic [WIDTH-1:0] model[$];
  logic [WIDTH-1:0] dropped;
  int pushed = 0, popped = 0, cycles = 0;

  // One cycle: drive at the falling edge, check before the rising edge,
  // update the model with the handshakes of this cycle after it.
  task automatic cycle(input logic push, input logic pop);
    logic push_fire, pop_fire, exp_valid, exp_ready;
    logic [WIDTH-1:0] exp_data;
    int n;
    drive(push, pop);
    n = model.size();
    exp_valid = n != 0;
    exp_ready = n < DEPTH;
    if (n != 0) exp_data = model[0];
    if (m_valid !== exp_valid)
      $fatal(1, "tb_cpl_fifo: m_valid=%b but model holds %0d words", m_valid, n);
    if (s_ready !== exp_ready)
      $fatal(1, "tb_cpl_fifo: s_ready=%b but model holds %0d words", s_ready, n);
    if (m_valid && m_data !== exp_data)
      $fatal(1, "tb_cpl_fifo: m_data=%h expected %h", m_data, exp_data);
    hold_rule();
    push_fire = s_valid && s_ready;
    pop_fire = m_valid && m_ready;
    @(posedge clk);
    if (pop_fire) begin
      dropped = model.pop_front();
      popped++;
    end
    if (push_fire) begin
      model.push_back(s_data);
      pushed++;
    end
    cycles++;
  endtask

  initial begin
    leave_reset();
    // Directed: fill to full (one more push must wait), drain to empty.
    repeat (DEPTH + 2) cycle(1'b1, 1'b0);
    if (model.size() != DEPTH || s_ready) $fatal(1, "tb_cpl_fifo: not full after %0d pushes", DEPTH);
    // Full: push and pop together, only the pop happens this cycle.
    cycle(1'b1, 1'b1);
    repeat (DEPTH + 3) cycle(1'b0, 1'b1);
    if (model.size() != 0 || m_valid) $fatal(1, "tb_cpl_fifo: not empty after draining");
    // Empty: push and pop together, the word is not passed through.
    cycle(1'b1, 1'b1);
    cycle(1'b0, 1'b0);
    repeat (3) cycle(1'b1, 1'b1);
    repeat (4) cycle(1'b0, 1'b1);
    // Reset in the middle: the FIFO is empty afterwards.
    repeat (3) cycle(1'b1, 1'b0);
    @(negedge clk) begin
      rst = 1'b1;
      s_valid = 1'b0;
    end
    @(negedge clk) rst = 1'b0;
    model.delete();
    held_valid = 1'b0;
    src_waiting = 1'b0;
    // Random phase.
    repeat (4000) cycle(chance(60), chance(55));
    repeat (DEPTH + 2) cycle(1'b0, 1'b1);
    if (model.size() != 0) $fatal(1, "tb_cpl_fifo: words left after the final drain");
    $display("tb_cpl_fifo: %0d cycles, %0d words in, %0d out", cycles, pushed, popped);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
