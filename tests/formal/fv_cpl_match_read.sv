// Formal properties of the matcher's read stage (cpl_match_read) at its
// ports: the compute stage's fire, done, pop and next_* are free inputs
// (fire only while an operation is held), and so are the command, the two
// FIFO heads (which, like cpl_fifo's, keep valid and data until taken) and
// CTRL.ENABLE. From reset, for every such sequence:
// - an operation is taken only when none is held or the held one ends
//   (fire && done), and then it is held in the next cycle, with the fields
//   of the entry taken; otherwise a fired step loads next_*, and without a
//   fire nothing changes;
// - every request and event that leaves its FIFO is taken exactly once,
//   with its own fields (a watched entry of each input, chosen at random as
//   it leaves its FIFO), and at most one of each waits in the stage: a FIFO
//   head leaves exactly when CTRL.ENABLE = 1 and none of its input waits,
//   and `queued` says whether one waits;
// - no request or event is taken while CTRL.ENABLE = 0, and no command
//   while CTRL.ENABLE = 1 and a request waits or its FIFO offers one
//   (PRM 12: a command goes after the requests fetched before it);
// - when a request and an event both wait, they are taken alternately;
// - take_index and take_ok describe the connection of the operation taken
//   (its index, 0 out of range), take_same compares it with cur_index.
// The proof runs on Yosys's reading of the RTL, which is also what every
// netlist is built from. It found Yosys 0.23 sizing a conditional of size
// casts at 32 bits inside a concatenation: `{8'hAA, ok ? 2'(c) : 2'(0)}`
// is 0 there (Verilator and Icarus give 8'hAA and the two bits), which had
// shifted every field of the read stage's entries in the netlist.
`default_nettype none

module fv_cpl_match_read #(
    parameter int NUM_CONN = 4,
    parameter int CW = 2,
    parameter int QW = 1,
    parameter int SW = 2
) (
    input wire               clk,
    input wire               rst,
    input wire               enable,
    input wire               cmd_valid,
    input wire  [15:0]       cmd_conn,
    input wire  [31:0]       cmd_arg,
    input wire               s_req_valid,
    input wire  [SW+QW+63:0] s_req_data,
    input wire               s_evt_valid,
    input wire  [63:0]       s_evt_data,
    input wire               fire,
    input wire               done,
    input wire               pop,
    input wire  [2:0]        next_kind,
    input wire  [31:0]       next_rem,
    input wire               next_rem_zero,
    input wire  [2:0]        next_status,
    input wire  [1:0]        next_final,
    input wire               next_first,
    input wire  [CW-1:0]     cur_index,
    input wire               watch_req,   // watch the request leaving its FIFO now
    input wire               watch_evt    // watch the event leaving its FIFO now
);
  localparam logic [2:0] K_REQ = 3'd0;
  localparam logic [2:0] K_EVT = 3'd1;
  localparam logic [2:0] K_CMD = 3'd2;

  logic s_req_ready, s_evt_ready, take, take_ok, take_same, queued, cmd_waits;
  logic [CW-1:0] take_index;
  logic op_valid, op_rem_zero, op_push, op_first, op_popped, op_well_formed;
  logic [2:0] op_kind, op_status;
  logic [15:0] op_conn;
  logic [31:0] op_rem;
  logic [3:0] op_evtype;
  logic [7:0] op_opcode, op_flags;
  logic [1:0] op_final;
  logic [SW-1:0] op_slot;
  logic [QW-1:0] op_qp;

  cpl_match_read #(.NUM_CONN(NUM_CONN), .CW(CW), .QW(QW), .SW(SW)) dut (
      .clk, .rst, .enable, .cmd_valid, .cmd_conn, .cmd_arg,
      .s_req_valid, .s_req_ready, .s_req_data, .s_evt_valid, .s_evt_ready, .s_evt_data,
      .fire, .done, .pop, .next_kind, .next_rem, .next_rem_zero, .next_status, .next_final,
      .next_first, .take, .take_index, .take_ok, .cur_index, .take_same,
      .op_valid, .op_kind, .op_conn, .op_rem, .op_rem_zero, .op_evtype, .op_push, .op_first,
      .op_popped, .op_opcode, .op_flags, .op_well_formed, .op_status, .op_final, .op_slot,
      .op_qp, .queued, .cmd_waits);

  logic past_valid = 1'b0;
  wire live = past_valid && !rst;

  // ---------------------------------------------------------- environment
  logic               req_stalled = 1'b0, evt_stalled = 1'b0;  // offered, not taken
  logic [SW+QW+63:0]  req_offered = '0;
  logic [63:0]        evt_offered = '0;
  always_comb begin : b_assume
    if (!past_valid) assume (rst);
    if (fire) assume (op_valid);
    if (live && req_stalled) assume (s_req_valid && s_req_data == req_offered);
    if (live && evt_stalled) assume (s_evt_valid && s_evt_data == evt_offered);
  end

  // ---------------------------------------------------------- reference
  wire req_in = s_req_valid && s_req_ready;
  wire evt_in = s_evt_valid && s_evt_ready;
  logic       took = 1'b0;           // take in the cycle before
  logic       req_in_q = 1'b0, evt_in_q = 1'b0;
  logic [1:0] n_req = '0, n_evt = '0;   // left their FIFO, not yet taken (up to the cycle before)
  logic       watching_req = 1'b0, watching_evt = 1'b0;
  logic [SW+QW+63:0] w_req = '0;
  logic [63:0]       w_evt = '0;
  logic       last_req = 1'b1;      // the last request or event taken was a request
  logic       both_waited = 1'b0;   // at the take of the cycle before, both inputs had one
  logic       last_req_q = 1'b0;
  logic       rst_q = 1'b1;
  logic       enable_q = 1'b0;
  logic       req_avail_q = 1'b0;
  logic       fire_q = 1'b0, done_q = 1'b0, pop_q = 1'b0, op_valid_q = 1'b0, op_popped_q = 1'b0;
  logic [2:0] next_kind_q = '0, next_status_q = '0, op_kind_q = '0, op_status_q = '0;
  logic [31:0] next_rem_q = '0, op_rem_q = '0;
  logic       next_rem_zero_q = 1'b0, next_first_q = 1'b0, op_rem_zero_q = 1'b0, op_first_q = 1'b0;
  logic [1:0] next_final_q = '0, op_final_q = '0;
  logic [15:0] op_conn_q = '0;
  logic [CW-1:0] take_index_q = '0;
  logic       take_ok_q = 1'b0;

  // what the cycle after a take shows: a request, an event, a command
  wire took_req = took && op_kind == K_REQ;
  wire took_evt = took && op_kind == K_EVT;
  wire [1:0] n_req_now = n_req + 2'(req_in_q) - 2'(took_req);
  wire [1:0] n_evt_now = n_evt + 2'(evt_in_q) - 2'(took_evt);

  always_ff @(posedge clk) begin : p_ref
    past_valid <= 1'b1;
    req_stalled <= s_req_valid && !s_req_ready && !rst;
    evt_stalled <= s_evt_valid && !s_evt_ready && !rst;
    req_offered <= s_req_data;
    evt_offered <= s_evt_data;
    took <= take && !rst;
    req_in_q <= req_in && !rst;
    evt_in_q <= evt_in && !rst;
    rst_q <= rst;
    enable_q <= enable;
    req_avail_q <= n_req_now != '0 || s_req_valid;
    both_waited <= (n_req_now != '0 || s_req_valid) && (n_evt_now != '0 || s_evt_valid);
    last_req_q <= took_req || (last_req && !took_evt);   // as of the take of this cycle
    {fire_q, done_q, pop_q, op_valid_q, op_popped_q} <= {fire, done, pop, op_valid, op_popped};
    {next_kind_q, next_status_q, op_kind_q, op_status_q} <= {next_kind, next_status, op_kind, op_status};
    {next_rem_q, op_rem_q, next_final_q, op_final_q} <= {next_rem, op_rem, next_final, op_final};
    {next_rem_zero_q, next_first_q, op_rem_zero_q, op_first_q} <=
        {next_rem_zero, next_first, op_rem_zero, op_first};
    op_conn_q <= op_conn;
    take_index_q <= take_index;
    take_ok_q <= take_ok;
    if (rst) begin
      n_req <= '0;
      n_evt <= '0;
      watching_req <= 1'b0;
      watching_evt <= 1'b0;
      last_req <= 1'b1;   // after reset an event goes first when both wait
    end else begin
      n_req <= n_req_now;
      n_evt <= n_evt_now;
      if (took_req) last_req <= 1'b1;
      if (took_evt) last_req <= 1'b0;
      // A FIFO head leaves only while none of its input waits, so the
      // watched entry is the next of its input taken: in the cycle it
      // leaves (straight on) or later. The cycle after that take shows it.
      if (took_req) watching_req <= 1'b0;
      if (took_evt) watching_evt <= 1'b0;
      if (req_in && watch_req && (!watching_req || took_req)) begin
        watching_req <= 1'b1;
        w_req <= s_req_data;
      end
      if (evt_in && watch_evt && (!watching_evt || took_evt)) begin
        watching_evt <= 1'b1;
        w_evt <= s_evt_data;
      end
    end
  end

  // ---------------------------------------------------------- properties
  always_comb begin : b_props
    if (live) begin
      // at most one entry of each input waits; a FIFO head leaves exactly
      // when its input has none waiting
      a_req_count: assert (n_req_now <= 2'd1);
      a_evt_count: assert (n_evt_now <= 2'd1);
      a_req_ready: assert (s_req_ready == (enable && s_req_valid && n_req_now == '0));
      a_evt_ready: assert (s_evt_ready == (enable && s_evt_valid && n_evt_now == '0));
      a_queued: assert (queued == (n_req_now != '0 || n_evt_now != '0));
      a_take_when_free: assert (!take || !op_valid || (fire && done));
      a_take_same: assert (take_same == (take_index == cur_index));
      // the cycle after a take: the operation taken, of the three kinds
      if (took) begin
        a_took_held: assert (op_valid && !op_popped);
        a_took_kind: assert (op_kind == K_REQ || op_kind == K_EVT || op_kind == K_CMD);
        a_took_index: assert (take_ok_q == (32'(op_conn) < NUM_CONN) &&
                              take_index_q == (take_ok_q ? CW'(op_conn) : CW'(0)));
        a_took_rem_zero: assert (op_rem_zero == (op_rem == 32'd0));
        a_no_take_disabled: assert (enable_q || op_kind == K_CMD);
        a_cmd_after_requests: assert (!(enable_q && req_avail_q) || op_kind != K_CMD);
        if (op_kind != K_CMD && both_waited) a_alternate: assert ((op_kind == K_REQ) != last_req_q);
        if (op_kind == K_EVT) a_evt_first: assert (op_first);
      end else if (!rst_q) begin
        if (fire_q) begin
          a_step_valid: assert (op_valid == !done_q);
          a_step_fields: assert (op_kind == next_kind_q && op_rem == next_rem_q &&
                                 op_rem_zero == next_rem_zero_q && op_status == next_status_q &&
                                 op_final == next_final_q && op_first == next_first_q &&
                                 op_popped == (op_popped_q || pop_q) && op_conn == op_conn_q);
        end else begin
          a_hold: assert (op_valid == op_valid_q && op_kind == op_kind_q && op_rem == op_rem_q &&
                          op_rem_zero == op_rem_zero_q && op_status == op_status_q &&
                          op_final == op_final_q && op_first == op_first_q &&
                          op_popped == op_popped_q && op_conn == op_conn_q);
        end
      end
      // the watched entries, taken with their own fields
      if (watching_req && took_req) begin
        a_req_fields: assert (op_conn == cpl_pkg::req_conn(w_req[63:0]) &&
                              op_rem == cpl_pkg::req_length(w_req[63:0]) &&
                              op_opcode == cpl_pkg::req_opcode(w_req[63:0]) &&
                              op_flags == cpl_pkg::req_flags(w_req[63:0]) &&
                              op_slot == w_req[SW+QW+63 -: SW] && op_qp == w_req[QW+63 -: QW]);
      end
      if (watching_evt && took_evt) begin
        a_evt_fields: assert (op_conn == cpl_pkg::evt_conn(w_evt) &&
                              op_rem == cpl_pkg::evt_bytes(w_evt) &&
                              op_evtype == cpl_pkg::evt_type(w_evt) &&
                              op_push == ((cpl_pkg::evt_flags(w_evt) & 4'(cpl_pkg::EVT_FLAG_PUSH)) != 4'd0));
      end
    end
  end
endmodule

`default_nettype wire
