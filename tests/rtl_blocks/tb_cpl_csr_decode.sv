// Self-checking testbench of cpl_csr_decode (combinational): every address
// from 0 to past the last queue pair's block, plus seeded random addresses
// over the whole 16-bit space, against a reference written from the PRM 3
// register map (access class, queue pair, offset; misaligned and unmapped
// addresses are BAD).
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_csr_decode;
  localparam int NUM_QP = 4;
  localparam int QW = 2;
  localparam int SEED = 32'h0c5a_dec0;
  localparam int TIMEOUT_NS = 10000000;
  localparam int BAD = 0, RW = 1, RO = 2, WO = 3;

  logic [15:0] addr = '0;
  logic is_qp;
  logic [QW-1:0] qp;
  logic [7:0] off;
  logic [1:0] acc;

  cpl_csr_decode #(.NUM_QP(NUM_QP), .QW(QW)) dut (.*);

  `include "tests/rtl_blocks/tb_common.svh"

  int checked = 0;

  // Register map, PRM 3.
  function automatic int global_class(input int a);
    case (a)
      'h00, 'h04, 'h08, 'h0C, 'h18, 'h28, 'h40, 'h44, 'h48, 'h4C, 'h50, 'h54, 'h58: return RO;
      'h10, 'h14, 'h24: return RW;
      'h20: return WO;
      default: return BAD;
    endcase
  endfunction
  function automatic int qp_class(input int o);
    case (o)
      'h10, 'h24, 'h34: return RO;
      'h00, 'h04, 'h08, 'h0C, 'h14, 'h18, 'h1C, 'h20, 'h28, 'h2C, 'h30: return RW;
      default: return BAD;
    endcase
  endfunction

  task automatic check(input int a);
    int exp_acc, exp_qp, exp_off;
    logic exp_is_qp;
    exp_is_qp = 0;
    exp_qp = 0;
    exp_off = a & 'hFF;
    if (a % 4 != 0) exp_acc = BAD;
    else if (a < 'h1000) exp_acc = global_class(a);
    else if (a < 'h1000 + NUM_QP * 'h40) begin
      exp_is_qp = 1;
      exp_qp = (a - 'h1000) / 'h40;
      exp_off = (a - 'h1000) % 'h40;
      exp_acc = qp_class(exp_off);
    end else exp_acc = BAD;
    addr = 16'(a);
    #1;
    checked++;
    if (int'(acc) != exp_acc) $fatal(1, "tb_cpl_csr_decode: addr %h: acc=%0d expected %0d", a, acc, exp_acc);
    if (exp_acc != BAD) begin
      if (is_qp !== exp_is_qp) $fatal(1, "tb_cpl_csr_decode: addr %h: is_qp=%b expected %b", a, is_qp, exp_is_qp);
      if (exp_is_qp && int'(qp) != exp_qp) $fatal(1, "tb_cpl_csr_decode: addr %h: qp=%0d expected %0d", a, qp, exp_qp);
      if (int'(off) != exp_off) $fatal(1, "tb_cpl_csr_decode: addr %h: off=%h expected %h", a, off, exp_off);
    end
  endtask

  initial begin
    for (int a = 0; a < 'h1000 + (NUM_QP + 2) * 'h40; a++) check(a);
    check('hFFFC);
    check('h8000);
    repeat (20000) check(int'($urandom(seed) & 'hFFFF));
    $display("tb_cpl_csr_decode: %0d addresses", checked);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
