// Matcher write-back stage: holds the connection word a matcher step
// computed for one cycle, completes it with the link word read for it and
// writes it to the connection table (the matcher fills in the word's hints
// on the way, and forwards the same word to the next step when that step
// works on the same connection: the word it read from the table does not
// hold this write yet).
// The last LINK_W * 4 bits of a connection word are the four lists' successor
// records (the link word of each list's head: successor slot, metadata and
// length). A step that takes a list's head off moves that successor into the
// head fields and asks for a refill: the successor record of that list is
// then the link word of the new head, which the link memory returns in this
// stage (registered read issued by the step).
// Interfaces: s_* the step's write (valid only when the step fired and wrote
// its connection); link_rdata the link memory's registered read; tbl_* the
// connection table's write port (tbl_wdata the completed word); fwd_state
// the state of the connection being written in this cycle (the matcher keeps
// its own registered flag of whether that connection is its step's).
`default_nettype none

module cpl_match_wb #(
    parameter int CW = 6,
    parameter int WORD_W = 256,
    parameter int LINK_W = 62
) (
    input  wire               clk,
    input  wire               rst,

    input  wire               s_we,
    input  wire  [CW-1:0]     s_index,
    input  wire  [1:0]        s_state,
    input  wire  [WORD_W-1:0] s_word,
    input  wire               s_refill,
    input  wire  [1:0]        s_refill_list,

    input  wire  [LINK_W-1:0] link_rdata,

    output logic              tbl_we,
    output logic [CW-1:0]     tbl_waddr,
    output logic [1:0]        tbl_wstate,
    output logic [WORD_W-1:0] tbl_wdata,

    output logic [1:0]        fwd_state
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(WORD_W > 4 * LINK_W && LINK_W >= 1, g_param_check)

  logic              we_q;
  logic [CW-1:0]     index_q;
  logic [1:0]        state_q;
  logic [WORD_W-1:0] word_q;
  // refill_at_q[i]: list i's successor record is the link word read now
  // (decoded before the register, so each bit of a record is chosen by one
  // flag and the forwarded word costs the step one level less)
  logic [3:0]        refill_at_q;

  always_ff @(posedge clk) begin : p_stage
    int i;
    if (rst) begin
      we_q <= 1'b0;
      index_q <= '0;
      state_q <= '0;
      word_q <= '0;
      refill_at_q <= '0;
    end else begin
      we_q <= s_we;
      if (s_we) begin
        index_q <= s_index;
        state_q <= s_state;
        word_q <= s_word;
        for (i = 0; i < 4; i++) refill_at_q[i] <= s_refill && s_refill_list == 2'(i);
      end
    end
  end

  logic [WORD_W-1:0] word_done;
  always_comb begin : b_refill
    int i;
    logic [WORD_W-1:0] word_l;
    word_l = word_q;
    for (i = 0; i < 4; i++)
      if (refill_at_q[i]) word_l[i * LINK_W +: LINK_W] = link_rdata;
    word_done = word_l;
  end

  assign tbl_we = we_q;
  assign tbl_waddr = index_q;
  assign tbl_wstate = state_q;
  assign tbl_wdata = word_done;
  assign fwd_state = state_q;
endmodule

`default_nettype wire
