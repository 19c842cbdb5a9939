// Request table storage: one entry per slot (see cpl_slot_pool).
//   tag   : the request's 64-bit tag (written by the fetcher)
//   cpl   : {conn, type, status, bytes} of the finished descriptor
//   nxt   : link to the next slot of the list the slot is on (a per-connection
//           per-opcode list while outstanding, then its queue pair's
//           completion list until the descriptor write is acknowledged)
// Interfaces: one write port per field (two for nxt); asynchronous read ports for the
// matcher (nxt) and the CQ writer (tag, cpl, two nxt ports).
`default_nettype none

module cpl_req_table #(
    parameter int TBL = 288,
    parameter int SW = 9
) (
    input  wire           clk,
    input  wire           tag_we,
    input  wire [SW-1:0]  tag_waddr,
    input  wire [63:0]    tag_wdata,
    input  wire [SW-1:0]  tag_raddr,
    output logic [63:0]   tag_rdata,

    input  wire           cpl_we,
    input  wire [SW-1:0]  cpl_waddr,
    input  wire [cpl_pkg::DESC_W-1:0]    cpl_wdata,
    input  wire [SW-1:0]  cpl_raddr,
    output logic [cpl_pkg::DESC_W-1:0]   cpl_rdata,

    input  wire           nxt_we,
    input  wire [SW-1:0]  nxt_waddr,
    input  wire [SW-1:0]  nxt_wdata,
    input  wire           nxt_we2,
    input  wire [SW-1:0]  nxt_waddr2,
    input  wire [SW-1:0]  nxt_wdata2,
    input  wire [SW-1:0]  nxt_raddr0,
    output logic [SW-1:0] nxt_rdata0,
    input  wire [SW-1:0]  nxt_raddr1,
    output logic [SW-1:0] nxt_rdata1,
    input  wire [SW-1:0]  nxt_raddr2,
    output logic [SW-1:0] nxt_rdata2
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(TBL >= 2 && (1 << SW) >= TBL, g_param_check)

  logic [63:0]   tag_mem[TBL];
  logic [cpl_pkg::DESC_W-1:0]   cpl_mem[TBL];
  logic [SW-1:0] nxt_mem[TBL];

  always_ff @(posedge clk) begin
    if (tag_we) tag_mem[tag_waddr] <= tag_wdata;
  end
  always_ff @(posedge clk) begin
    if (cpl_we) cpl_mem[cpl_waddr] <= cpl_wdata;
  end
  // Two writers never hit the same slot: the matcher links slots of
  // connection lists, the CQ writer slots of completion lists.
  always_ff @(posedge clk) begin
    if (nxt_we) nxt_mem[nxt_waddr] <= nxt_wdata;
    if (nxt_we2) nxt_mem[nxt_waddr2] <= nxt_wdata2;
  end

  assign tag_rdata = tag_mem[tag_raddr];
  assign cpl_rdata = cpl_mem[cpl_raddr];
  assign nxt_rdata0 = nxt_mem[nxt_raddr0];
  assign nxt_rdata1 = nxt_mem[nxt_raddr1];
  assign nxt_rdata2 = nxt_mem[nxt_raddr2];
endmodule

`default_nettype wire
