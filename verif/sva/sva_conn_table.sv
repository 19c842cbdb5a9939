// Checker of the connection table (cpl_conn_table ports): keeps its own copy
// of every connection's state, CLOSED after reset. After rst the table is not
// ready for exactly NUM_CONN cycles (its clearing); the matcher writes
// nothing meanwhile (neither the step's word nor the write-back stage's
// records and state); once ready, the state it returns for the next step is
// the state of the connection read (the held operation's or, when taken, the
// candidate's), a write of the reading cycle included.
`default_nettype none

module sva_conn_table #(
    parameter int NUM_CONN = 64,
    parameter int CW = 6
) (
    input wire          clk,
    input wire          rst,
    input wire          ready,
    input wire [CW-1:0] state_cur,
    input wire [CW-1:0] state_cand,
    input wire          state_take,
    input wire [1:0]    rstate,
    input wire          main_we,
    input wire [CW-1:0] main_waddr,
    input wire          we,
    input wire [CW-1:0] waddr,
    input wire [1:0]    wstate
);
  localparam int CLEAR = NUM_CONN >= 2 ? NUM_CONN : 2;
  logic [2*NUM_CONN-1:0] shadow;  // packed: one reset for every entry
  logic [31:0] since_rst_q;    // cycles since reset (saturating at CLEAR)
  logic [1:0]  cur_q, cand_q;  // the expected state at either address
  logic        take_q;
  logic        read_ready_q;   // the read of this cycle's rstate came after the clearing

  always_ff @(posedge clk) begin : p_shadow
    if (rst) begin
      shadow <= '0;
      since_rst_q <= '0;
      read_ready_q <= 1'b0;
      take_q <= 1'b0;
    end else begin
      if (we && 32'(waddr) < NUM_CONN) shadow[32'(waddr)*2 +: 2] <= wstate;
      if (since_rst_q < CLEAR) since_rst_q <= since_rst_q + 1;
      read_ready_q <= ready;
      take_q <= state_take;
    end
    cur_q <= we && waddr == state_cur ? wstate
           : 32'(state_cur) < NUM_CONN ? shadow[32'(state_cur)*2 +: 2] : 2'd0;
    cand_q <= we && waddr == state_cand ? wstate
            : 32'(state_cand) < NUM_CONN ? shadow[32'(state_cand)*2 +: 2] : 2'd0;
  end

  a_clearing_time : assert property (@(posedge clk) disable iff (rst)
      ready == (since_rst_q >= CLEAR))
    else $error("SVA connection table: ready %0d %0d cycles after reset (clearing takes %0d)",
                ready, since_rst_q, CLEAR);
  a_no_write_while_clearing : assert property (@(posedge clk) disable iff (rst)
      we |-> ready)
    else $error("SVA connection table: connection %0d written while clearing", waddr);
  a_no_step_write_while_clearing : assert property (@(posedge clk) disable iff (rst)
      main_we |-> ready)
    else $error("SVA connection table: connection %0d's word written while clearing", main_waddr);
  a_state_read : assert property (@(posedge clk) disable iff (rst)
      read_ready_q |-> rstate == (take_q ? cand_q : cur_q))
    else $error("SVA connection table: state %0d read, expected %0d", rstate,
                take_q ? cand_q : cur_q);
endmodule

`default_nettype wire
