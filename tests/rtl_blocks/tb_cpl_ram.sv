// Self-checking testbench of cpl_ram, both read modes side by side on the
// same writes and read addresses, against a reference array:
//   READ_NEW = 1: the word read in the cycle after an edge is the array after
//                that edge's write (a same-edge write to it is seen);
//   READ_NEW = 0: it is the array before that edge's write; when that write
//                hit the word read, simulation returns the word inverted
//                (the RAM leaves that read undefined, and the inversion makes
//                a use of it show in the engine's tests).
// Directed same-edge and next-edge cases, then a seeded random phase that
// must hit the same-edge case. Only words written since time 0 are checked
// (the memory has no reset).
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_ram;
  localparam int DEPTH = 12;
  localparam int AW = 4;
  localparam int WIDTH = 10;
  localparam int SEED = 32'h0ec0_0a11;
  localparam int TIMEOUT_NS = 200000;

  logic clk = 1'b0;
  logic rst = 1'b1;   // only for leave_reset(): cpl_ram has no reset
  logic we = 1'b0;
  logic [AW-1:0] waddr = '0, raddr = '0;
  logic [WIDTH-1:0] wdata = '0;
  logic [WIDTH-1:0] rdata_new, rdata_any;

  cpl_ram #(.DEPTH(DEPTH), .AW(AW), .WIDTH(WIDTH), .READ_NEW(1'b1)) u_new (
      .clk, .we, .waddr, .wdata, .raddr, .rdata(rdata_new));
  cpl_ram #(.DEPTH(DEPTH), .AW(AW), .WIDTH(WIDTH), .READ_NEW(1'b0)) u_any (
      .clk, .we, .waddr, .wdata, .raddr, .rdata(rdata_any));

  `include "tests/rtl_blocks/tb_clock.svh"
  `include "tests/rtl_blocks/tb_common.svh"

  logic [WIDTH-1:0] model[DEPTH];
  logic [DEPTH-1:0] written = '0;
  int checked = 0, collisions = 0;

  // One cycle: drive the ports, take the edge, update the model and check
  // the word each instance shows after it.
  task automatic cycle(input logic w, input int wa, input int ra);
    logic [WIDTH-1:0] old_l, new_l;
    logic known;
    we = w;
    waddr = AW'(wa);
    wdata = WIDTH'(rnd(1 << WIDTH));
    raddr = AW'(ra);
    old_l = model[ra];
    known = written[ra];
    @(posedge clk);
    if (w) begin
      model[wa] = wdata;
      written[wa] = 1'b1;
    end
    new_l = model[ra];
    // the word shown after the edge is the one at the address sampled there
    #1;
    we = 1'b0;
    raddr = AW'((ra + 1) % DEPTH);
    #1;
    if (written[ra]) begin
      if (rdata_new !== new_l)
        $fatal(1, "tb_cpl_ram: READ_NEW=1 read %h at %0d, expected %h", rdata_new, ra, new_l);
      if (w && wa == ra) begin
        collisions++;
        if (known && rdata_any !== ~old_l)
          $fatal(1, "tb_cpl_ram: READ_NEW=0 same-edge read %h at %0d, expected the old word inverted %h",
                 rdata_any, ra, ~old_l);
      end else if (rdata_any !== old_l) begin
        $fatal(1, "tb_cpl_ram: READ_NEW=0 read %h at %0d, expected %h", rdata_any, ra, old_l);
      end
      checked++;
    end
    @(negedge clk);
  endtask

  initial begin
    int i;
    leave_reset();
    for (i = 0; i < DEPTH; i++) cycle(1'b1, i, i == 0 ? 1 : 0);
    // The same word written and read at one edge, then read at the next.
    cycle(1'b1, 3, 3);
    cycle(1'b0, 0, 3);
    // Written at one edge, read at the next: both modes see it.
    cycle(1'b1, 5, 4);
    cycle(1'b0, 0, 5);
    // The highest word.
    cycle(1'b1, DEPTH - 1, DEPTH - 1);
    cycle(1'b0, 0, DEPTH - 1);
    repeat (4000) begin
      int wa;
      wa = int'(rnd(DEPTH));
      cycle(chance(60), wa, chance(25) ? wa : int'(rnd(DEPTH)));
    end
    if (collisions < 100) $fatal(1, "tb_cpl_ram: only %0d same-edge reads", collisions);
    $display("tb_cpl_ram: %0d reads checked, %0d of them of a word written at the same edge",
             checked, collisions);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
