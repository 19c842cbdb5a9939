// Per-slot bookkeeping of requests waiting on a connection list:
// meta {failed, fail status[2:0], seq[15:0]} and len {NO_PUSH, length[31:0]}. A failed
// request waits in its list (behind earlier requests of its opcode) and
// completes with its fail status when it reaches the head; seq is the
// connection's posting order, used to flush several lists in posting order.
// Interfaces: one write port (append); meta has five asynchronous read ports
// (the heads of the four lists of a connection and the successor of the head
// being taken off), len one (the head the matcher works on).
`default_nettype none

module cpl_req_meta #(
    parameter int TBL = 288,
    parameter int SW = 9
) (
    input  wire           clk,
    input  wire           we,
    input  wire  [SW-1:0] waddr,
    input  wire  [19:0]   wdata,
    input  wire  [32:0]   len_wdata,
    input  wire  [SW-1:0] len_raddr,
    output logic [32:0]   len_rdata,
    input  wire  [SW-1:0] raddr0,
    output logic [19:0]   rdata0,
    input  wire  [SW-1:0] raddr1,
    output logic [19:0]   rdata1,
    input  wire  [SW-1:0] raddr2,
    output logic [19:0]   rdata2,
    input  wire  [SW-1:0] raddr3,
    output logic [19:0]   rdata3,
    input  wire  [SW-1:0] raddr4,
    output logic [19:0]   rdata4
);
`include "rtl/cpl_defs.svh"
  `CPL_CHECK(TBL >= 2 && (1 << SW) >= TBL, g_param_check)

  logic [19:0] mem[TBL];
  logic [32:0] len_mem[TBL];

  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
  end
  always_ff @(posedge clk) begin
    if (we) len_mem[waddr] <= len_wdata;
  end

  assign len_rdata = len_mem[len_raddr];
  assign rdata0 = mem[raddr0];
  assign rdata1 = mem[raddr1];
  assign rdata2 = mem[raddr2];
  assign rdata3 = mem[raddr3];
  assign rdata4 = mem[raddr4];
endmodule

`default_nettype wire
