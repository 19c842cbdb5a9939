// Matcher read stage: input arbitration and the operation register. In the
// cycle the held operation ends (its last step fires) or while none is held,
// it takes the next operation: a pending CONN_CMD first (not the one whose
// done pulse leaves now; the CSR block drops cmd_valid a cycle later), then
// fetched requests and events, alternating when both wait (CTRL.ENABLE = 0
// stops requests and events). A command goes after every request fetched
// before it: while requests are taken (CTRL.ENABLE = 1) it waits until none
// is queued, and cmd_waits holds the fetcher meanwhile, so a TERMINATE
// covers each request whose SQ entry SQ_HEAD already shows as fetched, as
// the PRM's "every outstanding request" says (PRM 12). Each of the two
// inputs has a one-entry holding register its FIFO head moves into whenever
// it is empty, so the FIFO pops follow that register's state, not the
// compute stage; a head goes straight on when the register is empty and the
// head is taken in the same cycle.
// take/take_index/take_ok tell the matcher which connection word to read for
// the next cycle (the index, 0 for a connection out of range, whether it is
// in range, and whether the index is cur_index, the held operation's; each
// input's checks are made before the choice, so only the choice follows the
// compute stage's fire). While an operation takes several steps, each fired
// step loads what the step computed for the next one (kind, remaining bytes
// and whether they are 0, status, final step, first-DATA flag, whether a head
// was taken off). A request's check 1 of PRM 6 (opcode, flags, length) is
// formed from its FIFO head and travels with it (op_well_formed).
// Interfaces: cmd_* from the CSR block; s_req_* fetched requests (slot and
// queue pair above the 64-bit request beat); s_evt_* events; fire/done/pop/
// next_* from the compute stage; op_* the operation of this cycle; queued
// whether a request or an event waits in a holding register.
`default_nettype none

module cpl_match_read #(
    parameter int NUM_CONN = 64,
    parameter int CW = 6,
    parameter int QW = 2,
    parameter int SW = 9,
    parameter logic [2:0] K_REQ = 3'd0,
    parameter logic [2:0] K_EVT = 3'd1,
    parameter logic [2:0] K_CMD = 3'd2,
    parameter logic [2:0] K_FLUSH = 3'd3,
    parameter logic [1:0] F_TERMINATE = 2'd2
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               enable,

    input  wire               cmd_valid,
    input  wire  [15:0]       cmd_conn,
    input  wire  [31:0]       cmd_arg,

    input  wire               s_req_valid,
    output logic              s_req_ready,
    input  wire  [SW+QW+63:0] s_req_data,
    input  wire               s_evt_valid,
    output logic              s_evt_ready,
    input  wire  [63:0]       s_evt_data,

    input  wire               fire,
    input  wire               done,
    input  wire               pop,
    input  wire  [2:0]        next_kind,
    input  wire  [31:0]       next_rem,
    input  wire               next_rem_zero,
    input  wire  [2:0]        next_status,
    input  wire  [1:0]        next_final,
    input  wire               next_first,

    output logic              take,
    output logic [CW-1:0]     take_index,
    output logic              take_ok,
    input  wire  [CW-1:0]     cur_index,
    output logic              take_same,

    output logic              op_valid,
    output logic [2:0]        op_kind,
    output logic [15:0]       op_conn,
    output logic [31:0]       op_rem,
    output logic              op_rem_zero,   // op_rem == 0
    output logic [3:0]        op_evtype,
    output logic              op_push,
    output logic              op_first,
    output logic              op_popped,
    output logic [7:0]        op_opcode,
    output logic [7:0]        op_flags,
    output logic              op_well_formed,   // a request passing check 1 of PRM 6
    output logic [2:0]        op_status,
    output logic [1:0]        op_final,
    output logic [SW-1:0]     op_slot,
    output logic [QW-1:0]     op_qp,
    output logic              queued,      // a request or an event waits in a holding register
    output logic              cmd_waits    // a command waits: fetch no more requests
);
  // Each input has a one-entry holding register between its FIFO and the
  // operation register: a FIFO head moves into it whenever it is empty (its
  // registered state), never because the held operation ends in this cycle;
  // an input's candidate is its held entry, or its FIFO head while none is
  // held. Each input has its own entry type (the fields it carries).
  typedef struct packed {
    logic [15:0]   conn;
    logic [31:0]   length;
    logic [7:0]    opcode;
    logic [7:0]    flags;
    logic [SW-1:0] slot;
    logic [QW-1:0] qp;
    logic [CW-1:0] index;    // the connection's table index (0 out of range)
    logic          ok;       // the connection is in range
    logic          well_formed;  // passes check 1 of PRM 6 (opcode, flags, length)
  } req_op_t;
  typedef struct packed {
    logic [15:0]   conn;
    logic [31:0]   bytes;
    logic [3:0]    evtype;
    logic          push;
    logic [CW-1:0] index;
    logic          ok;
  } evt_op_t;

  logic       prefer_req;
  logic       req_held, evt_held;       // an entry waits in the holding register
  req_op_t    req_held_op, req_fifo_op, req_cand;   // held entry, FIFO head, candidate
  evt_op_t    evt_held_op, evt_fifo_op, evt_cand;
  logic       take_cmd, take_req, take_evt;

  always_comb begin : b_fifo_ops
    logic [15:0] req_conn_l, evt_conn_l;
    logic req_ok_l, evt_ok_l;
    logic [7:0] req_opcode_l, req_flags_l;
    logic [31:0] req_length_l;
    logic req_well_formed_l;
    req_conn_l = cpl_pkg::req_conn(s_req_data[63:0]);
    req_ok_l = 32'(req_conn_l) < NUM_CONN;
    req_opcode_l = cpl_pkg::req_opcode(s_req_data[63:0]);
    req_flags_l = cpl_pkg::req_flags(s_req_data[63:0]);
    req_length_l = cpl_pkg::req_length(s_req_data[63:0]);
    // check 1 of PRM 6: a known opcode, only its own flags, SEND and FORWARD
    // not empty
    case (req_opcode_l)
      8'(cpl_pkg::OP_SEND), 8'(cpl_pkg::OP_FORWARD):
        req_well_formed_l = req_flags_l == 8'd0 && req_length_l != 32'd0;
      8'(cpl_pkg::OP_RECV):
        req_well_formed_l = (req_flags_l & ~8'(cpl_pkg::REQ_FLAG_NO_PUSH)) == 8'd0;
      8'(cpl_pkg::OP_DISCONNECT):
        req_well_formed_l = (req_flags_l & ~8'(cpl_pkg::REQ_FLAG_ABORTIVE)) == 8'd0;
      default: req_well_formed_l = 1'b0;
    endcase
    // Field by field: a conditional of size casts inside a concatenation
    // is what Yosys 0.23 sizes wrongly (32 bits), which shifted every field
    // of these entries in its netlist.
    req_fifo_op.conn = req_conn_l;
    req_fifo_op.length = req_length_l;
    req_fifo_op.opcode = req_opcode_l;
    req_fifo_op.flags = req_flags_l;
    req_fifo_op.slot = s_req_data[SW+QW+63 -: SW];
    req_fifo_op.qp = s_req_data[QW+63 -: QW];
    req_fifo_op.index = req_ok_l ? CW'(req_conn_l) : '0;
    req_fifo_op.ok = req_ok_l;
    req_fifo_op.well_formed = req_well_formed_l;
    evt_conn_l = cpl_pkg::evt_conn(s_evt_data);
    evt_ok_l = 32'(evt_conn_l) < NUM_CONN;
    evt_fifo_op.conn = evt_conn_l;
    evt_fifo_op.bytes = cpl_pkg::evt_bytes(s_evt_data);
    evt_fifo_op.evtype = cpl_pkg::evt_type(s_evt_data);
    evt_fifo_op.push = (cpl_pkg::evt_flags(s_evt_data) & 4'(cpl_pkg::EVT_FLAG_PUSH)) != 4'd0;
    evt_fifo_op.index = evt_ok_l ? CW'(evt_conn_l) : '0;
    evt_fifo_op.ok = evt_ok_l;
    req_cand = req_held ? req_held_op : req_fifo_op;
    evt_cand = evt_held ? evt_held_op : evt_fifo_op;
  end

  always_comb begin : b_take_op
    logic free_l;
    logic cmd_busy_l;
    logic cand_cmd_l, cand_req_l, cand_evt_l;
    logic req_avail_l, evt_avail_l;
    logic cmd_ok_l;
    logic [CW-1:0] cmd_index_l;
    logic take_cmd_l, take_req_l, take_evt_l;
    logic [CW-1:0] take_index_l;
    logic take_ok_l;
    req_avail_l = req_held || s_req_valid;
    evt_avail_l = evt_held || s_evt_valid;
    // The operation to take next is chosen from registers and FIFO outputs
    // alone; only whether it is taken follows the compute stage (free). The
    // command whose done pulse leaves now is the held operation itself
    // (CONN_CMD, or the flush of a TERMINATE): an operation of those kinds
    // ends exactly when its step fires the done pulse.
    free_l = !op_valid || (fire && done);
    cmd_busy_l = op_valid && (op_kind == K_CMD || (op_kind == K_FLUSH && op_final == F_TERMINATE));
    cand_cmd_l = 1'b0;
    cand_req_l = 1'b0;
    cand_evt_l = 1'b0;
    // the requests fetched before the command first (none are taken while
    // CTRL.ENABLE = 0: then it goes first)
    if (cmd_valid && !cmd_busy_l && !(enable && req_avail_l)) cand_cmd_l = 1'b1;
    else if (enable && req_avail_l && (prefer_req || !evt_avail_l)) cand_req_l = 1'b1;
    else if (enable && evt_avail_l) cand_evt_l = 1'b1;
    take_cmd_l = free_l && cand_cmd_l;
    take_req_l = free_l && cand_req_l;
    take_evt_l = free_l && cand_evt_l;
    cmd_ok_l = 32'(cmd_conn) < NUM_CONN;
    cmd_index_l = cmd_ok_l ? CW'(cmd_conn) : '0;
    take_index_l = cand_cmd_l ? cmd_index_l : cand_req_l ? req_cand.index : evt_cand.index;
    take_ok_l = cand_cmd_l ? cmd_ok_l : cand_req_l ? req_cand.ok : evt_cand.ok;
    take_cmd = take_cmd_l;
    take_req = take_req_l;
    take_evt = take_evt_l;
    take = take_cmd_l || take_req_l || take_evt_l;
    take_index = take_index_l;
    take_ok = take_ok_l;
    take_same = take_index_l == cur_index;
    // A FIFO head leaves when its holding register is empty (into it, or
    // straight on when taken in this cycle).
    s_req_ready = enable && s_req_valid && !req_held;
    s_evt_ready = enable && s_evt_valid && !evt_held;
    queued = req_held || evt_held;
    cmd_waits = cmd_valid && !cmd_busy_l;
  end

  always_ff @(posedge clk) begin : p_hold
    if (rst) begin
      req_held <= 1'b0;
      evt_held <= 1'b0;
      req_held_op <= '0;
      evt_held_op <= '0;
      prefer_req <= 1'b0;
    end else begin
      if (take_req) prefer_req <= 1'b0;
      if (take_evt) prefer_req <= 1'b1;
      if (take_req) req_held <= 1'b0;
      if (take_evt) evt_held <= 1'b0;
      if (s_req_ready && !take_req) begin
        req_held <= 1'b1;
        req_held_op <= req_fifo_op;
      end
      if (s_evt_ready && !take_evt) begin
        evt_held <= 1'b1;
        evt_held_op <= evt_fifo_op;
      end
    end
  end

  always_ff @(posedge clk) begin : p_op
    if (rst) begin
      op_valid <= 1'b0;
      op_kind <= K_REQ;
      op_conn <= '0;
      op_rem <= '0;
      op_rem_zero <= 1'b1;
      op_evtype <= '0;
      op_push <= 1'b0;
      op_first <= 1'b0;
      op_popped <= 1'b0;
      op_status <= '0;
      op_final <= '0;
      op_slot <= '0;
      op_qp <= '0;
      op_opcode <= '0;
      op_flags <= '0;
      op_well_formed <= 1'b0;
    end else begin
      if (fire) begin
        op_valid <= !done;
        op_kind <= next_kind;
        op_rem <= next_rem;
        op_rem_zero <= next_rem_zero;
        op_first <= next_first;
        op_popped <= op_popped || pop;
        op_status <= next_status;
        op_final <= next_final;
      end
      // a new operation: its own fields, the others keep their values
      if (take_cmd) begin
        op_valid <= 1'b1;
        op_kind <= K_CMD;
        op_conn <= cmd_conn;
        op_rem <= cmd_arg;
        op_rem_zero <= cmd_arg == 32'd0;
        op_popped <= 1'b0;
      end
      if (take_req) begin
        op_valid <= 1'b1;
        op_kind <= K_REQ;
        op_conn <= req_cand.conn;
        op_rem <= req_cand.length;
        op_rem_zero <= req_cand.length == 32'd0;
        op_popped <= 1'b0;
        op_opcode <= req_cand.opcode;
        op_flags <= req_cand.flags;
        op_well_formed <= req_cand.well_formed;
        op_slot <= req_cand.slot;
        op_qp <= req_cand.qp;
      end
      if (take_evt) begin
        op_valid <= 1'b1;
        op_kind <= K_EVT;
        op_conn <= evt_cand.conn;
        op_rem <= evt_cand.bytes;
        op_rem_zero <= evt_cand.bytes == 32'd0;
        op_popped <= 1'b0;
        op_evtype <= evt_cand.evtype;
        op_push <= evt_cand.push;
        op_first <= 1'b1;
      end
    end
  end

endmodule

`default_nettype wire
