// Connection table storage: one word of matcher state per connection and
// its state (CLOSED / OFFLOADED / ABORTED), all in memories (cpl_ram: one
// write port, registered read). The word is two memories with a writer
// each: its first WORD_W - LINKS_W bits (main_*: written by the matcher's
// step) and its last LINKS_W bits, the lists' successor records (written
// with the state by the write-back stage a cycle later); rdata is the two
// read side by side. Memories have no reset: after rst the table clears
// itself, writing CLOSED (0) into every state entry, one connection per
// cycle (NUM_CONN cycles; ready is low meanwhile and the matcher takes no
// operation). OFFLOAD writes the whole word before anything reads it, so
// the words need no clearing.
// Interfaces: raddr_next is the connection of the next cycle's step, whose
// word arrives on rdata in that cycle (a write of this cycle to it included);
// the state of that connection arrives on rstate in that cycle too: it is
// read registered at both connections the next step may work on (state_cur,
// the held operation's, and state_cand, the one the read stage would take),
// from two copies of the state memory, and chosen by state_take, so neither
// read follows the compute stage; two write ports, each one connection per
// cycle (the clearing writes both state copies).
`default_nettype none

module cpl_conn_table #(
    parameter int NUM_CONN = 64,
    parameter int CW = 6,
    parameter int WORD_W = 64,
    parameter int LINKS_W = 16
) (
    input  wire              clk,
    input  wire              rst,
    output logic             ready,
    input  wire  [CW-1:0]    raddr_next,
    output logic [WORD_W-1:0] rdata,
    input  wire  [CW-1:0]    state_cur,
    input  wire  [CW-1:0]    state_cand,
    input  wire              state_take,
    output logic [1:0]       rstate,
    input  wire              main_we,
    input  wire  [CW-1:0]    main_waddr,
    input  wire  [WORD_W-LINKS_W-1:0] main_wdata,
    input  wire              we,
    input  wire  [CW-1:0]    waddr,
    input  wire  [1:0]       wstate,
    input  wire  [LINKS_W-1:0] wlinks
);
`include "rtl/cpl_check.svh"
  localparam int RAM_DEPTH = NUM_CONN >= 2 ? NUM_CONN : 2;
  `CPL_CHECK(NUM_CONN >= 1 && (1 << CW) >= NUM_CONN && LINKS_W >= 1 && WORD_W > LINKS_W,
             g_param_check)

  logic [WORD_W-LINKS_W-1:0] main_rdata;
  logic [LINKS_W-1:0]        links_rdata;
  cpl_ram #(.DEPTH(RAM_DEPTH), .AW(CW), .WIDTH(WORD_W - LINKS_W)) u_words (
      .clk, .we(main_we), .waddr(main_waddr), .wdata(main_wdata), .raddr(raddr_next),
      .rdata(main_rdata));
  cpl_ram #(.DEPTH(RAM_DEPTH), .AW(CW), .WIDTH(LINKS_W)) u_links (
      .clk, .we, .waddr, .wdata(wlinks), .raddr(raddr_next), .rdata(links_rdata));
  assign rdata = {main_rdata, links_rdata};

  // The clearing sweep after reset: clear_index walks every connection.
  logic          clearing;
  logic [CW-1:0] clear_index;
  always_ff @(posedge clk) begin : p_clear
    if (rst) begin
      clearing <= 1'b1;
      clear_index <= '0;
    end else if (clearing) begin
      clearing <= 32'(clear_index) != RAM_DEPTH - 1;
      clear_index <= clear_index + CW'(1);
    end
  end
  assign ready = !clearing;

  logic          state_we;
  logic [CW-1:0] state_waddr;
  logic [1:0]    state_wdata;
  always_comb begin : b_state_write
    logic          state_we_l;
    logic [CW-1:0] state_waddr_l;
    logic [1:0]    state_wdata_l;
    state_we_l = we || clearing;
    state_waddr_l = clearing ? clear_index : waddr;
    state_wdata_l = clearing ? 2'd0 : wstate;
    state_we = state_we_l;
    state_waddr = state_waddr_l;
    state_wdata = state_wdata_l;
  end

  logic [1:0] cur_state, cand_state;
  cpl_ram #(.DEPTH(RAM_DEPTH), .AW(CW), .WIDTH(2)) u_state_cur (
      .clk, .we(state_we), .waddr(state_waddr), .wdata(state_wdata), .raddr(state_cur),
      .rdata(cur_state));
  cpl_ram #(.DEPTH(RAM_DEPTH), .AW(CW), .WIDTH(2)) u_state_cand (
      .clk, .we(state_we), .waddr(state_waddr), .wdata(state_wdata), .raddr(state_cand),
      .rdata(cand_state));

  logic take_q;
  always_ff @(posedge clk) begin : p_take
    if (rst) take_q <= 1'b0;
    else take_q <= state_take;
  end
  assign rstate = take_q ? cand_state : cur_state;
endmodule

`default_nettype wire
