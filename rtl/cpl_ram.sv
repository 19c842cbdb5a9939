// Table storage: a memory of DEPTH words with one write port and one read
// port whose address is registered (Yosys infers a $mem; synth_xilinx maps
// it to LUTRAM or block RAM). The word is read after the clock edge at the
// address sampled there, so a write at that same edge to the same word is
// seen (the new word): a user that puts the next cycle's address on raddr
// sees exactly what an asynchronous read of the updated table would show in
// that next cycle. No data register and no forwarding path: in LUTRAM the
// read is the RAM's own asynchronous read behind the address register; a
// block RAM takes the address register into its read port (Yosys adds the
// bypass of a same-edge write where the RAM lacks it).
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
  logic [AW-1:0]    raddr_q;

  always_ff @(posedge clk) begin : p_mem
    if (we) mem[waddr] <= wdata;
    raddr_q <= raddr;
  end

  assign rdata = mem[raddr_q];
endmodule

`default_nettype wire
