// Matcher: every rule of PRM section 6. One step per cycle on one operation:
// a connection command, a fetched request or an event. Three stages: the
// connection word is read (registered) in the cycle the operation is taken;
// the step computes on it in the next cycle; the write-back stage
// (cpl_match_wb) writes it back one cycle later, completed with the one link
// word the step read (the successor of a head it took off), and forwards it
// to a step on the same connection. The connection word holds, for each of
// its four request lists, head and tail slots and the head's and its
// successor's metadata and length, so a step decides on that word alone.
// Its control (whether the active head leaves, whether the operation ends,
// whether a request passes its checks, whether it needs a work-FIFO entry
// or an engine slot) is decoded flat in b_control; b_step's datapath
// follows it. A step may write the connection back, finish one request
// (descriptor fields into the request table, slot appended to its queue
// pair's completion list), emit one work word and link one slot into a list.
// Operations that finish several requests (cumulative ACK, DATA over several
// receives, FIN, RST, abortive DISCONNECT, TERMINATE) take one step per
// request and hold their input meanwhile.
//
// Per connection: state, queue pair, FIN received, graceful DISCONNECT
// posted, TX_FIN sent, posting-order counts, NIC-buffered receive bytes,
// bytes acknowledged of the head SEND, bytes placed in the head RECV, and the
// SEND / RECV / FORWARD / DISCONNECT lists (head, tail, non-empty, the head's
// metadata and length, the successor's link record; linked through the link
// memory u_link: one word per slot, written when a request is appended behind
// it, read registered when it becomes a head).
//
// A request failing its checks while earlier requests of its opcode wait on
// its (offloaded, same queue pair) connection joins its list as "failed" and
// completes when it reaches the head, so completions of one opcode stay in
// posting order (a failed DISCONNECT also waits for earlier SENDs). After an
// operation that took requests off its lists, a DRAIN operation completes
// failed heads and sends a deferred TX_FIN. Flushes (RST, abortive
// DISCONNECT, TERMINATE) complete all lists in posting order.
//
// Interfaces: cmd_* from the CSR block (done pulse with the result); s_req_*
// fetched requests; s_evt_* events (from the event FIFO); m_work_* to
// the work FIFO; descriptor port of the request table; engine slots (evt_*);
// app_* completion append to the CQ writer.
// Invariants: every request finishes exactly once; list heads are live
// requests between operations (except a failed DISCONNECT waiting for
// earlier SENDs); buffered bytes > 0 implies an empty RECV list.
`default_nettype none

module cpl_matcher #(
    parameter int NUM_CONN = 64,
    parameter int NUM_QP = 4,
    parameter int QW = 2,
    parameter int SW = 9,
    parameter int TBL = 288
) (
    input  wire            clk,
    input  wire            rst,
    input  wire            enable,     // accept requests and events

    input  wire            cmd_valid,
    input  wire  [15:0]    cmd_conn,
    input  wire  [7:0]     cmd_qp,
    input  wire  [3:0]     cmd_op,
    input  wire  [31:0]    cmd_arg,
    output logic           cmd_done,
    output logic [3:0]     cmd_result,

    input  wire            s_req_valid,
    output logic           s_req_ready,
    input  wire  [SW+QW+63:0] s_req_data,

    input  wire            s_evt_valid,
    output logic           s_evt_ready,
    input  wire  [63:0]    s_evt_data,

    output logic           m_work_valid,
    input  wire            m_work_ready,
    output logic [63:0]    m_work_data,

    output logic           cpl_we,
    output logic [SW-1:0]  cpl_waddr,
    output logic [cpl_pkg::DESC_W-1:0]    cpl_wdata,

    input  wire            evt_avail,
    input  wire  [SW-1:0]  evt_slot,
    output logic           evt_alloc,

    output logic           app_valid,
    output logic [QW-1:0]  app_qp,
    output logic [SW-1:0]  app_slot,

    output logic           proto_err,
    output logic [15:0]    proto_err_conn,
    output logic           evt_late,
    output logic           idle,
    output logic           cmd_waits   // a command waits for the requests fetched before it
);
`include "rtl/cpl_check.svh"
  localparam int CW = NUM_CONN > 1 ? $clog2(NUM_CONN) : 1;
  `CPL_CHECK(NUM_CONN >= 1 && NUM_CONN <= 4096 && NUM_QP >= 1 && NUM_QP <= 16 && SW >= 4 &&
             (1 << SW) >= TBL, g_param_check)

  localparam logic [1:0] ST_CLOSED = 2'd0;
  localparam logic [1:0] ST_OFFLOADED = 2'd1;
  localparam logic [1:0] ST_ABORTED = 2'd2;

  localparam logic [2:0] K_REQ = 3'd0;
  localparam logic [2:0] K_EVT = 3'd1;
  localparam logic [2:0] K_CMD = 3'd2;
  localparam logic [2:0] K_FLUSH = 3'd3;      // complete all lists, then a final step
  localparam logic [2:0] K_FIN_FLUSH = 3'd4;   // complete the RECV list, then EVT_FIN
  localparam logic [2:0] K_DRAIN = 3'd5;      // complete failed heads, deferred TX_FIN

  localparam logic [1:0] F_ABORTIVE_DISCONNECT = 2'd0;   // then TX_RST, DISCONNECT SUCCESS
  localparam logic [1:0] F_EVT_RST = 2'd1;      // then EVT_RST
  localparam logic [1:0] F_TERMINATE = 2'd2;    // then TERMINATE_DONE

  // list numbers
  localparam int L_SEND = 0;
  localparam int L_RECV = 1;
  localparam int L_FORWARD = 2;
  localparam int L_DISCONNECT = 3;

  // Posting order across the four lists is kept as counts, never as
  // sequence numbers that wrap (see b_step's "posting order"): counts of
  // requests on lists of one connection, modulo 2^SW (more than REQ_SLOTS).
  localparam int HEAD_META_W = 1 + 3;   // $bits(head_meta_t)
  localparam int META_W = 1 + 3 + 3 * SW;   // $bits(req_meta_t)
  localparam int LEN_W = 1 + 32;        // $bits(req_len_t)
  localparam int LINK_W = SW + META_W + LEN_W;   // $bits(req_link_t)
  // Field offsets inside a req_link_t ({next, next_meta, next_len}), for the
  // successor records the step reads out of the flat word by list:
  // next_len at 0, next_meta's appends at LINK_APPENDS_LSB, its
  // {failed, fail_status} at LINK_HEAD_META_LSB, next at LINK_NEXT_LSB.
  localparam int LINK_APPENDS_LSB = LEN_W;
  localparam int LINK_HEAD_META_LSB = LEN_W + 3 * SW;
  localparam int LINK_NEXT_LSB = LEN_W + META_W;

  // Connection word (cpl_conn_table): the matcher state of one connection.
  // heads/tails hold list L's slot at [L*SW +: SW]; head_metas and head_lens
  // the head_meta_t / req_len_t of list L's head at
  // [L*HEAD_META_W +: HEAD_META_W] / [L*LEN_W +: LEN_W]; succ_links the req_link_t of list L's head (its
  // successor) at [L*LINK_W +: LINK_W], last in the word (cpl_match_wb
  // refills it); nonempty[L] tells whether list L holds anything (its head
  // and tail fields are stale otherwise; succ_links[L] while head == tail).
  // Its hints (conn_hint_t) are functions of the word, formed when the word
  // is written back (b_hints) and kept beside it in their own memory (u_hints,
  // same address), so a step reads them with the word instead of computing
  // them first.
  typedef struct packed {
    logic [1:0]      flush_pick;   // the list whose head was posted first (a flush step's list)
    logic [1:0]      drain_pick;   // the first list with a failed head a DRAIN completes
    logic            drain_any;    // ... there is one
    logic            dsc_ready;    // a failed DISCONNECT head no longer behind a SEND
    logic            ack_disc;     // an ACK step completes that DISCONNECT first
    logic [3:0]      single;       // list L's head is its tail (one request, if nonempty[L])
    logic            buf_zero;     // buffered == 0
  } conn_hint_t;
  localparam int HINT_W = 2 + 2 + 1 + 1 + 1 + 4 + 1;  // $bits(conn_hint_t)

  typedef struct packed {
    logic [QW-1:0]   qp;           // queue pair bound by OFFLOAD
    logic            fin_sent;     // TX_FIN sent, FIN_ACK awaited
    logic            disc_posted;  // graceful DISCONNECT accepted
    logic            fin_rcvd;     // peer FIN received
    logic [4*SW-1:0] appends;      // list L's requests appended so far, mod 2^SW, at [L*SW +: SW]
    logic [4*SW-1:0] pops;         // list L's heads taken off so far, mod 2^SW
    logic [6*SW-1:0] ahead;        // per pair of lists (the pairs of `order`, [P*SW +: SW]): live
                                   // requests of the list whose head was posted first that were
                                   // posted before the other list's head
    logic [31:0]     buffered;     // received bytes held by the NIC (no RECV posted)
    logic [31:0]     acked;        // bytes acknowledged of the head SEND
    logic [31:0]     filled;       // bytes placed in the head RECV
    logic [31:0]     send_room;    // the SEND head's length - acked (while it is a live head)
    logic [31:0]     recv_room;    // the RECV head's length - filled (while it is a live head)
    logic [5:0]      order;        // posting order of the heads, see b_list_pick
    logic [3:0]      nonempty;
    logic [4*LEN_W-1:0]  head_lens;
    logic [4*HEAD_META_W-1:0] head_metas;
    logic [4*SW-1:0] tails;
    logic [4*SW-1:0] heads;
    logic [4*LINK_W-1:0] succ_links;
  } conn_word_t;
  localparam int CONN_WORD_W = QW + 3 + 14 * SW + 5 * 32 + 6 + 4 + 4 * (LEN_W + HEAD_META_W) +
                               8 * SW + 4 * LINK_W;  // $bits(conn_word_t)

  // Per-slot {NO_PUSH, length} of a request waiting on a connection list.
  typedef struct packed {
    logic        no_push;
    logic [31:0] length;
  } req_len_t;

  // Metadata of a list head in the connection word.
  typedef struct packed {
    logic        failed;       // completes with fail_status when it reaches the head
    logic [2:0]  fail_status;
  } head_meta_t;

  // Metadata of a request waiting on a connection list (link word): its
  // head_meta_t, and for each of the three other lists (ascending) the
  // number of requests appended to it before this one (conn_word_t.appends
  // then), which places it in the posting order once it is a head.
  typedef struct packed {
    logic            failed;
    logic [2:0]      fail_status;
    logic [3*SW-1:0] appends;
  } req_meta_t;

  // Link word of a slot (u_link): its successor on the list.
  typedef struct packed {
    logic [SW-1:0]     next;       // the successor's slot
    logic [META_W-1:0] next_meta;  // the successor's req_meta_t
    logic [LEN_W-1:0]  next_len;   // the successor's req_len_t
  } req_link_t;

  // ------------------------------------------------------------ read stage
  // The operation of this cycle (cpl_match_read's operation register); the
  // connection table read for it was issued in the previous cycle, at
  // take_index when it was taken then.
  logic          op_valid;
  logic [2:0]    op_kind;
  logic [15:0]   op_conn;
  logic [31:0]   op_rem;        // event bytes / request length / command argument
  logic          op_rem_zero;   // ... is 0 (a register beside it)
  logic [3:0]    op_evtype;
  logic          op_push;
  logic          op_first;
  logic          op_popped;
  logic [7:0]    op_opcode;
  logic [7:0]    op_flags;
  logic          op_well_formed;   // a request passing check 1 of PRM 6
  logic [2:0]    op_status;
  logic [1:0]    op_final;
  logic [SW-1:0] op_slot;
  logic [QW-1:0] op_qp;
  logic          take;         // an operation is taken for the next cycle
  logic [CW-1:0] take_index;   // its connection's table index (0 when out of range)
  logic          take_ok;      // its connection is in range
  logic          take_same;    // ... and its index is this operation's

  // The connection table clears its states after reset (NUM_CONN cycles):
  // no operation is taken until it is ready.
  logic          tbl_ready;
  logic          ops_queued;   // requests or events wait in the read stage's queue
  cpl_match_read #(.NUM_CONN(NUM_CONN), .CW(CW), .QW(QW), .SW(SW), .K_REQ(K_REQ), .K_EVT(K_EVT),
                   .K_CMD(K_CMD), .K_FLUSH(K_FLUSH), .F_TERMINATE(F_TERMINATE)) u_read (
      .clk, .rst, .enable,
      .cmd_valid(cmd_valid && tbl_ready), .cmd_conn, .cmd_arg,
      .s_req_valid(s_req_valid && tbl_ready), .s_req_ready, .s_req_data,
      .s_evt_valid(s_evt_valid && tbl_ready), .s_evt_ready, .s_evt_data,
      .fire, .done, .pop, .next_kind, .next_rem, .next_rem_zero, .next_status, .next_final,
      .next_first,
      .cur_index(conn_index), .take, .take_index, .take_ok, .take_same,
      .op_valid, .op_kind, .op_conn, .op_rem, .op_rem_zero, .op_evtype, .op_push, .op_first, .op_popped,
      .op_opcode, .op_flags, .op_well_formed, .op_status, .op_final, .op_slot, .op_qp, .queued(ops_queued),
      .cmd_waits);

  // ------------------------------------------------------------ state read
  logic          conn_ok;
  logic [CW-1:0] conn_index;
  logic [1:0]    tbl_state;
  conn_word_t    tbl_word;
  logic [1:0]    r_state;
  logic [SW-1:0] r_head[4];
  logic [SW-1:0] r_tail[4];
  // The step's connection word: the table's (the step of the cycle before
  // wrote it at the clock edge, so the read shows it), with the successor
  // records the write-back stage writes in this cycle when it is the same
  // connection.
  conn_word_t    step_word;
  logic [1:0]    step_state;
  logic [1:0]    fwd_state;
  logic [4*LINK_W-1:0] fwd_links;
  logic          fwd_hit;
  // fwd_hit: the write-back stage writes this step's connection (registered:
  // a step that wrote its connection, followed by the same operation or by
  // one taken on the same connection).
  logic          fwd_hit_q;
  assign fwd_hit = fwd_hit_q;
  logic [4*LINK_W-1:0] step_links;
  assign step_links = fwd_hit ? fwd_links : tbl_word.succ_links;
  assign step_word = {tbl_word[CONN_WORD_W-1:4*LINK_W], step_links};
  conn_hint_t    step_hint;   // the step's word's hints
  assign step_hint = fwd_hit ? wb_hint : tbl_hint;
  assign step_state = fwd_hit ? fwd_state : tbl_state;
  logic [4*SW-1:0] heads_flat, tails_flat;
  logic [4*HEAD_META_W-1:0] head_metas_flat;
  logic [4*LINK_W-1:0] succ_flat;
  logic [4*LEN_W-1:0] head_lens_flat;
  assign head_lens_flat = step_word.head_lens;
  // Icarus 11 selects a bit of a struct member only at a constant index:
  // the list fields the step indexes by a variable have vector views.
  logic [3:0] r_nonempty;
  assign r_nonempty = step_word.nonempty;
  assign heads_flat = step_word.heads;
  assign tails_flat = step_word.tails;
  assign head_metas_flat = step_word.head_metas;
  assign succ_flat = step_word.succ_links;
  logic [4*SW-1:0] appends_flat, pops_flat;
  logic [6*SW-1:0] ahead_flat;
  assign appends_flat = step_word.appends;
  assign pops_flat = step_word.pops;
  assign ahead_flat = step_word.ahead;
  logic          h_failed[4];
  logic [2:0]    h_fail_status[4];
  logic          h_no_push[4];
  logic [31:0]   h_len[4];
  logic [SW-1:0] work_next;            // the active list head's successor's slot
  logic [SW-1:0] link_raddr;           // read for the write-back stage
  logic [LINK_W-1:0] link_rdata;

  logic              tbl_we;
  logic [CW-1:0]     tbl_waddr;
  logic [1:0]        tbl_wstate;
  logic [4*LINK_W-1:0] tbl_wlinks;  // the write-back stage's completed records: written, and forwarded
  // The fields of the step's new word that its hints are formed from: the
  // write-back stage holds them a cycle, beside the successor records, and
  // the hints are formed there and written to u_hints with the records.
  typedef struct packed {
    logic [31:0]     buffered;
    logic [5:0]      order;
    logic [3:0]      nonempty;
    logic [3:0]      failed;     // head_meta_t.failed of each list's head
    logic [4*SW-1:0] tails;
    logic [4*SW-1:0] heads;
  } hint_src_t;
  localparam int HINT_SRC_W = 32 + 6 + 4 + 4 + 8 * SW;  // $bits(hint_src_t)
  hint_src_t         w_hint_src;  // of the step's new word
  hint_src_t         wb_hint_src; // the same, held by the write-back stage
  conn_hint_t        wb_hint;   // its hints
  conn_hint_t        tbl_hint;  // the hints read with tbl_word
  cpl_conn_table #(.NUM_CONN(NUM_CONN), .CW(CW), .WORD_W(CONN_WORD_W), .LINKS_W(4 * LINK_W)) u_conn (
      .clk, .rst, .ready(tbl_ready), .raddr_next(conn_index_next), .rdata(tbl_word),
      .state_cur(conn_index),
      .state_cand(take_index), .state_take(take), .rstate(tbl_state),
      .main_we(w_conn_we), .main_waddr(conn_index),
      .main_wdata(w_word[CONN_WORD_W-1:4*LINK_W]),
      .we(tbl_we), .waddr(tbl_waddr), .wstate(tbl_wstate), .wlinks(tbl_wlinks));

  logic [3:0] w_failed;   // head_meta_t.failed of each list's head in the new word
  for (genvar k = 0; k < 4; k++) begin : g_w_failed
    assign w_failed[k] = w_word.head_metas[k * HEAD_META_W + 3];
  end
  assign w_hint_src = {w_word.buffered, w_word.order, w_word.nonempty, w_failed, w_word.tails,
                       w_word.heads};

  cpl_match_wb #(.CW(CW), .LINK_W(LINK_W), .AUX_W(HINT_SRC_W)) u_wb (
      .clk, .rst,
      .s_we(w_conn_we), .s_index(conn_index), .s_state(w_state), .s_links(w_word.succ_links),
      .s_aux(w_hint_src), .s_refill(pop), .s_refill_list(work_list),
      .link_rdata,
      .tbl_we, .tbl_waddr, .tbl_wstate, .tbl_wlinks, .aux(wb_hint_src), .fwd_state);
  assign fwd_links = tbl_wlinks;

  cpl_ram #(.DEPTH(NUM_CONN >= 2 ? NUM_CONN : 2), .AW(CW), .WIDTH(HINT_W)) u_hints (
      .clk, .we(tbl_we), .waddr(tbl_waddr), .wdata(wb_hint), .raddr(conn_index_next),
      .rdata(tbl_hint));

  // The hints of the word the step of the cycle before wrote: what a step
  // would otherwise derive from the lists first (which list it works on,
  // whether a head is alone on its list). They follow the write-back
  // stage's register of their fields, beside its table write, so no step
  // computes them.
  always_comb begin : b_hints
    int i;
    logic [3:0] before_l [4];
    logic [3:0] first_l;
    logic [3:0] ne_l;
    logic [3:0] failed_l;
    logic [4*SW-1:0] diff_l;
    logic [5:0] order_l;
    logic [1:0] flush_pick_l, drain_pick_l;
    logic drain_any_l, dsc_ready_l, ack_disc_l, buf_zero_l;
    logic [3:0] fhead_l;
    logic [3:0] single_l;
    ne_l = wb_hint_src.nonempty;
    diff_l = wb_hint_src.heads ^ wb_hint_src.tails;
    order_l = wb_hint_src.order;
    failed_l = wb_hint_src.failed;
    // before_l[i][j]: head i posted before head j, 1 for j == i here (a
    // head is first if it was posted before every other non-empty list's)
    before_l[0] = {order_l[2], order_l[1], order_l[0], 1'b1};
    before_l[1] = {order_l[4], order_l[3], 1'b1, !order_l[0]};
    before_l[2] = {order_l[5], 1'b1, !order_l[3], !order_l[1]};
    before_l[3] = {1'b1, !order_l[5], !order_l[4], !order_l[2]};
    for (i = 0; i < 4; i++) first_l[i] = ne_l[i] && (~ne_l | before_l[i]) == 4'hF;
    flush_pick_l = first_l[0] ? 2'd0 : first_l[1] ? 2'd1 : first_l[2] ? 2'd2 : first_l[3] ? 2'd3 : 2'd0;
    dsc_ready_l = ne_l[L_DISCONNECT] && failed_l[L_DISCONNECT] &&
                  (!ne_l[L_SEND] || before_l[L_DISCONNECT][L_SEND]);
    fhead_l = ne_l & failed_l;
    drain_any_l = fhead_l[2:0] != 3'd0 || dsc_ready_l;
    drain_pick_l = fhead_l[L_SEND] ? 2'(L_SEND) : fhead_l[L_RECV] ? 2'(L_RECV) :
                   fhead_l[L_FORWARD] ? 2'(L_FORWARD) : 2'(L_DISCONNECT);
    ack_disc_l = dsc_ready_l && !fhead_l[L_SEND];
    for (i = 0; i < 4; i++) single_l[i] = diff_l[i * SW +: SW] == '0;
    buf_zero_l = wb_hint_src.buffered == 32'd0;
    wb_hint = {flush_pick_l, drain_pick_l, drain_any_l, dsc_ready_l, ack_disc_l, single_l, buf_zero_l};
  end

  // Link memory: written at the old tail by an append, read (registered) at
  // the successor of the head a step takes off, for the write-back stage.
  cpl_ram #(.DEPTH(TBL), .AW(SW), .WIDTH(LINK_W)) u_link (
      .clk, .we(link_we), .waddr(link_waddr), .wdata(link_wdata), .raddr(link_raddr),
      .rdata(link_rdata));

  // The connection table reads registered: its address is the connection of
  // the next cycle's operation (this one continuing, or the one taken). The
  // operation's index and range check are registers of that choice too.
  logic [CW-1:0] conn_index_next;
  logic          conn_ok_next;
  always_comb begin : b_conn_index
    logic [CW-1:0] conn_index_next_l;
    logic conn_ok_next_l;
    conn_index_next_l = rst ? '0 : take ? take_index : conn_index;
    conn_ok_next_l = rst || (take ? take_ok : conn_ok);
    conn_index_next = conn_index_next_l;
    conn_ok_next = conn_ok_next_l;
  end

  always_ff @(posedge clk) begin : p_conn_index
    conn_index <= conn_index_next;
    conn_ok <= conn_ok_next;
    fwd_hit_q <= !rst && w_conn_we && (!take || take_same);
  end

  // The step reads the connection word's fields in place (step_word.*);
  // r_state is the connection's state (CLOSED out of range), r_head/r_tail
  // the lists' head and tail slots as arrays.
  // The list fields as arrays, wired straight from the step's word (one
  // continuous assignment each; the offsets are those of req_meta_t and
  // req_len_t).
  assign r_state = conn_ok ? step_state : ST_CLOSED;
  for (genvar k = 0; k < 4; k++) begin : g_list_fields
    assign r_head[k] = heads_flat[k * SW +: SW];
    assign r_tail[k] = tails_flat[k * SW +: SW];
    assign h_failed[k] = head_metas_flat[k * HEAD_META_W + 3];            // head_meta_t.failed
    assign h_fail_status[k] = head_metas_flat[k * HEAD_META_W +: 3];      // .fail_status
    assign h_no_push[k] = head_lens_flat[k * LEN_W + 32];                 // req_len_t.no_push
    assign h_len[k] = head_lens_flat[k * LEN_W +: 32];                    // .length
  end
  // Each list's successor record's failed flag (req_meta_t.failed), for the
  // step control, which selects one by a list known before work_list.
  logic [3:0] succ_failed;
  for (genvar k = 0; k < 4; k++) begin : g_succ_failed
    assign succ_failed[k] = succ_flat[k * LINK_W + LINK_NEXT_LSB - 1];
  end

  // ------------------------------------------------------------ list choice
  // FLUSH takes the list whose head was posted first; DRAIN the first list
  // with a failed head (SEND, RECV, FORWARD, then a DISCONNECT no longer
  // behind an earlier SEND); other steps their event's list.
  // The posting order of the four heads is kept in the connection word
  // (order, one bit per pair of lists: head i posted before head j for the
  // pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3), meaningful while both lists
  // hold something), so a step picks without comparing anything: the step
  // that puts a new head in place (append into an empty list: the newest
  // request; take-off: its successor, placed by the counts of b_step's
  // "posting order") writes the bits of that list.
  logic [1:0] flush_pick;
  logic [1:0] drain_pick;
  logic       drain_any;
  logic       dsc_ready;     // failed DISCONNECT head no longer behind a SEND
  logic [3:0] r_single;      // list L's head is its tail
  logic [3:0] head_before[4];   // [i][j]: head i posted before head j

  // Where a request of list a records list b's appends: b's place among
  // a's three other lists (ascending).
  function automatic int other_index(input int a, input int b);
    other_index = b < a ? b : b - 1;
  endfunction

  // The pair of lists a != b: the bit of `order` and the count of `ahead`
  // they share, in the order (0,1) (0,2) (0,3) (1,2) (1,3) (2,3).
  function automatic int pair_index(input int a, input int b);
    pair_index = (a < b ? a : b) == 0 ? (a < b ? b : a) - 1 :
                 (a < b ? a : b) == 1 ? (a < b ? b : a) + 1 : 5;
  endfunction

  always_comb begin : b_list_pick
    int i;
    logic [3:0] before_l [4];
    before_l[0] = {step_word.order[2], step_word.order[1], step_word.order[0], 1'b0};
    before_l[1] = {step_word.order[4], step_word.order[3], 1'b0, !step_word.order[0]};
    before_l[2] = {step_word.order[5], 1'b0, !step_word.order[3], !step_word.order[1]};
    before_l[3] = {1'b0, !step_word.order[5], !step_word.order[4], !step_word.order[2]};
    for (i = 0; i < 4; i++) head_before[i] = before_l[i];
  end
  // The flush and drain picks come from the hint memory alone: a step that
  // picks its list by them waits a cycle when its word is forwarded
  // (pick_wait), and then reads the table, which holds that write. Such
  // steps (flushes, TERMINATE, RST, DRAIN) are one per completion, and the
  // CQ writer takes one completion every other cycle, so the wait costs no
  // throughput; the forwarded word's picks would otherwise start the step's
  // longest paths (the order bits decoded after the write-back register).
  assign flush_pick = tbl_hint.flush_pick;
  assign drain_pick = tbl_hint.drain_pick;
  assign drain_any = tbl_hint.drain_any;
  // The operations whose list is a pick: every kind but a fetched request
  // (except an abortive DISCONNECT, which flushes) and the events with a list
  // of their own (an unknown event type takes nothing off, but waits too).
  logic pick_step, pick_wait;
  always_comb begin : b_pick_wait
    logic evt_own_list_l;
    evt_own_list_l = op_evtype == 4'(cpl_pkg::EVT_ACK) || op_evtype == 4'(cpl_pkg::EVT_DATA) ||
                     op_evtype == 4'(cpl_pkg::EVT_FIN) || op_evtype == 4'(cpl_pkg::EVT_FWD_DONE) ||
                     op_evtype == 4'(cpl_pkg::EVT_FIN_ACK);
    case (op_kind)
      K_REQ: pick_step = op_opcode == 8'(cpl_pkg::OP_DISCONNECT) && op_abortive;
      K_EVT: pick_step = !evt_own_list_l;
      K_FIN_FLUSH: pick_step = 1'b0;
      default: pick_step = 1'b1;
    endcase
    pick_wait = fwd_hit && pick_step;
  end
  assign dsc_ready = step_hint.dsc_ready;
  assign r_single = step_hint.single;

  logic [1:0] work_list;           // the list this step works on
  // constant part selects only: a variable one becomes a shifter
  always_comb begin : b_work_head
    case (work_list)
      2'd0: work_next = succ_flat[LINK_NEXT_LSB +: SW];
      2'd1: work_next = succ_flat[LINK_W + LINK_NEXT_LSB +: SW];
      2'd2: work_next = succ_flat[2 * LINK_W + LINK_NEXT_LSB +: SW];
      default: work_next = succ_flat[3 * LINK_W + LINK_NEXT_LSB +: SW];
    endcase
  end
  always_comb begin : b_active_list
    logic [SW-1:0] link_raddr_l;
    case (op_kind)
      K_EVT: begin
        case (op_evtype)
          4'(cpl_pkg::EVT_ACK): work_list = step_hint.ack_disc ? 2'(L_DISCONNECT) : 2'(L_SEND);
          4'(cpl_pkg::EVT_DATA), 4'(cpl_pkg::EVT_FIN): work_list = 2'(L_RECV);
          4'(cpl_pkg::EVT_FWD_DONE): work_list = 2'(L_FORWARD);
          4'(cpl_pkg::EVT_FIN_ACK): work_list = 2'(L_DISCONNECT);
          default: work_list = flush_pick;
        endcase
      end
      K_FIN_FLUSH: work_list = 2'(L_RECV);
      K_DRAIN: work_list = drain_pick;
      default: work_list = flush_pick;
    endcase
    link_raddr_l = work_next;
    link_raddr = link_raddr_l;
  end

  // ------------------------------------------------------------ step
  logic          w_conn_we;
  logic [1:0]    w_state;
  // The step's next connection word: b_step starts from step_word and assigns
  // the fields it changes in place (the scalar fields directly; the list
  // fields, which it part-selects, through block-local vectors). It is the
  // one variable b_step assigns more than once, which Icarus tolerates
  // because only registers and memory write ports consume it (the table's
  // word write, and through w_hint_src's copy of fields the write-back
  // stage's register).
  conn_word_t    w_word;

  logic          done;          // the operation ends with this step (b_control)
  logic [2:0]    next_kind;
  logic [31:0]   next_rem;
  logic          next_rem_zero;
  logic [2:0]    next_status;
  logic [1:0]    next_final;
  logic          next_first;

  logic          fin_valid;       // finish a request / write an engine descriptor (b_control)
  logic [SW-1:0] fin_slot;
  logic [QW-1:0] fin_qp;
  logic [3:0]    fin_type;
  logic [2:0]    fin_status;
  logic [31:0]   fin_bytes;
  logic          pop;           // the active list's head leaves (b_control)
  logic [3:0]    work_type;
  logic [31:0]   work_bytes;
  logic          proto_err_step, late_step;
  logic          cmd_done_step;
  logic [3:0]    cmd_result_step;
  logic          stall;
  logic          link_we;
  logic [SW-1:0] link_waddr;
  req_link_t     link_wdata;
  logic [META_W-1:0] app_meta;     // req_meta_t of the appended request
  req_len_t      len_wdata;
  logic          op_abortive, op_no_push;
  assign op_abortive = (op_flags & 8'(cpl_pkg::REQ_FLAG_ABORTIVE)) != 8'd0;
  assign op_no_push = (op_flags & 8'(cpl_pkg::REQ_FLAG_NO_PUSH)) != 8'd0;
  assign len_wdata.no_push = op_no_push;
  assign len_wdata.length = op_rem;

  // The ACK / DATA decision: the event's bytes against the head's room.
  // Each compare is the borrow of the subtraction the step needs anyway
  // (one carry chain, entered from one LUT per bit of the word's field), so
  // the decision waits for one chain and no separate comparator.
  logic        ack_covers, ack_exact, data_covers, data_exact;
  logic [31:0] ack_beyond, data_beyond;
  logic        ack_short, data_short;   // borrow: the bytes do not cover the room
  assign {ack_short, ack_beyond} = {1'b0, op_rem} - {1'b0, step_word.send_room};
  assign {data_short, data_beyond} = {1'b0, op_rem} - {1'b0, step_word.recv_room};
  assign ack_covers = !ack_short;
  assign data_covers = !data_short;
  assign ack_exact = op_rem == step_word.send_room;
  assign data_exact = op_rem == step_word.recv_room;
  // A RECV against the bytes the NIC holds: they fill it (fits) or not;
  // what is left buffered when they do is the same subtraction.
  logic        recv_fits_buf, buf_short;
  logic [31:0] buf_left;
  assign {buf_short, buf_left} = {1'b0, step_word.buffered} - {1'b0, op_rem};
  assign recv_fits_buf = !buf_short;
  // A fetched request's opcode is one of the four (an unknown one joins no
  // list and completes with type 0).
  logic        req_known;
  assign req_known = op_opcode == 8'(cpl_pkg::OP_SEND) || op_opcode == 8'(cpl_pkg::OP_RECV) ||
                     op_opcode == 8'(cpl_pkg::OP_DISCONNECT) || op_opcode == 8'(cpl_pkg::OP_FORWARD);

  // The list a fetched request joins: its opcode's (an unknown opcode never
  // joins one). Every append of a step goes there, so the append's list,
  // the link write address and the tail written follow op_opcode alone.
  logic [1:0] req_list;
  assign req_list = op_opcode == 8'(cpl_pkg::OP_SEND) ? 2'(L_SEND) :
                    op_opcode == 8'(cpl_pkg::OP_RECV) ? 2'(L_RECV) :
                    op_opcode == 8'(cpl_pkg::OP_FORWARD) ? 2'(L_FORWARD) : 2'(L_DISCONNECT);

  // ------------------------------------------------------------ step control
  // The step's control decisions, decoded flat from the operation and its
  // connection word (each a short sum of products of the word's flags and
  // the two room compares), apart from b_step's datapath, which follows
  // them:
  //   pop          the active list's head leaves;
  //   ends         the operation's own last step (before a DRAIN is added);
  //   drain_due    ... and it took requests off while a failed head or a
  //                DISCONNECT may need attention: a DRAIN step follows;
  //   done         the operation ends with this step;
  //   need_work    the step emits a work word;
  //   need_engine  the step writes a descriptor into a fresh engine slot.
  // The stall (and with it fire, take and the next read address) waits for
  // no more than these terms.
  logic drain_due, need_work, need_engine;
  logic req_pass;   // a fetched request passes every check of PRM 6
  // The step appends the fetched request to its opcode's list (req_list):
  // it passes and waits for its completion, or it fails behind earlier
  // requests of its opcode. A sum of products like the terms above, per
  // list: app_at[L], the append goes to list L (each flag decoded from its
  // own opcode, so only the RECV list's fields wait for the compare with
  // the buffered bytes); app_list is any of them. The new word's list
  // fields select on app_at without following b_step's chain of cases.
  logic app_list;
  logic [3:0] app_at;
  // The step writes its connection for an append: app_list, except that
  // every passing RECV counts (buffered bytes that complete it at once
  // change the word too), so this term waits for no compare.
  logic app_writes;
  // A DATA event completes the RECV head before placing data: a failed head,
  // or a zero-length one the event reaches (PRM 9). Formed by b_control for
  // DATA events only (0 otherwise); b_step reads it under EVT_DATA.
  logic recv_head_first;
  always_comb begin : b_control
    logic live_l;          // event on an offloaded connection in range
    logic req_pass_l;      // a fetched request passes checks 1..4 and its state check
    logic term_l;          // a TERMINATE the connection's state accepts
    logic empty_l;         // the step's connection holds no request
    logic send_ne_l, recv_ne_l, recv_push_l;
    logic send_failed_l;   // a failed SEND head
    logic recv_open_l;     // no FIN yet and a RECV posted
    logic pop_l, ends_l, work_l, engine_l;
    logic queue_l;
    logic recv_writes_l;
    logic [3:0] app_at_l;
    logic [1:0] evt_list_l;  // an event's list (work_list of every event that takes a head off)
    empty_l = step_word.nonempty == 4'd0;
    case (op_evtype)
      4'(cpl_pkg::EVT_ACK): evt_list_l = step_hint.ack_disc ? 2'(L_DISCONNECT) : 2'(L_SEND);
      4'(cpl_pkg::EVT_DATA), 4'(cpl_pkg::EVT_FIN): evt_list_l = 2'(L_RECV);
      4'(cpl_pkg::EVT_FWD_DONE): evt_list_l = 2'(L_FORWARD);
      default: evt_list_l = 2'(L_DISCONNECT);
    endcase
    live_l = conn_ok && r_state == ST_OFFLOADED;
    term_l = cmd_op == 4'(cpl_pkg::CMD_OP_TERMINATE) && conn_ok && r_state != ST_CLOSED;
    send_ne_l = r_nonempty[L_SEND];
    recv_ne_l = r_nonempty[L_RECV];
    recv_push_l = op_push && !h_no_push[L_RECV];   // a PUSH that completes the RECV head
    send_failed_l = send_ne_l && h_failed[L_SEND];
    recv_open_l = !step_word.fin_rcvd && recv_ne_l;
    req_pass_l = op_well_formed && r_state != ST_CLOSED && r_state != ST_ABORTED && step_word.qp == op_qp &&
                 !(op_opcode == 8'(cpl_pkg::OP_SEND) && step_word.disc_posted) &&
                 !(op_opcode == 8'(cpl_pkg::OP_RECV) && step_word.fin_rcvd && step_hint.buf_zero) &&
                 !(op_opcode == 8'(cpl_pkg::OP_DISCONNECT) && !op_abortive && step_word.disc_posted);
    pop_l = 1'b0;
    ends_l = 1'b1;
    recv_head_first = 1'b0;
    work_l = 1'b0;
    engine_l = 1'b0;
    case (op_kind)
      K_CMD: begin
        // a TERMINATE flushes: one step per request, TERMINATE_DONE last
        pop_l = term_l && !empty_l;
        ends_l = !(term_l && !empty_l);
        engine_l = term_l && empty_l;
      end
      K_REQ: begin
        // SEND, RECV and FORWARD emit their work word; a graceful
        // DISCONNECT its TX_FIN when nothing is ahead of it; an abortive one
        // flushes, TX_RST last
        pop_l = req_pass_l && op_opcode == 8'(cpl_pkg::OP_DISCONNECT) && op_abortive && !empty_l;
        ends_l = !pop_l;
        work_l = req_pass_l &&
                 (op_opcode != 8'(cpl_pkg::OP_DISCONNECT) ||
                  (op_abortive ? empty_l : !send_ne_l && !r_nonempty[L_DISCONNECT]));
      end
      K_EVT:
        if (live_l) begin
          case (op_evtype)
            4'(cpl_pkg::EVT_ACK): begin
              // a failed SEND head or a ready failed DISCONNECT completes
              // first; otherwise the bytes finish the head when they cover it
              pop_l = send_failed_l || dsc_ready || (send_ne_l && !op_rem_zero && ack_covers);
              ends_l = !(send_failed_l || dsc_ready ||
                         (send_ne_l && !op_rem_zero && ack_covers && !ack_exact));
            end
            4'(cpl_pkg::EVT_DATA): begin
              // a failed or zero-length RECV head completes before data is
              // placed; bytes that cover the head, or a PUSH, complete it
              recv_head_first = h_failed[L_RECV] || (h_len[L_RECV] == 32'd0 && (op_first || !op_rem_zero));
              pop_l = recv_open_l &&
                      (recv_head_first || (!op_rem_zero && (data_covers || recv_push_l)) ||
                       (op_rem_zero && recv_push_l && step_word.filled != 32'd0));
              ends_l = !(recv_open_l &&
                         (recv_head_first || (!op_rem_zero && data_covers && !data_exact)));
              engine_l = !step_word.fin_rcvd && !recv_ne_l && !op_rem_zero;   // RX_INDICATE
            end
            4'(cpl_pkg::EVT_FIN_ACK): pop_l = step_word.fin_sent;
            4'(cpl_pkg::EVT_RST): begin
              // flushes: one step per request, EVT_RST last
              pop_l = !empty_l;
              ends_l = empty_l;
              engine_l = empty_l;
            end
            4'(cpl_pkg::EVT_FIN): begin
              // completes the RECV list, EVT_FIN last
              pop_l = recv_open_l;
              ends_l = !pop_l;
              engine_l = !step_word.fin_rcvd && !recv_ne_l;
            end
            4'(cpl_pkg::EVT_FWD_DONE): pop_l = r_nonempty[L_FORWARD];
            default: ;
          endcase
        end
      K_FLUSH: begin
        pop_l = !empty_l;
        ends_l = empty_l;
        work_l = empty_l && op_final == F_ABORTIVE_DISCONNECT;
        engine_l = empty_l && op_final != F_ABORTIVE_DISCONNECT;
      end
      K_FIN_FLUSH: begin
        pop_l = recv_ne_l;
        ends_l = !recv_ne_l;
        engine_l = !recv_ne_l;
      end
      default: begin
        // DRAIN: failed heads, then the deferred TX_FIN
        pop_l = drain_any;
        ends_l = !drain_any;
        work_l = !drain_any && r_nonempty[L_DISCONNECT] && !h_failed[L_DISCONNECT] &&
                 !step_word.fin_sent && !send_ne_l;
      end
    endcase
    pop = pop_l;
    req_pass = req_pass_l;
    // a failing request waits behind earlier ones of its opcode (the
    // failing ones of an unknown opcode complete at once)
    queue_l = !req_pass_l && r_state == ST_OFFLOADED && step_word.qp == op_qp;
    app_at_l[L_SEND] = op_opcode == 8'(cpl_pkg::OP_SEND) && (req_pass_l || (queue_l && send_ne_l));
    app_at_l[L_FORWARD] = op_opcode == 8'(cpl_pkg::OP_FORWARD) &&
                          (req_pass_l || (queue_l && r_nonempty[L_FORWARD]));
    app_at_l[L_DISCONNECT] = op_opcode == 8'(cpl_pkg::OP_DISCONNECT) &&
                             (req_pass_l ? !op_abortive :
                                           queue_l && (r_nonempty[L_DISCONNECT] || send_ne_l));
    // a RECV that passes or waits writes its connection; a passing one
    // waits unless buffered bytes complete it at once
    recv_writes_l = op_opcode == 8'(cpl_pkg::OP_RECV) && (req_pass_l || (queue_l && recv_ne_l));
    app_at_l[L_RECV] = recv_writes_l &&
                       (!req_pass_l || step_hint.buf_zero ||
                        (!op_rem_zero && !recv_fits_buf && op_no_push && !step_word.fin_rcvd));
    app_at = op_kind == K_REQ ? app_at_l : 4'd0;
    app_list = app_at != 4'd0;
    app_writes = op_kind == K_REQ && (app_at_l[L_SEND] || app_at_l[L_FORWARD] ||
                                      app_at_l[L_DISCONNECT] || recv_writes_l);
    // An event that took requests off its lists ends with a DRAIN when the
    // new head is a failed request or a DISCONNECT list is left. (A fetched
    // request's own step never takes one off.)
    // The event's list stands in for work_list here: an event whose list
    // is the flush pick (RST, or an unknown type) never ends in a step that
    // takes a head off, so the flush pick stays out of this decision.
    drain_due = ends_l && op_kind == K_EVT &&
                ((pop_l && !r_single[evt_list_l] && succ_failed[evt_list_l]) ||
                 ((pop_l || op_popped) && r_nonempty[L_DISCONNECT] &&
                  !(pop_l && evt_list_l == 2'(L_DISCONNECT) && r_single[L_DISCONNECT])));
    done = ends_l && !drain_due;
    need_work = work_l;
    need_engine = engine_l;
    // A descriptor: a head that leaves, a fresh engine slot's, a fetched
    // request that joins no list (it fails at once, or completes at once:
    // a RECV that buffered bytes fill, an abortive DISCONNECT's flush), and
    // every flush step (the last of an abortive DISCONNECT completes the
    // DISCONNECT in its own slot).
    fin_valid = op_kind == K_REQ ? !app_list : (pop_l || engine_l || op_kind == K_FLUSH);
  end

  always_comb begin : b_step
    int i, j, k;
    logic w_conn_l;
    logic [1:0] w_state_l;
    logic [3:0] w_nonempty_l;
    logic [SW-1:0] w_head_l [4];
    logic [SW-1:0] w_tail_l [4];
    logic [4*HEAD_META_W-1:0] w_head_metas_l;
    logic [4*SW-1:0] w_appends_l;
    logic [4*SW-1:0] w_pops_l;
    logic [6*SW-1:0] w_ahead_l;
    logic [SW-1:0] ahead_l;
    logic [3*SW-1:0] app_appends_l;
    logic [4*LEN_W-1:0] w_head_lens_l;
    logic [4*LINK_W-1:0] w_succ_l;
    logic [META_W-1:0] app_meta_l;
    logic [2:0] next_kind_l;
    logic [31:0] next_rem_l;
    logic next_rem_zero_l;
    logic [2:0] next_status_l;
    logic [1:0] next_final_l;
    logic next_first_l;
    logic go_flush_l;
    logic go_fin_flush_l;
    logic [2:0] flush_status_l;
    logic [1:0] flush_final_l;
    logic [SW-1:0] fin_slot_l;
    logic [QW-1:0] fin_qp_l;
    logic [3:0] fin_type_l;
    logic [2:0] fin_status_l;
    logic [31:0] fin_bytes_l;
    logic [3:0] work_type_l;
    logic [31:0] work_bytes_l;
    logic app_failed_l;
    logic [2:0] app_fail_status_l;
    logic proto_err_step_l;
    logic late_step_l;
    logic cmd_done_step_l;
    logic [3:0] cmd_result_step_l;
    logic [3:0] w_before_l [4];
    logic [31:0] app_room_l;
    logic req_fail_l;
    logic [2:0] req_fail_status_l;
    logic [3:0] req_type_l;
    logic stall_l;
    logic link_we_l;
    logic w_conn_we_l;
    j = 0;   // loop index of conditional loops: assigned on every path
    k = 0;
    w_word = step_word;   // the next word: the fields the step changes are assigned below
    w_conn_l = 1'b0;
    w_state_l = r_state;
    w_nonempty_l = step_word.nonempty;
    for (i = 0; i < 4; i++) begin
      w_head_l[i] = r_head[i];
      w_tail_l[i] = r_tail[i];
    end
    w_head_metas_l = step_word.head_metas;
    w_appends_l = step_word.appends;
    w_pops_l = step_word.pops;
    w_ahead_l = step_word.ahead;
    ahead_l = '0;
    w_head_lens_l = step_word.head_lens;
    w_succ_l = succ_flat;
    next_kind_l = op_kind;
    next_rem_l = op_rem;
    next_rem_zero_l = op_rem_zero;
    next_status_l = op_status;
    next_final_l = op_final;
    next_first_l = 1'b0;
    go_flush_l = 1'b0;
    go_fin_flush_l = 1'b0;
    flush_status_l = op_status;
    flush_final_l = op_final;
    fin_slot_l = r_head[work_list];
    fin_qp_l = step_word.qp;
    fin_type_l = 4'd0;
    fin_status_l = 3'(cpl_pkg::CPL_ST_SUCCESS);
    fin_bytes_l = 32'd0;
    work_type_l = 4'd0;
    work_bytes_l = op_rem;
    app_failed_l = 1'b0;
    app_fail_status_l = 3'd0;
    proto_err_step_l = 1'b0;
    late_step_l = 1'b0;
    cmd_done_step_l = 1'b0;
    cmd_result_step_l = 4'(cpl_pkg::CMD_OK);
    for (i = 0; i < 4; i++) w_before_l[i] = head_before[i];
    app_room_l = op_rem;
    req_fail_l = 1'b0;
    req_fail_status_l = 3'd0;
    req_type_l = 4'd0;

    case (op_kind)
      // ---------------------------------------------------- CONN_CMD
      K_CMD: begin
        cmd_done_step_l = 1'b1;
        if (cmd_op != 4'(cpl_pkg::CMD_OP_OFFLOAD) && cmd_op != 4'(cpl_pkg::CMD_OP_TERMINATE) &&
            cmd_op != 4'(cpl_pkg::CMD_OP_RX_CONSUMED)) begin
          cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_OP);
        end else if (!conn_ok) begin
          cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_CONN);
        end else if (cmd_op == 4'(cpl_pkg::CMD_OP_OFFLOAD)) begin
          if (32'(cmd_qp) >= NUM_QP) cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_QP);
          else if (r_state != ST_CLOSED) cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_STATE);
          else begin
            w_conn_l = 1'b1;
            w_state_l = ST_OFFLOADED;
            w_word.qp = QW'(cmd_qp);
            w_word.fin_sent = 1'b0;
            w_word.disc_posted = 1'b0;
            w_word.fin_rcvd = 1'b0;
            w_appends_l = '0;
            w_pops_l = '0;
            w_ahead_l = '0;
            w_word.buffered = '0;
            w_word.acked = '0;
            w_word.filled = '0;
            w_word.send_room = '0;
            w_word.recv_room = '0;
            w_nonempty_l = '0;
          end
        end else if (cmd_op == 4'(cpl_pkg::CMD_OP_TERMINATE)) begin
          if (r_state == ST_CLOSED) cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_STATE);
          else begin
            cmd_done_step_l = 1'b0;
            go_flush_l = 1'b1;
            flush_status_l = 3'(cpl_pkg::CPL_ST_UPLOAD);
            flush_final_l = F_TERMINATE;
          end
        end else begin
          if (r_state != ST_OFFLOADED) cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_STATE);
          else if (cmd_arg > step_word.buffered) cmd_result_step_l = 4'(cpl_pkg::CMD_BAD_ARG);
          else begin
            w_conn_l = 1'b1;
            w_word.buffered = step_word.buffered - cmd_arg;
          end
        end
      end

      // ---------------------------------------------------- fetched request
      K_REQ: begin
        fin_qp_l = op_qp;
        fin_slot_l = op_slot;
        req_type_l = req_known ? op_opcode[3:0] : 4'd0;
        fin_type_l = req_type_l;
        // Whether a check of PRM 6 fails is b_control's req_pass; the
        // status is the first failing check's (checks 1..4, then the
        // opcode's own state check).
        req_fail_l = !req_pass;
        if (!op_well_formed) req_fail_status_l = 3'(cpl_pkg::CPL_ST_INVALID_REQUEST);
        else if (r_state == ST_CLOSED) req_fail_status_l = 3'(cpl_pkg::CPL_ST_INVALID_CONN);
        else if (step_word.qp != op_qp) req_fail_status_l = 3'(cpl_pkg::CPL_ST_WRONG_QP);
        else if (r_state == ST_ABORTED) req_fail_status_l = 3'(cpl_pkg::CPL_ST_ABORTED);
        else req_fail_status_l = 3'(cpl_pkg::CPL_ST_INVALID_STATE);
        if (req_fail_l) begin
          // In line behind earlier requests of its opcode, if any wait
          // (b_control's app_list).
          if (app_list) begin
            app_failed_l = 1'b1;
            app_fail_status_l = req_fail_status_l;
          end else begin
            fin_status_l = req_fail_status_l;
          end
        end else begin
          case (op_opcode)
            8'(cpl_pkg::OP_SEND): begin
              work_type_l = 4'(cpl_pkg::WORK_TX_DATA);
            end
            8'(cpl_pkg::OP_RECV): begin
              work_type_l = 4'(cpl_pkg::WORK_RX_POST);
              if (!step_hint.buf_zero) begin
                // Buffered data (older than anything to come) fills it at once.
                w_conn_l = 1'b1;
                // (a zero-length one completes with 0 bytes, the word unchanged)
                if (op_rem_zero) begin
                  // nothing to move
                end else if (recv_fits_buf) begin
                  fin_bytes_l = op_rem;
                  w_word.buffered = buf_left;
                end else begin
                  w_word.buffered = 32'd0;
                  if (op_no_push && !step_word.fin_rcvd) begin
                    w_word.filled = step_word.buffered;
                    app_room_l = op_rem - step_word.buffered;
                  end else begin
                    fin_bytes_l = step_word.buffered;
                  end
                end
              end
            end
            8'(cpl_pkg::OP_DISCONNECT): begin
              if (op_abortive) begin
                go_flush_l = 1'b1;
                flush_status_l = 3'(cpl_pkg::CPL_ST_ABORTED);
                flush_final_l = F_ABORTIVE_DISCONNECT;
              end else begin
                w_conn_l = 1'b1;
                w_word.disc_posted = 1'b1;
                if (!r_nonempty[L_SEND] && !r_nonempty[L_DISCONNECT]) begin
                  work_type_l = 4'(cpl_pkg::WORK_TX_FIN);
                  w_word.fin_sent = 1'b1;
                end
              end
            end
            default: begin  // FORWARD
              work_type_l = 4'(cpl_pkg::WORK_FWD);
            end
          endcase
        end
      end

      // ---------------------------------------------------- event
      K_EVT: begin
        fin_qp_l = step_word.qp;
        if (!conn_ok) begin
          proto_err_step_l = 1'b1;
        end else if (r_state != ST_OFFLOADED) begin
          late_step_l = 1'b1;
        end else begin
          case (op_evtype)
            4'(cpl_pkg::EVT_ACK): begin
              fin_type_l = 4'(cpl_pkg::CPL_TYPE_SEND);
              if (r_nonempty[L_SEND] && h_failed[L_SEND]) begin
                fin_status_l = h_fail_status[L_SEND];
              end else if (dsc_ready) begin
                // A failed DISCONNECT no longer behind an earlier SEND
                // completes before the walk goes on.
                fin_type_l = 4'(cpl_pkg::CPL_TYPE_DISCONNECT);
                fin_status_l = h_fail_status[L_DISCONNECT];
              end else if (op_rem_zero) begin
                // nothing acknowledged: the operation ends
              end else if (!r_nonempty[L_SEND]) begin
                proto_err_step_l = 1'b1;        // beyond the SEND bytes outstanding; dropped
              end else begin
                // The head's room (length - acked) is in the word: one
                // compare decides, the sums are formed beside it.
                w_conn_l = 1'b1;
                if (ack_covers) begin
                  fin_bytes_l = h_len[L_SEND];
                  w_word.acked = 32'd0;
                  next_rem_l = ack_beyond;
                  next_rem_zero_l = ack_exact;
                end else begin
                  next_rem_l = 32'd0;
                  next_rem_zero_l = 1'b1;
                  w_word.acked = step_word.acked + op_rem;
                  w_word.send_room = step_word.send_room - op_rem;
                end
              end
            end
            4'(cpl_pkg::EVT_DATA): begin
              fin_type_l = 4'(cpl_pkg::CPL_TYPE_RECV);
              next_first_l = op_first;
              if (step_word.fin_rcvd) begin
                proto_err_step_l = 1'b1;        // data after FIN; dropped
              end else if (r_nonempty[L_RECV] && h_failed[L_RECV]) begin
                fin_status_l = h_fail_status[L_RECV];
              end else if (r_nonempty[L_RECV] && recv_head_first) begin
                // A zero-length receive completes when a DATA event reaches
                // it, before data is placed (h_failed is 0 here).
              end else if (r_nonempty[L_RECV] && !op_rem_zero) begin
                w_conn_l = 1'b1;
                next_first_l = 1'b0;
                next_rem_l = 32'd0;
                next_rem_zero_l = 1'b1;
                if (data_covers) begin
                  fin_bytes_l = h_len[L_RECV];
                  w_word.filled = 32'd0;
                  next_rem_l = data_beyond;
                  next_rem_zero_l = data_exact;
                end else if (op_push && !h_no_push[L_RECV]) begin
                  fin_bytes_l = step_word.filled + op_rem;
                  w_word.filled = 32'd0;
                end else begin
                  w_word.filled = step_word.filled + op_rem;
                  w_word.recv_room = step_word.recv_room - op_rem;
                end
              end else if (r_nonempty[L_RECV]) begin
                // no bytes left: PUSH completes a partly filled head
                if (op_push && !h_no_push[L_RECV] && step_word.filled != 32'd0) begin
                  w_conn_l = 1'b1;
                  fin_bytes_l = step_word.filled;
                  w_word.filled = 32'd0;
                end
              end else if (!op_rem_zero) begin
                // no receive posted: buffer and indicate
                w_conn_l = 1'b1;
                w_word.buffered = step_word.buffered + op_rem;
                fin_type_l = 4'(cpl_pkg::CPL_TYPE_RX_INDICATE);
                fin_bytes_l = op_rem;
              end
            end
            4'(cpl_pkg::EVT_FIN_ACK): begin
              if (!step_word.fin_sent) begin
                proto_err_step_l = 1'b1;        // no FIN sent
              end else begin
                w_conn_l = 1'b1;
                fin_type_l = 4'(cpl_pkg::CPL_TYPE_DISCONNECT);
                fin_bytes_l = h_len[L_DISCONNECT];
                w_word.fin_sent = 1'b0;
              end
            end
            4'(cpl_pkg::EVT_RST): begin
              go_flush_l = 1'b1;
              flush_status_l = 3'(cpl_pkg::CPL_ST_ABORTED);
              flush_final_l = F_EVT_RST;
            end
            4'(cpl_pkg::EVT_FIN): begin
              if (step_word.fin_rcvd) proto_err_step_l = 1'b1;   // second FIN
              else go_fin_flush_l = 1'b1;
            end
            4'(cpl_pkg::EVT_FWD_DONE): begin
              if (!r_nonempty[L_FORWARD]) begin
                proto_err_step_l = 1'b1;        // no forward outstanding
              end else begin
                fin_type_l = 4'(cpl_pkg::CPL_TYPE_FORWARD);
                fin_bytes_l = h_len[L_FORWARD];
              end
            end
            default: proto_err_step_l = 1'b1;    // unknown event type
          endcase
        end
      end

      K_FLUSH: go_flush_l = 1'b1;
      K_FIN_FLUSH: go_fin_flush_l = 1'b1;

      // ---------------------------------------------------- failed heads, TX_FIN
      default: begin
        fin_qp_l = step_word.qp;
        if (drain_any) begin
          fin_status_l = h_fail_status[work_list];
          fin_type_l = work_list == 2'(L_SEND) ? 4'(cpl_pkg::CPL_TYPE_SEND) : work_list == 2'(L_RECV) ? 4'(cpl_pkg::CPL_TYPE_RECV) :
                   work_list == 2'(L_FORWARD) ? 4'(cpl_pkg::CPL_TYPE_FORWARD) : 4'(cpl_pkg::CPL_TYPE_DISCONNECT);
        end else if (r_nonempty[L_DISCONNECT] && !h_failed[L_DISCONNECT] && !step_word.fin_sent && !r_nonempty[L_SEND]) begin
          w_conn_l = 1'b1;
          work_type_l = 4'(cpl_pkg::WORK_TX_FIN);
          work_bytes_l = h_len[L_DISCONNECT];
          w_word.fin_sent = 1'b1;
        end
      end
    endcase

    // ---------------------------------------------------- flush one request
    if (go_flush_l) begin
      w_conn_l = 1'b1;
      next_kind_l = K_FLUSH;
      next_status_l = flush_status_l;
      next_final_l = flush_final_l;
      fin_qp_l = step_word.qp;
      if (step_word.nonempty != 4'd0) begin
        fin_slot_l = r_head[work_list];
        fin_type_l = work_list == 2'(L_SEND) ? 4'(cpl_pkg::CPL_TYPE_SEND) : work_list == 2'(L_RECV) ? 4'(cpl_pkg::CPL_TYPE_RECV) :
                 work_list == 2'(L_FORWARD) ? 4'(cpl_pkg::CPL_TYPE_FORWARD) : 4'(cpl_pkg::CPL_TYPE_DISCONNECT);
        if (h_failed[work_list]) begin
          fin_status_l = h_fail_status[work_list];
        end else begin
          fin_status_l = flush_status_l;
          fin_bytes_l = work_list == 2'(L_SEND) ? step_word.acked : work_list == 2'(L_RECV) ? step_word.filled : 32'd0;
          if (work_list == 2'(L_SEND)) w_word.acked = 32'd0;
          if (work_list == 2'(L_RECV)) w_word.filled = 32'd0;
        end
      end else begin
        fin_status_l = 3'(cpl_pkg::CPL_ST_SUCCESS);
        w_word.buffered = 32'd0;
        w_word.acked = 32'd0;
        w_word.filled = 32'd0;
        w_word.fin_sent = 1'b0;
        case (flush_final_l)
          F_ABORTIVE_DISCONNECT: begin
            fin_slot_l = op_slot;
            fin_type_l = 4'(cpl_pkg::CPL_TYPE_DISCONNECT);
            work_type_l = 4'(cpl_pkg::WORK_TX_RST);
            work_bytes_l = 32'd0;
            w_state_l = ST_ABORTED;
          end
          F_EVT_RST: begin
            fin_type_l = 4'(cpl_pkg::CPL_TYPE_EVT_RST);
            w_state_l = ST_ABORTED;
          end
          default: begin
            fin_type_l = 4'(cpl_pkg::CPL_TYPE_TERMINATE_DONE);
            w_state_l = ST_CLOSED;
            cmd_done_step_l = 1'b1;
            cmd_result_step_l = 4'(cpl_pkg::CMD_OK);
          end
        endcase
      end
    end

    // ---------------------------------------------------- FIN: end of stream
    if (go_fin_flush_l) begin
      w_conn_l = 1'b1;
      fin_qp_l = step_word.qp;
      if (r_nonempty[L_RECV]) begin
        next_kind_l = K_FIN_FLUSH;
        fin_slot_l = r_head[work_list];
        fin_type_l = 4'(cpl_pkg::CPL_TYPE_RECV);
        if (h_failed[L_RECV]) begin
          fin_status_l = h_fail_status[L_RECV];
        end else begin
          fin_status_l = 3'(cpl_pkg::CPL_ST_SUCCESS);
          fin_bytes_l = step_word.filled;
          w_word.filled = 32'd0;
        end
      end else begin
        fin_type_l = 4'(cpl_pkg::CPL_TYPE_EVT_FIN);
        fin_status_l = 3'(cpl_pkg::CPL_ST_SUCCESS);
        w_word.fin_rcvd = 1'b1;
      end
    end

    // ---------------------------------------------------- take the active head off
    // The successor becomes the head; the write-back stage puts the new
    // head's link word (read now) into its successor record. The new head's
    // room is its length (a head leaves with acked / filled 0, and a failed
    // head never had bytes), and its place in the posting order of the
    // heads is compared here, beside the step's decision.
    // Posting order. For a pair of lists L, M whose heads are both live,
    // one was posted first, say L's (the order bit); ahead counts the live
    // requests of L posted before M's head (at least L's head). Taking L's
    // head off lowers that count by one: while it is not 0, L's new head (its
    // successor s, the oldest request left on L) is still before M's head.
    // Otherwise M's head was posted before s, the order bit turns, and the
    // count becomes the live requests of M posted before s: those appended
    // to M before s was posted (s's link word records M's appends then) less
    // those taken off since, a number from 1 to the requests on M, exact
    // modulo 2^SW. Taking off the head of the list posted second (M's)
    // leaves the other first: the count is formed the same way for M's new
    // head. Every count stays within the requests on one list, so no number
    // of requests over the connection's life can confuse the order (a
    // sequence number per request would wrap).
    // (each list's fields from its own successor record, succ_flat, not
    // from the active one's: the list choice selects the result, not the
    // operands)
    if (pop) begin
      w_conn_l = 1'b1;
      for (i = 0; i < 4; i++) begin
        if (work_list == 2'(i)) begin
          w_nonempty_l[i] = !r_single[i];
          w_head_l[i] = succ_flat[i * LINK_W + LINK_NEXT_LSB +: SW];
          w_head_metas_l[i * HEAD_META_W +: HEAD_META_W] =
              succ_flat[i * LINK_W + LINK_HEAD_META_LSB +: HEAD_META_W];
          w_head_lens_l[i * LEN_W +: LEN_W] = succ_flat[i * LINK_W +: LEN_W];
          w_pops_l[i * SW +: SW] = pops_flat[i * SW +: SW] + SW'(1);
          if (i == L_SEND) w_word.send_room = succ_flat[i * LINK_W +: 32];
          if (i == L_RECV) w_word.recv_room = succ_flat[i * LINK_W +: 32];
          for (j = 0; j < 4; j++) begin
            if (j != i) begin
              k = pair_index(i, j);
              ahead_l = ahead_flat[k * SW +: SW] - SW'(1);
              // (the count after the decrement is not 0: compared before it,
              // so the decision does not wait for the subtraction)
              if (head_before[i][j] && ahead_flat[k * SW +: SW] != SW'(1)) begin
                w_ahead_l[k * SW +: SW] = ahead_l;
              end else begin
                w_ahead_l[k * SW +: SW] = !r_nonempty[j] ? '0 :
                    succ_flat[i * LINK_W + LINK_APPENDS_LSB + other_index(i, j) * SW +: SW] -
                    pops_flat[j * SW +: SW];
                w_before_l[i][j] = 1'b0;
                w_before_l[j][i] = 1'b1;
              end
            end
          end
        end
      end
    end

    // ---------------------------------------------------- list append
    // Into an empty list: the request is the head, its metadata and length
    // go into the connection word; otherwise into the old tail's link word,
    // and into the successor record too when the old tail is the head.
    // The appended request records how many requests each other list has
    // had appended (its place in the posting order, see above).
    app_appends_l = '0;
    for (i = 0; i < 4; i++)
      if (req_list == 2'(i))
        for (j = 0; j < 4; j++)
          if (j != i) app_appends_l[other_index(i, j) * SW +: SW] = appends_flat[j * SW +: SW];
    app_meta_l = {app_failed_l, app_fail_status_l, app_appends_l};
    link_we_l = 1'b0;
    // Each list's fields select on its own flag (app_at).
    if (app_writes) w_conn_l = 1'b1;
    for (i = 0; i < 4; i++) begin
      if (app_at[i]) begin
        w_nonempty_l[i] = 1'b1;
        w_tail_l[i] = op_slot;
        w_appends_l[i * SW +: SW] = appends_flat[i * SW +: SW] + SW'(1);
        if (!r_nonempty[i]) begin
          // the newest request: every other list's live requests were
          // posted before it, and none of its own list is ahead of another
          // head. The other lists' counts are the read word's: only a
          // fetched request appends, and its step never takes a head off (a
          // passing abortive DISCONNECT flushes in later steps, a failing
          // one takes nothing), so no other list's appends, pops or
          // nonempty flag move in this step.
          w_head_l[i] = op_slot;
          w_head_metas_l[i * HEAD_META_W +: HEAD_META_W] = {app_failed_l, app_fail_status_l};
          w_head_lens_l[i * LEN_W +: LEN_W] = len_wdata;
          for (j = 0; j < 4; j++) begin
            if (j != i) begin
              k = pair_index(i, j);
              w_ahead_l[k * SW +: SW] =
                  r_nonempty[j] ? appends_flat[j * SW +: SW] - pops_flat[j * SW +: SW] : '0;
              w_before_l[i][j] = 1'b0;
              w_before_l[j][i] = 1'b1;
            end
          end
          if (i == L_SEND) w_word.send_room = app_room_l;
          if (i == L_RECV) w_word.recv_room = app_room_l;
        end else begin
          link_we_l = 1'b1;
          if (r_single[i]) w_succ_l[i * LINK_W +: LINK_W] = {op_slot, app_meta_l, len_wdata};
        end
      end
    end

    stall_l = op_valid && (pick_wait || (need_work && !m_work_ready) || (need_engine && !evt_avail));

    link_we_l = link_we_l && op_valid && !stall_l;

    w_conn_we_l = op_valid && !stall_l && w_conn_l && conn_ok;
    w_state = w_state_l;
    next_kind = drain_due ? K_DRAIN : next_kind_l;
    next_rem = next_rem_l;
    next_rem_zero = next_rem_zero_l;
    next_status = next_status_l;
    next_final = next_final_l;
    next_first = next_first_l;
    fin_slot = fin_slot_l;
    fin_qp = fin_qp_l;
    fin_type = fin_type_l;
    fin_status = fin_status_l;
    fin_bytes = fin_bytes_l;
    work_type = work_type_l;
    work_bytes = work_bytes_l;
    proto_err_step = proto_err_step_l;
    late_step = late_step_l;
    cmd_done_step = cmd_done_step_l;
    cmd_result_step = cmd_result_step_l;
    stall = stall_l;
    link_we = link_we_l;
    link_waddr = r_tail[req_list];
    app_meta = app_meta_l;
    w_word.order = {w_before_l[2][3], w_before_l[1][3], w_before_l[1][2], w_before_l[0][3],
                    w_before_l[0][2], w_before_l[0][1]};
    w_word.nonempty = w_nonempty_l;
    w_word.head_metas = w_head_metas_l;
    w_word.appends = w_appends_l;
    w_word.pops = w_pops_l;
    w_word.ahead = w_ahead_l;
    w_word.head_lens = w_head_lens_l;
    w_word.succ_links = w_succ_l;
    w_word.heads = {w_head_l[3], w_head_l[2], w_head_l[1], w_head_l[0]};
    w_word.tails = {w_tail_l[3], w_tail_l[2], w_tail_l[1], w_tail_l[0]};
    w_conn_we = w_conn_we_l;
  end

  // ------------------------------------------------------------ outputs
  logic fire;
  always_comb begin : b_outputs
    logic fire_l;
    logic cmd_done_l;
    logic [3:0] cmd_result_l;
    logic m_work_valid_l;
    logic [63:0] m_work_data_l;
    logic evt_alloc_l;
    logic cpl_we_l;
    logic [SW-1:0] cpl_waddr_l;
    logic [cpl_pkg::DESC_W-1:0] cpl_wdata_l;
    logic app_valid_l;
    logic [QW-1:0] app_qp_l;
    logic [SW-1:0] app_slot_l;
    logic proto_err_l;
    logic [15:0] proto_err_conn_l;
    logic evt_late_l;
    logic idle_l;
    fire_l = op_valid && !stall;
    cmd_done_l = fire_l && cmd_done_step;
    cmd_result_l = cmd_result_step;
    m_work_valid_l = fire_l && need_work;
    m_work_data_l = cpl_pkg::work_word(work_type, op_conn, work_bytes);
    evt_alloc_l = fire_l && need_engine;
    cpl_we_l = fire_l && fin_valid;
    cpl_waddr_l = need_engine ? evt_slot : fin_slot;
    cpl_wdata_l = cpl_pkg::desc_word(op_conn, fin_type, fin_status, fin_bytes);
    app_valid_l = fire_l && fin_valid;
    app_qp_l = fin_qp;
    app_slot_l = cpl_waddr_l;
    proto_err_l = fire_l && proto_err_step;
    proto_err_conn_l = op_conn;
    evt_late_l = fire_l && late_step;
    idle_l = !op_valid && !ops_queued;
    fire = fire_l;
    cmd_done = cmd_done_l;
    cmd_result = cmd_result_l;
    m_work_valid = m_work_valid_l;
    m_work_data = m_work_data_l;
    evt_alloc = evt_alloc_l;
    cpl_we = cpl_we_l;
    cpl_waddr = cpl_waddr_l;
    cpl_wdata = cpl_wdata_l;
    app_valid = app_valid_l;
    app_qp = app_qp_l;
    app_slot = app_slot_l;
    proto_err = proto_err_l;
    proto_err_conn = proto_err_conn_l;
    evt_late = evt_late_l;
    idle = idle_l;
  end

  // link word of an append: the new request behind the old tail
  assign link_wdata.next = op_slot;
  assign link_wdata.next_meta = app_meta;
  assign link_wdata.next_len = len_wdata;

  logic unused_ok;
  // unused fields (a forwarded word's picks: see pick_wait)
  assign unused_ok = ^{cmd_qp[7:4], step_hint.flush_pick, step_hint.drain_pick,
                       step_hint.drain_any};
endmodule

`default_nettype wire
