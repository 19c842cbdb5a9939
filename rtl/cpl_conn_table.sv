// Connection table storage: one word of matcher state per connection plus
// its state (CLOSED / OFFLOADED / ABORTED), which alone is reset (to CLOSED):
// OFFLOAD writes the whole word before anything reads it.
// Interfaces: one asynchronous read port and one write port (the matcher
// touches one connection per step).
`default_nettype none

module cpl_conn_table #(
    parameter int NUM_CONN = 64,
    parameter int CW = 6,
    parameter int WORD_W = 64
) (
    input  wire           clk,
    input  wire           rst,
    input  wire  [CW-1:0] raddr,
    output logic [1:0]    rstate,
    output logic [WORD_W-1:0] rdata,
    input  wire           we,
    input  wire  [CW-1:0] waddr,
    input  wire  [1:0]    wstate,
    input  wire  [WORD_W-1:0] wdata
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(NUM_CONN >= 1 && (1 << CW) >= NUM_CONN && WORD_W >= 1, g_param_check)

  logic [WORD_W-1:0] mem[NUM_CONN];
  logic [2*NUM_CONN-1:0] state;   // packed: one reset for every entry

  assign rdata = mem[raddr];
  assign rstate = state[32'(raddr)*2 +: 2];

  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      state <= '0;
    end else if (we) begin
      state[32'(waddr)*2 +: 2] <= wstate;
    end
  end
endmodule

`default_nettype wire
