// Connection table storage: one word of matcher state per connection
// (cpl_ram: one write port, registered read) plus its state (CLOSED /
// OFFLOADED / ABORTED) in flip-flops, which alone is reset (to CLOSED):
// OFFLOAD writes the whole word before anything reads it.
// Interfaces: raddr_next is the connection of the next cycle's step, whose
// word arrives on rdata in that cycle (a write of this cycle to it included);
// the state of that connection arrives on rstate in that cycle too: it is
// read registered at both connections the next step may work on (state_cur,
// the held operation's, and state_cand, the one the read stage would take)
// and chosen by state_take, so neither read follows the compute stage; one
// write port (the matcher touches one connection per step).
`default_nettype none

module cpl_conn_table #(
    parameter int NUM_CONN = 64,
    parameter int CW = 6,
    parameter int WORD_W = 64
) (
    input  wire              clk,
    input  wire              rst,
    input  wire  [CW-1:0]    raddr_next,
    output logic [WORD_W-1:0] rdata,
    input  wire  [CW-1:0]    state_cur,
    input  wire  [CW-1:0]    state_cand,
    input  wire              state_take,
    output logic [1:0]       rstate,
    input  wire              we,
    input  wire  [CW-1:0]    waddr,
    input  wire  [1:0]       wstate,
    input  wire  [WORD_W-1:0] wdata
);
`include "rtl/cpl_check.svh"
  localparam int RAM_DEPTH = NUM_CONN >= 2 ? NUM_CONN : 2;
  `CPL_CHECK(NUM_CONN >= 1 && (1 << CW) >= NUM_CONN && WORD_W >= 1, g_param_check)

  cpl_ram #(.DEPTH(RAM_DEPTH), .AW(CW), .WIDTH(WORD_W)) u_words (
      .clk, .we, .waddr, .wdata, .raddr(raddr_next), .rdata);

  logic [2*NUM_CONN-1:0] state;   // packed: one reset for every entry

  logic [1:0] cur_q, cand_q;
  logic       take_q;
  assign rstate = take_q ? cand_q : cur_q;

  always_ff @(posedge clk) begin : p_state
    if (rst) begin
      state <= '0;
      cur_q <= '0;
      cand_q <= '0;
      take_q <= 1'b0;
    end else begin
      if (we) state[32'(waddr)*2 +: 2] <= wstate;
      // this cycle's write included
      cur_q <= we && waddr == state_cur ? wstate : state[32'(state_cur)*2 +: 2];
      cand_q <= we && waddr == state_cand ? wstate : state[32'(state_cand)*2 +: 2];
      take_q <= state_take;
    end
  end
endmodule

`default_nettype wire
