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
// With READ_NEW = 0 the read is registered instead, from the word as it was
// before the edge, and a read of the word written at that same edge has no
// defined result (see g_read_any): for a user that never reads a word in the
// cycle it writes it, this spares a block RAM the bypass logic.
// Interfaces: we/waddr/wdata write at the clock edge; raddr is sampled at the
// clock edge and rdata holds that word during the following cycle.
`default_nettype none

module cpl_ram #(
    parameter int DEPTH = 288,
    parameter int AW = 9,
    parameter int WIDTH = 64,
    parameter bit READ_NEW = 1'b1
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

  if (READ_NEW) begin : g_read_new
    logic [WIDTH-1:0] mem[DEPTH];
    logic [AW-1:0]    raddr_q;
    always_ff @(posedge clk) begin : p_mem
      if (we) mem[waddr] <= wdata;
      raddr_q <= raddr;
    end
    assign rdata = mem[raddr_q];
  end else begin : g_read_any
    // The read is registered from the array as it was before the edge, and
    // what a read of the word written at that same edge returns is left to
    // the RAM (no_rw_check: Yosys adds no bypass). The user never uses that
    // read's data. Simulation returns it inverted, so a use shows.
    (* no_rw_check *) logic [WIDTH-1:0] mem[DEPTH];
    logic [WIDTH-1:0] rdata_q;
    always_ff @(posedge clk) begin : p_mem
      if (we) mem[waddr] <= wdata;
`ifdef SYNTHESIS
      rdata_q <= mem[raddr];
`else
      rdata_q <= we && waddr == raddr ? ~mem[raddr] : mem[raddr];
`endif
    end
    assign rdata = rdata_q;
  end
endmodule

`default_nettype wire
