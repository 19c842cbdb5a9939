// Shared by the clocked block testbenches; included inside the module body
// (from the repository root: `include "tests/rtl_blocks/tb_clock.svh") after
// `clk` and `rst` are declared: a 10 ns clock, and the end of the power-on
// reset (held for three rising edges, released at a falling edge).
  always #5 clk = !clk;

  task automatic leave_reset;
    repeat (3) @(posedge clk);
    @(negedge clk) rst = 1'b0;
  endtask
