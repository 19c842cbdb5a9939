// Table storage: a memory of DEPTH words with one write port and one
// registered read port (Yosys infers a $mem; synth_xilinx maps it to LUTRAM
// or block RAM). A read in the cycle of a write to the same word returns the
// new word (the write is forwarded around the memory), so a user that puts
// the next cycle's address on raddr sees exactly what an asynchronous read of
// the updated table would show in that next cycle.
// Interfaces: we/waddr/wdata write at the clock edge; raddr is sampled at the
// clock edge and rdata holds that word during the following cycle.
`default_nettype none

module cpl_ram #(
    parameter int DEPTH = 288,
    parameter int AW = 9,
    parameter int WIDTH = 64
) (
    input  wire              clk,
    input  wire              we,
    input  wire  [AW-1:0]    waddr,
    input  wire  [WIDTH-1:0] wdata,
    input  wire  [AW-1:0]    raddr,
    output logic [WIDTH-1:0] rdata
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(DEPTH >= 2 && (1 << AW) >= DEPTH && WIDTH >= 1, g_param_check)

  logic [WIDTH-1:0] mem[DEPTH];
  logic [WIDTH-1:0] rd_q, fwd_q;
  logic             fwd_sel_q;

  always_ff @(posedge clk) begin : p_mem
    if (we) mem[waddr] <= wdata;
    rd_q <= mem[raddr];
  end

  always_ff @(posedge clk) begin : p_forward
    fwd_sel_q <= we && waddr == raddr;
    if (we && waddr == raddr) fwd_q <= wdata;   // kept only when it is used
  end

  assign rdata = fwd_sel_q ? fwd_q : rd_q;
endmodule

`default_nettype wire
