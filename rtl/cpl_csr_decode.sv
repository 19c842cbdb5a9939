// CSR address decoder: splits an AXI4-Lite address into a global offset or a
// (queue pair, offset) pair and classifies the access (PRM 3): unmapped or
// misaligned (BAD), read-write, read-only or write-only
// (cpl_pkg::csr_decode, which cpl_csr calls in the clock edges that take a
// read or a write address; this module wraps it for its block test).
`default_nettype none

module cpl_csr_decode #(
    parameter int NUM_QP = 4,
    parameter int QW = 2   // queue pair index width
) (
    input  wire  [15:0] addr,
    output logic        is_qp,
    output logic [QW-1:0] qp,
    output logic [7:0]  off,
    output logic [1:0]  acc   // 0 BAD, 1 RW, 2 RO, 3 WO
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(NUM_QP >= 1 && NUM_QP <= 16 && QW >= 1 && QW <= 4, g_param_check)
  logic [cpl_pkg::CSR_DEC_W-1:0] dec;
  assign dec = cpl_pkg::csr_decode(addr, NUM_QP);
  assign is_qp = dec[14];
  assign qp = QW'(dec[13:10]);
  assign off = dec[9:2];
  assign acc = dec[1:0];

  logic unused_ok;
  assign unused_ok = ^dec;   // qp bits above QW
endmodule

`default_nettype wire
