// Per-slot bookkeeping of requests waiting on a connection list: meta
// (cpl_matcher's req_meta_t: failed, fail status, seq) and len (req_len_t:
// NO_PUSH, length). A failed
// request waits in its list (behind earlier requests of its opcode) and
// completes with its fail status when it reaches the head; seq is the
// connection's posting order, used to flush several lists in posting order.
// Interfaces: one write port (append); meta has five asynchronous read ports
// (the heads of the four lists of a connection and the successor of the head
// being taken off), len one (the head the matcher works on).
`default_nettype none

module cpl_req_meta #(
    parameter int TBL = 288,
    parameter int SW = 9,
    parameter int META_W = 20,
    parameter int LEN_W = 33
) (
    input  wire           clk,
    input  wire           we,
    input  wire  [SW-1:0] waddr,
    input  wire  [META_W-1:0]   wdata,
    input  wire  [LEN_W-1:0]   len_wdata,
    input  wire  [SW-1:0] len_raddr,
    output logic [LEN_W-1:0]   len_rdata,
    input  wire  [SW-1:0] raddr0,
    output logic [META_W-1:0]   rdata0,
    input  wire  [SW-1:0] raddr1,
    output logic [META_W-1:0]   rdata1,
    input  wire  [SW-1:0] raddr2,
    output logic [META_W-1:0]   rdata2,
    input  wire  [SW-1:0] raddr3,
    output logic [META_W-1:0]   rdata3,
    input  wire  [SW-1:0] raddr4,
    output logic [META_W-1:0]   rdata4
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(TBL >= 2 && (1 << SW) >= TBL && META_W >= 1 && LEN_W >= 1, g_param_check)

  logic [META_W-1:0] mem[TBL];
  logic [LEN_W-1:0] len_mem[TBL];

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
