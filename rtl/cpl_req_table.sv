// Request table storage: one entry per slot (see cpl_slot_pool), each field
// a memory with one write port and registered reads (cpl_ram). The
// connection-list links are the matcher's own (cpl_req_link).
//   tag      : the request's 64-bit tag (written by the fetcher)
//   desc     : the finished descriptor (cpl_pkg internal descriptor word,
//              written by the matcher)
//   cq_nxt   : link to the next slot of its queue pair's completion list once
//              finished (written by the CQ writer; two copies, one read by the
//              walker and one by the commit)
// Interfaces: one write port per field; tag, desc and the walker's cq_nxt
// share one read address (walk_raddr), the commit's cq_nxt has its own;
// registered reads return in the next cycle the word at the address given in
// this one. The links include a write of this cycle; tag and desc do not,
// and leave a read of the word written in this cycle undefined (READ_NEW = 0,
// no bypass logic): no slot is walked in the cycle after its tag or its
// descriptor is written (docs/rtl-microarchitecture.md, Storage).
`default_nettype none

module cpl_req_table #(
    parameter int TBL = 288,
    parameter int SW = 9
) (
    input  wire           clk,
    input  wire           tag_we,
    input  wire [SW-1:0]  tag_waddr,
    input  wire [63:0]    tag_wdata,

    input  wire           desc_we,
    input  wire [SW-1:0]  desc_waddr,
    input  wire [cpl_pkg::DESC_W-1:0] desc_wdata,

    input  wire  [SW-1:0] walk_raddr,
    output logic [63:0]   tag_rdata,
    output logic [cpl_pkg::DESC_W-1:0] desc_rdata,
    output logic [SW-1:0] cq_nxt_walk_rdata,

    input  wire           cq_nxt_we,
    input  wire [SW-1:0]  cq_nxt_waddr,
    input  wire [SW-1:0]  cq_nxt_wdata,
    input  wire [SW-1:0]  cq_nxt_commit_raddr,
    output logic [SW-1:0] cq_nxt_commit_rdata
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(TBL >= 2 && (1 << SW) >= TBL, g_param_check)

  cpl_ram #(.DEPTH(TBL), .AW(SW), .WIDTH(64), .READ_NEW(1'b0)) u_tag (
      .clk, .we(tag_we), .waddr(tag_waddr), .wdata(tag_wdata), .raddr(walk_raddr), .rdata(tag_rdata));

  cpl_ram #(.DEPTH(TBL), .AW(SW), .WIDTH(cpl_pkg::DESC_W), .READ_NEW(1'b0)) u_desc (
      .clk, .we(desc_we), .waddr(desc_waddr), .wdata(desc_wdata), .raddr(walk_raddr),
      .rdata(desc_rdata));

  cpl_ram #(.DEPTH(TBL), .AW(SW), .WIDTH(SW)) u_cq_nxt_walk (
      .clk, .we(cq_nxt_we), .waddr(cq_nxt_waddr), .wdata(cq_nxt_wdata), .raddr(walk_raddr),
      .rdata(cq_nxt_walk_rdata));

  cpl_ram #(.DEPTH(TBL), .AW(SW), .WIDTH(SW)) u_cq_nxt_commit (
      .clk, .we(cq_nxt_we), .waddr(cq_nxt_waddr), .wdata(cq_nxt_wdata), .raddr(cq_nxt_commit_raddr),
      .rdata(cq_nxt_commit_rdata));
endmodule

`default_nettype wire
