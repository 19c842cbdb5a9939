// Matcher: every rule of PRM section 6. One step per cycle on one operation:
// a connection command, a fetched request or an event. A step reads one
// connection (cpl_conn_table) and the heads of its four request lists
// (cpl_req_meta), and may write the connection back, finish one request
// (descriptor fields into the request table, slot appended to its queue
// pair's completion list), emit one work word and link one slot into a list.
// Operations that finish several requests (cumulative ACK, DATA over several
// receives, FIN, RST, abortive DISCONNECT, TERMINATE) take one step per
// request and hold their input meanwhile.
//
// Per connection: state, queue pair, FIN received, graceful DISCONNECT
// posted, TX_FIN sent, posting sequence number, NIC-buffered receive bytes,
// bytes acknowledged of the head SEND, bytes placed in the head RECV, and the
// SEND / RECV / FORWARD / DISCONNECT lists (head, tail, non-empty; linked
// through the request table's nxt field).
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
// fetched requests; s_evt_* events (one-entry input register); m_work_* to
// the work FIFO; nxt/cpl ports of the request table; engine slots (evt_*);
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
    output logic [54:0]    cpl_wdata,
    output logic           nxt_we,
    output logic [SW-1:0]  nxt_waddr,
    output logic [SW-1:0]  nxt_wdata,
    output logic [SW-1:0]  nxt_raddr,
    input  wire  [SW-1:0]  nxt_rdata,

    input  wire            evt_avail,
    input  wire  [SW-1:0]  evt_slot,
    output logic           evt_alloc,

    output logic           app_valid,
    output logic [QW-1:0]  app_qp,
    output logic [SW-1:0]  app_slot,

    output logic           proto_err,
    output logic [15:0]    proto_err_conn,
    output logic           evt_late,
    output logic           idle
);
`include "rtl/cpl_defs.svh"
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
  localparam logic [2:0] K_FINFLUSH = 3'd4;   // complete the RECV list, then EVT_FIN
  localparam logic [2:0] K_DRAIN = 3'd5;      // complete failed heads, deferred TX_FIN

  localparam logic [1:0] F_ABORT_DISC = 2'd0;   // then TX_RST, DISCONNECT SUCCESS
  localparam logic [1:0] F_EVT_RST = 2'd1;      // then EVT_RST
  localparam logic [1:0] F_TERMINATE = 2'd2;    // then TERMINATE_DONE

  // list numbers
  localparam int L_SND = 0;
  localparam int L_RCV = 1;
  localparam int L_FWD = 2;
  localparam int L_DSC = 3;

  // connection word: lists (head, tail) x 4, non-empty, fill, acc, buf, seq, flags, qp
  localparam int O_NE = 8 * SW;
  localparam int O_FILL = O_NE + 4;
  localparam int O_ACC = O_FILL + 32;
  localparam int O_BUF = O_ACC + 32;
  localparam int O_SEQ = O_BUF + 32;
  localparam int O_FLAGS = O_SEQ + 16;   // {fin_sent, disc_posted, fin_rcvd}
  localparam int O_QP = O_FLAGS + 3;
  localparam int WW = O_QP + QW;

  // ------------------------------------------------------------ current operation
  logic          cur_valid;
  logic [2:0]    cur_kind;
  logic [15:0]   cur_conn;
  logic [31:0]   cur_rem;
  logic [3:0]    cur_evtype;
  logic          cur_push;
  logic          cur_first;
  logic          cur_popped;
  logic [2:0]    cur_status;
  logic [1:0]    cur_final;
  logic [SW-1:0] cur_slot;
  logic [QW-1:0] cur_qp;

  logic          ev_q_valid;
  logic [63:0]   ev_q_data;
  logic          prefer_req;

  // the operation of this cycle
  logic          op_valid;
  logic [2:0]    op_kind;
  logic [15:0]   op_conn;
  logic [31:0]   op_rem;        // event bytes / request length / command argument
  logic [3:0]    op_evtype;
  logic          op_push;
  logic          op_first;
  logic          op_popped;
  logic [7:0]    op_opcode;
  logic [7:0]    op_flags;
  logic [2:0]    op_status;
  logic [1:0]    op_final;
  logic [SW-1:0] op_slot;
  logic [QW-1:0] op_qp;
  logic          take_req, take_evt;

  always_comb begin : b_take_op
    logic take_cmd_l;
    logic take_req_l;
    logic take_evt_l;
    logic op_valid_l;
    logic [2:0] op_kind_l;
    logic [15:0] op_conn_l;
    logic [31:0] op_rem_l;
    logic [3:0] op_evtype_l;
    logic op_push_l;
    logic op_first_l;
    logic op_popped_l;
    logic [7:0] op_opcode_l;
    logic [7:0] op_flags_l;
    logic [2:0] op_status_l;
    logic [1:0] op_final_l;
    logic [SW-1:0] op_slot_l;
    logic [QW-1:0] op_qp_l;
    take_cmd_l = 1'b0;
    take_req_l = 1'b0;
    take_evt_l = 1'b0;
    if (!cur_valid) begin
      if (cmd_valid) take_cmd_l = 1'b1;
      else if (enable && s_req_valid && (prefer_req || !ev_q_valid)) take_req_l = 1'b1;
      else if (enable && ev_q_valid) take_evt_l = 1'b1;
    end
    op_valid_l = cur_valid || take_cmd_l || take_req_l || take_evt_l;
    op_kind_l = cur_kind;
    op_conn_l = cur_conn;
    op_rem_l = cur_rem;
    op_evtype_l = cur_evtype;
    op_push_l = cur_push;
    op_first_l = cur_first;
    op_popped_l = cur_popped;
    op_opcode_l = s_req_data[7:0];
    op_flags_l = s_req_data[15:8];
    op_status_l = cur_status;
    op_final_l = cur_final;
    op_slot_l = cur_slot;
    op_qp_l = cur_qp;
    if (take_cmd_l) begin
      op_kind_l = K_CMD;
      op_conn_l = cmd_conn;
      op_rem_l = cmd_arg;
      op_popped_l = 1'b0;
    end else if (take_req_l) begin
      op_kind_l = K_REQ;
      op_conn_l = s_req_data[31:16];
      op_rem_l = s_req_data[63:32];
      op_slot_l = s_req_data[SW+QW+63 -: SW];
      op_qp_l = s_req_data[QW+63 -: QW];
      op_popped_l = 1'b0;
    end else if (take_evt_l) begin
      op_kind_l = K_EVT;
      op_evtype_l = ev_q_data[EVT_TYPE_LSB +: 4];
      op_push_l = ev_q_data[EVT_FLAGS_LSB];
      op_conn_l = ev_q_data[EVT_CONN_LSB +: 16];
      op_rem_l = ev_q_data[EVT_BYTES_LSB +: 32];
      op_first_l = 1'b1;
      op_popped_l = 1'b0;
    end
    take_req = take_req_l;
    take_evt = take_evt_l;
    op_valid = op_valid_l;
    op_kind = op_kind_l;
    op_conn = op_conn_l;
    op_rem = op_rem_l;
    op_evtype = op_evtype_l;
    op_push = op_push_l;
    op_first = op_first_l;
    op_popped = op_popped_l;
    op_opcode = op_opcode_l;
    op_flags = op_flags_l;
    op_status = op_status_l;
    op_final = op_final_l;
    op_slot = op_slot_l;
    op_qp = op_qp_l;
  end

  // ------------------------------------------------------------ state read
  logic          conn_ok;
  logic [CW-1:0] ci;
  logic [1:0]    t_state;
  logic [WW-1:0] t_word;
  logic [1:0]    r_state;
  logic [QW-1:0] r_qp;
  logic          r_fin_rcvd, r_disc_posted, r_fin_sent;
  logic [15:0]   r_seq;
  logic [31:0]   r_buf, r_acc, r_fill;
  logic [3:0]    r_ne;
  logic [SW-1:0] r_h[4];
  logic [SW-1:0] r_t[4];
  // heads' bookkeeping
  logic [19:0]   hm[4];
  logic          h_failed[4];
  logic [2:0]    h_fst[4];
  logic [15:0]   h_seq[4];
  logic [32:0]   a_lenw;        // active head {NO_PUSH, length}
  logic          a_nopush;
  logic [31:0]   a_len;
  logic [19:0]   nm;            // successor of the active head
  logic          n_failed;

  cpl_conn_table #(.NUM_CONN(NUM_CONN), .CW(CW), .WW(WW)) u_conn (
      .clk, .rst, .raddr(ci), .rstate(t_state), .rdata(t_word),
      .we(w_conn_we), .waddr(ci), .wstate(w_state), .wdata(w_word));

  cpl_req_meta #(.TBL(TBL), .SW(SW)) u_meta (
      .clk, .we(meta_we), .waddr(op_slot), .wdata(meta_wdata),
      .len_wdata({op_flags[1], op_rem}), .len_raddr(nxt_raddr), .len_rdata(a_lenw),
      .raddr0(r_h[0]), .rdata0(hm[0]), .raddr1(r_h[1]), .rdata1(hm[1]),
      .raddr2(r_h[2]), .rdata2(hm[2]), .raddr3(r_h[3]), .rdata3(hm[3]),
      .raddr4(nxt_rdata), .rdata4(nm));

  always_comb begin : b_conn_index
    logic conn_ok_l;
    logic [CW-1:0] ci_l;
    conn_ok_l = 32'(op_conn) < NUM_CONN;
    ci_l = conn_ok_l ? CW'(op_conn) : '0;
    conn_ok = conn_ok_l;
    ci = ci_l;
  end

  always_comb begin : b_conn_fields
    logic [1:0] r_state_l;
    logic [QW-1:0] r_qp_l;
    logic r_fin_sent_l;
    logic r_disc_posted_l;
    logic r_fin_rcvd_l;
    logic [15:0] r_seq_l;
    logic [31:0] r_buf_l;
    logic [31:0] r_acc_l;
    logic [31:0] r_fill_l;
    logic [3:0] r_ne_l;
    logic [SW-1:0] r_h_l [4];
    logic [SW-1:0] r_t_l [4];
    r_state_l = conn_ok ? t_state : ST_CLOSED;
    r_qp_l = t_word[O_QP +: QW];
    {r_fin_sent_l, r_disc_posted_l, r_fin_rcvd_l} = t_word[O_FLAGS +: 3];
    r_seq_l = t_word[O_SEQ +: 16];
    r_buf_l = t_word[O_BUF +: 32];
    r_acc_l = t_word[O_ACC +: 32];
    r_fill_l = t_word[O_FILL +: 32];
    r_ne_l = t_word[O_NE +: 4];
    for (int i = 0; i < 4; i++) begin
      r_h_l[i] = t_word[(2 * i) * SW +: SW];
      r_t_l[i] = t_word[(2 * i + 1) * SW +: SW];
    end
    r_state = r_state_l;
    r_qp = r_qp_l;
    r_fin_sent = r_fin_sent_l;
    r_disc_posted = r_disc_posted_l;
    r_fin_rcvd = r_fin_rcvd_l;
    r_seq = r_seq_l;
    r_buf = r_buf_l;
    r_acc = r_acc_l;
    r_fill = r_fill_l;
    r_ne = r_ne_l;
    for (int k = 0; k < 4; k++) r_h[k] = r_h_l[k];
    for (int k = 0; k < 4; k++) r_t[k] = r_t_l[k];
  end

  always_comb begin : b_head_fields
    logic h_failed_l [4];
    logic [2:0] h_fst_l [4];
    logic [15:0] h_seq_l [4];
    logic a_nopush_l;
    logic [31:0] a_len_l;
    logic n_failed_l;
    for (int i = 0; i < 4; i++) begin
      h_failed_l[i] = hm[i][19];
      h_fst_l[i] = hm[i][18:16];
      h_seq_l[i] = hm[i][15:0];
    end
    a_nopush_l = a_lenw[32];
    a_len_l = a_lenw[31:0];
    n_failed_l = nm[19];
    for (int k = 0; k < 4; k++) h_failed[k] = h_failed_l[k];
    for (int k = 0; k < 4; k++) h_fst[k] = h_fst_l[k];
    for (int k = 0; k < 4; k++) h_seq[k] = h_seq_l[k];
    a_nopush = a_nopush_l;
    a_len = a_len_l;
    n_failed = n_failed_l;
  end

  // ------------------------------------------------------------ list choice
  // FLUSH takes the list whose head was posted first; DRAIN the first list
  // with a failed head (SEND, RECV, FORWARD, then a DISCONNECT no longer
  // behind an earlier SEND); other steps their event's list.
  logic [1:0] fl_pick;
  logic [1:0] dr_pick;
  logic       dr_any;
  logic       dsc_ready;     // failed DISCONNECT head no longer behind a SEND

  // a posted before b (16-bit sequence numbers, modulo arithmetic)
  function automatic logic seq_before(input logic [15:0] a, input logic [15:0] b);
    seq_before = (a - b) >= 16'h8000;
  endfunction

  always_comb begin : b_list_pick
    logic [1:0] fl_pick_l;
    logic fl_found_l;
    logic dsc_ready_l;
    logic dr_any_l;
    logic [1:0] dr_pick_l;
    fl_pick_l = 2'd0;
    fl_found_l = 1'b0;
    for (int i = 0; i < 4; i++) begin
      if (r_ne[i] && (!fl_found_l || seq_before(h_seq[i], h_seq[fl_pick_l]))) begin
        fl_pick_l = 2'(i);
        fl_found_l = 1'b1;
      end
    end
    dsc_ready_l = r_ne[L_DSC] && h_failed[L_DSC] &&
                (!r_ne[L_SND] || seq_before(h_seq[L_DSC], h_seq[L_SND]));
    dr_any_l = 1'b1;
    if (r_ne[L_SND] && h_failed[L_SND]) dr_pick_l = 2'(L_SND);
    else if (r_ne[L_RCV] && h_failed[L_RCV]) dr_pick_l = 2'(L_RCV);
    else if (r_ne[L_FWD] && h_failed[L_FWD]) dr_pick_l = 2'(L_FWD);
    else if (dsc_ready_l) dr_pick_l = 2'(L_DSC);
    else begin
      dr_pick_l = 2'(L_DSC);
      dr_any_l = 1'b0;
    end
    fl_pick = fl_pick_l;
    dsc_ready = dsc_ready_l;
    dr_any = dr_any_l;
    dr_pick = dr_pick_l;
  end

  logic [1:0] act;           // the list this step works on
  always_comb begin : b_active_list
    logic [SW-1:0] nxt_raddr_l;
    case (op_kind)
      K_EVT: begin
        case (op_evtype)
          4'(EVT_ACK): act = (dsc_ready && !(r_ne[L_SND] && h_failed[L_SND])) ? 2'(L_DSC) : 2'(L_SND);
          4'(EVT_DATA), 4'(EVT_FIN): act = 2'(L_RCV);
          4'(EVT_FWD_DONE): act = 2'(L_FWD);
          4'(EVT_FIN_ACK): act = 2'(L_DSC);
          default: act = fl_pick;
        endcase
      end
      K_FINFLUSH: act = 2'(L_RCV);
      K_DRAIN: act = dr_pick;
      default: act = fl_pick;
    endcase
    nxt_raddr_l = r_h[act];
    nxt_raddr = nxt_raddr_l;
  end

  // ------------------------------------------------------------ step
  logic          w_conn_we;
  logic [1:0]    w_state;
  logic [WW-1:0] w_word;

  logic          done;          // the operation ends with this step
  logic [2:0]    n_kind;
  logic [31:0]   n_rem;
  logic [2:0]    n_status;
  logic [1:0]    n_final;
  logic          n_first;

  logic          o_valid;       // finish a request / write an engine descriptor
  logic          o_engine;      // ... into a fresh engine slot
  logic [SW-1:0] o_slot;
  logic [QW-1:0] o_qp;
  logic [3:0]    o_type;
  logic [2:0]    o_status;
  logic [31:0]   o_bytes;
  logic          pop;           // the active list's head leaves
  logic          want_work;
  logic [3:0]    wk_type;
  logic [31:0]   wk_bytes;
  logic          app_list;      // append op_slot to a list
  logic [1:0]    app_which;
  logic          p_proto, p_late;
  logic          p_cmd_done;
  logic [3:0]    p_cmd_res;
  logic          stall;
  logic          meta_we;
  logic [19:0]   meta_wdata;

  always_comb begin : b_step
    logic w_conn_l;
    logic [1:0] w_state_l;
    logic [QW-1:0] w_qp_l;
    logic w_fin_rcvd_l;
    logic w_disc_posted_l;
    logic w_fin_sent_l;
    logic [15:0] w_seq_l;
    logic [31:0] w_buf_l;
    logic [31:0] w_acc_l;
    logic [31:0] w_fill_l;
    logic [3:0] w_ne_l;
    logic [SW-1:0] w_h_l [4];
    logic [SW-1:0] w_t_l [4];
    logic done_l;
    logic [2:0] n_kind_l;
    logic [31:0] n_rem_l;
    logic [2:0] n_status_l;
    logic [1:0] n_final_l;
    logic n_first_l;
    logic go_flush_l;
    logic go_finflush_l;
    logic [2:0] fl_status_l;
    logic [1:0] fl_final_l;
    logic o_valid_l;
    logic o_engine_l;
    logic [SW-1:0] o_slot_l;
    logic [QW-1:0] o_qp_l;
    logic [3:0] o_type_l;
    logic [2:0] o_status_l;
    logic [31:0] o_bytes_l;
    logic pop_l;
    logic want_work_l;
    logic [3:0] wk_type_l;
    logic [31:0] wk_bytes_l;
    logic app_list_l;
    logic [1:0] app_which_l;
    logic app_failed_l;
    logic [2:0] app_fst_l;
    logic p_proto_l;
    logic p_late_l;
    logic p_cmd_done_l;
    logic [3:0] p_cmd_res_l;
    logic [31:0] take_l;
    logic [31:0] room_l;
    logic req_known_l;
    logic req_fail_l;
    logic [2:0] req_fst_l;
    logic [3:0] req_type_l;
    logic [1:0] req_list_l;
    logic a_len0_l;
    logic stall_l;
    logic meta_we_l;
    logic [19:0] meta_wdata_l;
    logic [WW-1:0] w_word_l;
    logic w_conn_we_l;
    w_conn_l = 1'b0;
    w_state_l = r_state;
    w_qp_l = r_qp;
    w_fin_rcvd_l = r_fin_rcvd;
    w_disc_posted_l = r_disc_posted;
    w_fin_sent_l = r_fin_sent;
    w_seq_l = r_seq;
    w_buf_l = r_buf;
    w_acc_l = r_acc;
    w_fill_l = r_fill;
    w_ne_l = r_ne;
    for (int i = 0; i < 4; i++) begin
      w_h_l[i] = r_h[i];
      w_t_l[i] = r_t[i];
    end
    done_l = 1'b1;
    n_kind_l = op_kind;
    n_rem_l = op_rem;
    n_status_l = op_status;
    n_final_l = op_final;
    n_first_l = 1'b0;
    go_flush_l = 1'b0;
    go_finflush_l = 1'b0;
    fl_status_l = op_status;
    fl_final_l = op_final;
    o_valid_l = 1'b0;
    o_engine_l = 1'b0;
    o_slot_l = r_h[act];
    o_qp_l = r_qp;
    o_type_l = 4'd0;
    o_status_l = 3'(CPL_ST_SUCCESS);
    o_bytes_l = 32'd0;
    pop_l = 1'b0;
    want_work_l = 1'b0;
    wk_type_l = 4'd0;
    wk_bytes_l = op_rem;
    app_list_l = 1'b0;
    app_which_l = 2'd0;
    app_failed_l = 1'b0;
    app_fst_l = 3'd0;
    p_proto_l = 1'b0;
    p_late_l = 1'b0;
    p_cmd_done_l = 1'b0;
    p_cmd_res_l = 4'(CMD_OK);
    take_l = 32'd0;
    room_l = 32'd0;
    req_known_l = 1'b0;
    req_fail_l = 1'b0;
    req_fst_l = 3'd0;
    req_type_l = 4'd0;
    req_list_l = 2'd0;
    a_len0_l = a_len == 32'd0;

    case (op_kind)
      // ---------------------------------------------------- CONN_CMD
      K_CMD: begin
        p_cmd_done_l = 1'b1;
        if (cmd_op != 4'(CMD_OP_OFFLOAD) && cmd_op != 4'(CMD_OP_TERMINATE) &&
            cmd_op != 4'(CMD_OP_RX_CONSUMED)) begin
          p_cmd_res_l = 4'(CMD_BAD_OP);
        end else if (!conn_ok) begin
          p_cmd_res_l = 4'(CMD_BAD_CONN);
        end else if (cmd_op == 4'(CMD_OP_OFFLOAD)) begin
          if (32'(cmd_qp) >= NUM_QP) p_cmd_res_l = 4'(CMD_BAD_QP);
          else if (r_state != ST_CLOSED) p_cmd_res_l = 4'(CMD_BAD_STATE);
          else begin
            w_conn_l = 1'b1;
            w_state_l = ST_OFFLOADED;
            w_qp_l = QW'(cmd_qp);
            {w_fin_sent_l, w_disc_posted_l, w_fin_rcvd_l} = 3'd0;
            w_seq_l = '0;
            w_buf_l = '0;
            w_acc_l = '0;
            w_fill_l = '0;
            w_ne_l = '0;
          end
        end else if (cmd_op == 4'(CMD_OP_TERMINATE)) begin
          if (r_state == ST_CLOSED) p_cmd_res_l = 4'(CMD_BAD_STATE);
          else begin
            p_cmd_done_l = 1'b0;
            go_flush_l = 1'b1;
            fl_status_l = 3'(CPL_ST_UPLOAD);
            fl_final_l = F_TERMINATE;
          end
        end else begin
          if (r_state != ST_OFFLOADED) p_cmd_res_l = 4'(CMD_BAD_STATE);
          else if (cmd_arg > r_buf) p_cmd_res_l = 4'(CMD_BAD_ARG);
          else begin
            w_conn_l = 1'b1;
            w_buf_l = r_buf - cmd_arg;
          end
        end
      end

      // ---------------------------------------------------- fetched request
      K_REQ: begin
        o_qp_l = op_qp;
        o_slot_l = op_slot;
        req_known_l = op_opcode >= 8'(OP_SEND) && op_opcode <= 8'(OP_FORWARD);
        req_type_l = req_known_l ? op_opcode[3:0] : 4'd0;
        req_list_l = op_opcode == 8'(OP_SEND) ? 2'(L_SND) : op_opcode == 8'(OP_RECV) ? 2'(L_RCV) :
                   op_opcode == 8'(OP_FORWARD) ? 2'(L_FWD) : 2'(L_DSC);
        o_type_l = req_type_l;
        // checks 1..4 of PRM 6, then the opcode's own state check
        req_fail_l = 1'b1;
        case (op_opcode)
          8'(OP_SEND), 8'(OP_FORWARD):
            if (op_flags != 8'd0 || op_rem == 32'd0) req_fst_l = 3'(CPL_ST_INVALID_REQUEST);
            else req_fail_l = 1'b0;
          8'(OP_RECV):
            if ((op_flags & ~8'(REQ_FLAG_NO_PUSH)) != 8'd0) req_fst_l = 3'(CPL_ST_INVALID_REQUEST);
            else req_fail_l = 1'b0;
          8'(OP_DISCONNECT):
            if ((op_flags & ~8'(REQ_FLAG_ABORTIVE)) != 8'd0) req_fst_l = 3'(CPL_ST_INVALID_REQUEST);
            else req_fail_l = 1'b0;
          default: req_fst_l = 3'(CPL_ST_INVALID_REQUEST);
        endcase
        if (!req_fail_l) begin
          req_fail_l = 1'b1;
          if (r_state == ST_CLOSED) req_fst_l = 3'(CPL_ST_INVALID_CONN);
          else if (r_qp != op_qp) req_fst_l = 3'(CPL_ST_WRONG_QP);
          else if (r_state == ST_ABORTED) req_fst_l = 3'(CPL_ST_ABORTED);
          else if (op_opcode == 8'(OP_SEND) && r_disc_posted) req_fst_l = 3'(CPL_ST_INVALID_STATE);
          else if (op_opcode == 8'(OP_RECV) && r_fin_rcvd && r_buf == 32'd0)
            req_fst_l = 3'(CPL_ST_INVALID_STATE);
          else if (op_opcode == 8'(OP_DISCONNECT) && !op_flags[0] && r_disc_posted)
            req_fst_l = 3'(CPL_ST_INVALID_STATE);
          else req_fail_l = 1'b0;
        end
        if (req_fail_l) begin
          // In line behind earlier requests of its opcode, if any wait.
          if (req_known_l && r_state == ST_OFFLOADED && r_qp == op_qp &&
              (r_ne[req_list_l] || (req_list_l == 2'(L_DSC) && r_ne[L_SND]))) begin
            app_list_l = 1'b1;
            app_which_l = req_list_l;
            app_failed_l = 1'b1;
            app_fst_l = req_fst_l;
          end else begin
            o_valid_l = 1'b1;
            o_status_l = req_fst_l;
          end
        end else begin
          case (op_opcode)
            8'(OP_SEND): begin
              app_list_l = 1'b1;
              app_which_l = 2'(L_SND);
              want_work_l = 1'b1;
              wk_type_l = 4'(WORK_TX_DATA);
            end
            8'(OP_RECV): begin
              want_work_l = 1'b1;
              wk_type_l = 4'(WORK_RX_POST);
              if (r_buf != 32'd0) begin
                // Buffered data (older than anything to come) fills it at once.
                w_conn_l = 1'b1;
                if (op_rem == 32'd0) begin
                  o_valid_l = 1'b1;
                end else if (op_rem <= r_buf) begin
                  o_valid_l = 1'b1;
                  o_bytes_l = op_rem;
                  w_buf_l = r_buf - op_rem;
                end else begin
                  w_buf_l = 32'd0;
                  if (op_flags[1] && !r_fin_rcvd) begin
                    app_list_l = 1'b1;
                    app_which_l = 2'(L_RCV);
                    w_fill_l = r_buf;
                  end else begin
                    o_valid_l = 1'b1;
                    o_bytes_l = r_buf;
                  end
                end
              end else begin
                app_list_l = 1'b1;
                app_which_l = 2'(L_RCV);
              end
            end
            8'(OP_DISCONNECT): begin
              if (op_flags[0]) begin
                go_flush_l = 1'b1;
                fl_status_l = 3'(CPL_ST_ABORTED);
                fl_final_l = F_ABORT_DISC;
              end else begin
                w_conn_l = 1'b1;
                w_disc_posted_l = 1'b1;
                app_list_l = 1'b1;
                app_which_l = 2'(L_DSC);
                if (!r_ne[L_SND] && !r_ne[L_DSC]) begin
                  want_work_l = 1'b1;
                  wk_type_l = 4'(WORK_TX_FIN);
                  w_fin_sent_l = 1'b1;
                end
              end
            end
            default: begin  // FORWARD
              app_list_l = 1'b1;
              app_which_l = 2'(L_FWD);
              want_work_l = 1'b1;
              wk_type_l = 4'(WORK_FWD);
            end
          endcase
        end
      end

      // ---------------------------------------------------- event
      K_EVT: begin
        o_qp_l = r_qp;
        if (!conn_ok) begin
          p_proto_l = 1'b1;
        end else if (r_state != ST_OFFLOADED) begin
          p_late_l = 1'b1;
        end else begin
          case (op_evtype)
            4'(EVT_ACK): begin
              o_type_l = 4'(CPL_TYPE_SEND);
              if (r_ne[L_SND] && h_failed[L_SND]) begin
                o_valid_l = 1'b1;
                o_status_l = h_fst[L_SND];
                pop_l = 1'b1;
                done_l = 1'b0;
              end else if (dsc_ready) begin
                // A failed DISCONNECT no longer behind an earlier SEND
                // completes before the walk goes on.
                o_valid_l = 1'b1;
                o_type_l = 4'(CPL_TYPE_DISCONNECT);
                o_status_l = h_fst[L_DSC];
                pop_l = 1'b1;
                done_l = 1'b0;
              end else if (op_rem == 32'd0) begin
                done_l = 1'b1;
              end else if (!r_ne[L_SND]) begin
                p_proto_l = 1'b1;        // beyond the SEND bytes outstanding; dropped
              end else begin
                w_conn_l = 1'b1;
                room_l = a_len - r_acc;
                take_l = op_rem < room_l ? op_rem : room_l;
                n_rem_l = op_rem - take_l;
                if (take_l == room_l) begin
                  o_valid_l = 1'b1;
                  o_bytes_l = a_len;
                  w_acc_l = 32'd0;
                  pop_l = 1'b1;
                  done_l = n_rem_l == 32'd0;
                end else begin
                  w_acc_l = r_acc + take_l;
                end
              end
            end
            4'(EVT_DATA): begin
              o_type_l = 4'(CPL_TYPE_RECV);
              n_first_l = op_first;
              if (r_fin_rcvd) begin
                p_proto_l = 1'b1;        // data after FIN; dropped
              end else if (r_ne[L_RCV] && h_failed[L_RCV]) begin
                o_valid_l = 1'b1;
                o_status_l = h_fst[L_RCV];
                pop_l = 1'b1;
                done_l = 1'b0;
              end else if (r_ne[L_RCV] && a_len0_l && (op_first || op_rem != 32'd0)) begin
                // A zero-length receive completes when a DATA event reaches
                // it, before data is placed.
                o_valid_l = 1'b1;
                pop_l = 1'b1;
                done_l = 1'b0;
              end else if (r_ne[L_RCV] && op_rem != 32'd0) begin
                w_conn_l = 1'b1;
                n_first_l = 1'b0;
                room_l = a_len - r_fill;
                take_l = op_rem < room_l ? op_rem : room_l;
                n_rem_l = op_rem - take_l;
                if (take_l == room_l) begin
                  o_valid_l = 1'b1;
                  o_bytes_l = a_len;
                  w_fill_l = 32'd0;
                  pop_l = 1'b1;
                  done_l = n_rem_l == 32'd0;
                end else if (op_push && !a_nopush) begin
                  o_valid_l = 1'b1;
                  o_bytes_l = r_fill + take_l;
                  w_fill_l = 32'd0;
                  pop_l = 1'b1;
                end else begin
                  w_fill_l = r_fill + take_l;
                end
              end else if (r_ne[L_RCV]) begin
                // no bytes left: PUSH completes a partly filled head
                if (op_push && !a_nopush && r_fill != 32'd0) begin
                  w_conn_l = 1'b1;
                  o_valid_l = 1'b1;
                  o_bytes_l = r_fill;
                  w_fill_l = 32'd0;
                  pop_l = 1'b1;
                end
              end else if (op_rem != 32'd0) begin
                // no receive posted: buffer and indicate
                w_conn_l = 1'b1;
                w_buf_l = r_buf + op_rem;
                o_valid_l = 1'b1;
                o_engine_l = 1'b1;
                o_type_l = 4'(CPL_TYPE_RX_INDICATE);
                o_bytes_l = op_rem;
              end
            end
            4'(EVT_FIN_ACK): begin
              if (!r_fin_sent) begin
                p_proto_l = 1'b1;        // no FIN sent
              end else begin
                w_conn_l = 1'b1;
                o_valid_l = 1'b1;
                o_type_l = 4'(CPL_TYPE_DISCONNECT);
                o_bytes_l = a_len;
                pop_l = 1'b1;
                w_fin_sent_l = 1'b0;
              end
            end
            4'(EVT_RST): begin
              go_flush_l = 1'b1;
              fl_status_l = 3'(CPL_ST_ABORTED);
              fl_final_l = F_EVT_RST;
            end
            4'(EVT_FIN): begin
              if (r_fin_rcvd) p_proto_l = 1'b1;   // second FIN
              else go_finflush_l = 1'b1;
            end
            4'(EVT_FWD_DONE): begin
              if (!r_ne[L_FWD]) begin
                p_proto_l = 1'b1;        // no forward outstanding
              end else begin
                o_valid_l = 1'b1;
                o_type_l = 4'(CPL_TYPE_FORWARD);
                o_bytes_l = a_len;
                pop_l = 1'b1;
              end
            end
            default: p_proto_l = 1'b1;    // unknown event type
          endcase
        end
      end

      K_FLUSH: go_flush_l = 1'b1;
      K_FINFLUSH: go_finflush_l = 1'b1;

      // ---------------------------------------------------- failed heads, TX_FIN
      default: begin
        o_qp_l = r_qp;
        if (dr_any) begin
          done_l = 1'b0;
          o_valid_l = 1'b1;
          o_status_l = h_fst[act];
          o_type_l = act == 2'(L_SND) ? 4'(CPL_TYPE_SEND) : act == 2'(L_RCV) ? 4'(CPL_TYPE_RECV) :
                   act == 2'(L_FWD) ? 4'(CPL_TYPE_FORWARD) : 4'(CPL_TYPE_DISCONNECT);
          pop_l = 1'b1;
        end else if (r_ne[L_DSC] && !h_failed[L_DSC] && !r_fin_sent && !r_ne[L_SND]) begin
          w_conn_l = 1'b1;
          want_work_l = 1'b1;
          wk_type_l = 4'(WORK_TX_FIN);
          wk_bytes_l = a_len;
          w_fin_sent_l = 1'b1;
        end
      end
    endcase

    // ---------------------------------------------------- flush one request
    if (go_flush_l) begin
      w_conn_l = 1'b1;
      done_l = 1'b0;
      n_kind_l = K_FLUSH;
      n_status_l = fl_status_l;
      n_final_l = fl_final_l;
      o_qp_l = r_qp;
      if (r_ne != 4'd0) begin
        o_valid_l = 1'b1;
        o_slot_l = r_h[act];
        pop_l = 1'b1;
        o_type_l = act == 2'(L_SND) ? 4'(CPL_TYPE_SEND) : act == 2'(L_RCV) ? 4'(CPL_TYPE_RECV) :
                 act == 2'(L_FWD) ? 4'(CPL_TYPE_FORWARD) : 4'(CPL_TYPE_DISCONNECT);
        if (h_failed[act]) begin
          o_status_l = h_fst[act];
        end else begin
          o_status_l = fl_status_l;
          o_bytes_l = act == 2'(L_SND) ? r_acc : act == 2'(L_RCV) ? r_fill : 32'd0;
          if (act == 2'(L_SND)) w_acc_l = 32'd0;
          if (act == 2'(L_RCV)) w_fill_l = 32'd0;
        end
      end else begin
        done_l = 1'b1;
        o_valid_l = 1'b1;
        o_status_l = 3'(CPL_ST_SUCCESS);
        w_buf_l = 32'd0;
        w_acc_l = 32'd0;
        w_fill_l = 32'd0;
        w_fin_sent_l = 1'b0;
        case (fl_final_l)
          F_ABORT_DISC: begin
            o_slot_l = op_slot;
            o_type_l = 4'(CPL_TYPE_DISCONNECT);
            want_work_l = 1'b1;
            wk_type_l = 4'(WORK_TX_RST);
            wk_bytes_l = 32'd0;
            w_state_l = ST_ABORTED;
          end
          F_EVT_RST: begin
            o_engine_l = 1'b1;
            o_type_l = 4'(CPL_TYPE_EVT_RST);
            w_state_l = ST_ABORTED;
          end
          default: begin
            o_engine_l = 1'b1;
            o_type_l = 4'(CPL_TYPE_TERMINATE_DONE);
            w_state_l = ST_CLOSED;
            p_cmd_done_l = 1'b1;
            p_cmd_res_l = 4'(CMD_OK);
          end
        endcase
      end
    end

    // ---------------------------------------------------- FIN: end of stream
    if (go_finflush_l) begin
      w_conn_l = 1'b1;
      o_valid_l = 1'b1;
      o_qp_l = r_qp;
      if (r_ne[L_RCV]) begin
        done_l = 1'b0;
        n_kind_l = K_FINFLUSH;
        o_slot_l = r_h[act];
        o_type_l = 4'(CPL_TYPE_RECV);
        pop_l = 1'b1;
        if (h_failed[L_RCV]) begin
          o_status_l = h_fst[L_RCV];
        end else begin
          o_status_l = 3'(CPL_ST_SUCCESS);
          o_bytes_l = r_fill;
          w_fill_l = 32'd0;
        end
      end else begin
        done_l = 1'b1;
        o_engine_l = 1'b1;
        o_type_l = 4'(CPL_TYPE_EVT_FIN);
        o_status_l = 3'(CPL_ST_SUCCESS);
        w_fin_rcvd_l = 1'b1;
      end
    end

    // ---------------------------------------------------- take_l the active head off
    if (pop_l) begin
      w_conn_l = 1'b1;
      w_h_l[act] = nxt_rdata;
      w_ne_l[act] = r_h[act] != r_t[act];
    end

    // ---------------------------------------------------- list append
    if (app_list_l) begin
      w_conn_l = 1'b1;
      w_seq_l = r_seq + 16'd1;
      w_ne_l[app_which_l] = 1'b1;
      w_t_l[app_which_l] = op_slot;
      if (!r_ne[app_which_l]) w_h_l[app_which_l] = op_slot;
    end

    // An operation that took requests off its lists ends with a DRAIN when
    // a failed head or a DISCONNECT list may need attention.
    if (done_l && (op_kind == K_EVT || op_kind == K_REQ) &&
        ((pop_l && r_h[act] != r_t[act] && n_failed) || ((pop_l || op_popped) && w_ne_l[L_DSC]))) begin
      done_l = 1'b0;
      n_kind_l = K_DRAIN;
    end

    stall_l = op_valid && ((want_work_l && !m_work_ready) || (o_valid_l && o_engine_l && !evt_avail));

    meta_we_l = op_valid && !stall_l && app_list_l;
    meta_wdata_l = {app_failed_l, app_fst_l, r_seq};

    w_word_l = '0;
    w_word_l[O_QP +: QW] = w_qp_l;
    w_word_l[O_FLAGS +: 3] = {w_fin_sent_l, w_disc_posted_l, w_fin_rcvd_l};
    w_word_l[O_SEQ +: 16] = w_seq_l;
    w_word_l[O_BUF +: 32] = w_buf_l;
    w_word_l[O_ACC +: 32] = w_acc_l;
    w_word_l[O_FILL +: 32] = w_fill_l;
    w_word_l[O_NE +: 4] = w_ne_l;
    for (int i = 0; i < 4; i++) begin
      w_word_l[(2 * i) * SW +: SW] = w_h_l[i];
      w_word_l[(2 * i + 1) * SW +: SW] = w_t_l[i];
    end
    w_conn_we_l = op_valid && !stall_l && w_conn_l && conn_ok;
    w_state = w_state_l;
    done = done_l;
    n_kind = n_kind_l;
    n_rem = n_rem_l;
    n_status = n_status_l;
    n_final = n_final_l;
    n_first = n_first_l;
    o_valid = o_valid_l;
    o_engine = o_engine_l;
    o_slot = o_slot_l;
    o_qp = o_qp_l;
    o_type = o_type_l;
    o_status = o_status_l;
    o_bytes = o_bytes_l;
    pop = pop_l;
    want_work = want_work_l;
    wk_type = wk_type_l;
    wk_bytes = wk_bytes_l;
    app_list = app_list_l;
    app_which = app_which_l;
    p_proto = p_proto_l;
    p_late = p_late_l;
    p_cmd_done = p_cmd_done_l;
    p_cmd_res = p_cmd_res_l;
    stall = stall_l;
    meta_we = meta_we_l;
    meta_wdata = meta_wdata_l;
    w_word = w_word_l;
    w_conn_we = w_conn_we_l;
  end

  // ------------------------------------------------------------ outputs
  logic fire;
  always_comb begin : b_outputs
    logic fire_l;
    logic s_req_ready_l;
    logic s_evt_ready_l;
    logic cmd_done_l;
    logic [3:0] cmd_result_l;
    logic m_work_valid_l;
    logic [63:0] m_work_data_l;
    logic evt_alloc_l;
    logic cpl_we_l;
    logic [SW-1:0] cpl_waddr_l;
    logic [54:0] cpl_wdata_l;
    logic app_valid_l;
    logic [QW-1:0] app_qp_l;
    logic [SW-1:0] app_slot_l;
    logic nxt_we_l;
    logic [SW-1:0] nxt_waddr_l;
    logic [SW-1:0] nxt_wdata_l;
    logic proto_err_l;
    logic [15:0] proto_err_conn_l;
    logic evt_late_l;
    logic idle_l;
    fire_l = op_valid && !stall;
    s_req_ready_l = take_req && !stall;
    s_evt_ready_l = !ev_q_valid || (take_evt && !stall);
    cmd_done_l = fire_l && p_cmd_done;
    cmd_result_l = p_cmd_res;
    m_work_valid_l = fire_l && want_work;
    m_work_data_l = {wk_bytes, 8'd0, op_conn, 4'd0, wk_type};
    evt_alloc_l = fire_l && o_valid && o_engine;
    cpl_we_l = fire_l && o_valid;
    cpl_waddr_l = o_engine ? evt_slot : o_slot;
    cpl_wdata_l = {op_conn, o_type, o_status, o_bytes};
    app_valid_l = fire_l && o_valid;
    app_qp_l = o_qp;
    app_slot_l = cpl_waddr_l;
    // link the new slot after the current tail of its list
    nxt_we_l = fire_l && app_list && r_ne[app_which];
    nxt_waddr_l = r_t[app_which];
    nxt_wdata_l = op_slot;
    proto_err_l = fire_l && p_proto;
    proto_err_conn_l = op_conn;
    evt_late_l = fire_l && p_late;
    idle_l = !cur_valid;
    fire = fire_l;
    s_req_ready = s_req_ready_l;
    s_evt_ready = s_evt_ready_l;
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
    nxt_we = nxt_we_l;
    nxt_waddr = nxt_waddr_l;
    nxt_wdata = nxt_wdata_l;
    proto_err = proto_err_l;
    proto_err_conn = proto_err_conn_l;
    evt_late = evt_late_l;
    idle = idle_l;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      cur_valid <= 1'b0;
      cur_kind <= K_REQ;
      cur_conn <= '0;
      cur_rem <= '0;
      cur_evtype <= '0;
      cur_push <= 1'b0;
      cur_first <= 1'b0;
      cur_popped <= 1'b0;
      cur_status <= '0;
      cur_final <= '0;
      cur_slot <= '0;
      cur_qp <= '0;
      ev_q_valid <= 1'b0;
      ev_q_data <= '0;
      prefer_req <= 1'b0;
    end else begin
      if (s_evt_valid && s_evt_ready) begin
        ev_q_valid <= 1'b1;
        ev_q_data <= s_evt_data;
      end else if (take_evt && !stall) begin
        ev_q_valid <= 1'b0;
      end
      if (take_req && !stall) prefer_req <= 1'b0;
      if (take_evt && !stall) prefer_req <= 1'b1;
      if (fire) begin
        cur_valid <= !done;
        cur_kind <= n_kind;
        cur_conn <= op_conn;
        cur_rem <= n_rem;
        cur_evtype <= op_evtype;
        cur_push <= op_push;
        cur_first <= n_first;
        cur_popped <= op_popped || pop;
        cur_status <= n_status;
        cur_final <= n_final;
        cur_slot <= op_slot;
        cur_qp <= op_qp;
      end
    end
  end

  logic unused_ok;
  assign unused_ok = ^{ev_q_data[31:24], ev_q_data[7:5], cmd_qp[7:4], nm[18:0]};  // reserved bits, unused fields
endmodule

`default_nettype wire
