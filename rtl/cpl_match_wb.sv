// Matcher write-back stage: the part of a step's connection word that is
// only complete one cycle after the step. The step writes its connection
// word to the table itself, except the four lists' successor records (the
// link word of each list's head: successor slot, metadata and length); a
// step that takes a list's head off moves that successor into the head
// fields and asks for a refill: the list's successor record is then the
// link word of the new head, which the link memory returns in this stage
// (registered read issued by the step). This stage holds the records for
// one cycle, completes them with that link word and writes them, with the
// connection's state, to the table; the matcher forwards the completed
// records to the next step when that step works on the same connection
// (what it read from the table does not hold this write yet). It also holds
// the word's fields the hints are formed from (aux), so the hints are
// formed beside this write and not after the step.
// Interfaces: s_* the step's write (valid only when the step fired and wrote
// its connection); link_rdata the link memory's registered read; tbl_* the
// connection table's successor-record and state write port (tbl_wlinks the
// completed records); aux the held hint sources; fwd_state the state of the
// connection being written in this cycle (the matcher keeps its own
// registered flag of whether that connection is its step's).
`default_nettype none

module cpl_match_wb #(
    parameter int CW = 6,
    parameter int LINK_W = 62,
    parameter int AUX_W = 8
) (
    input  wire                 clk,
    input  wire                 rst,

    input  wire                 s_we,
    input  wire  [CW-1:0]       s_index,
    input  wire  [1:0]          s_state,
    input  wire  [4*LINK_W-1:0] s_links,
    input  wire  [AUX_W-1:0]    s_aux,
    input  wire                 s_refill,
    input  wire  [1:0]          s_refill_list,

    input  wire  [LINK_W-1:0]   link_rdata,

    output logic                tbl_we,
    output logic [CW-1:0]       tbl_waddr,
    output logic [1:0]          tbl_wstate,
    output logic [4*LINK_W-1:0] tbl_wlinks,
    output logic [AUX_W-1:0]    aux,

    output logic [1:0]          fwd_state
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(LINK_W >= 1 && AUX_W >= 1, g_param_check)

  logic                we_q;
  logic [CW-1:0]       index_q;
  logic [1:0]          state_q;
  logic [4*LINK_W-1:0] links_q;
  logic [AUX_W-1:0]    aux_q;
  // refill_at_q[i]: list i's successor record is the link word read now
  // (decoded before the register, so each bit of a record is chosen by one
  // flag and the forwarded records cost the step one level less)
  logic [3:0]          refill_at_q;

  always_ff @(posedge clk) begin : p_stage
    int i;
    if (rst) begin
      we_q <= 1'b0;
      index_q <= '0;
      state_q <= '0;
      links_q <= '0;
      aux_q <= '0;
      refill_at_q <= '0;
    end else begin
      we_q <= s_we;
      if (s_we) begin
        index_q <= s_index;
        state_q <= s_state;
        links_q <= s_links;
        aux_q <= s_aux;
        for (i = 0; i < 4; i++) refill_at_q[i] <= s_refill && s_refill_list == 2'(i);
      end
    end
  end

  logic [4*LINK_W-1:0] links_done;
  always_comb begin : b_refill
    int i;
    logic [4*LINK_W-1:0] links_l;
    links_l = links_q;
    for (i = 0; i < 4; i++)
      if (refill_at_q[i]) links_l[i * LINK_W +: LINK_W] = link_rdata;
    links_done = links_l;
  end

  assign tbl_we = we_q;
  assign tbl_waddr = index_q;
  assign tbl_wstate = state_q;
  assign tbl_wlinks = links_done;
  assign aux = aux_q;
  assign fwd_state = state_q;
endmodule

`default_nettype wire
