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
  logic          take_cmd, take_req, take_evt;

  always_comb begin
    take_cmd = 1'b0;
    take_req = 1'b0;
    take_evt = 1'b0;
    if (!cur_valid) begin
      if (cmd_valid) take_cmd = 1'b1;
      else if (enable && s_req_valid && (prefer_req || !ev_q_valid)) take_req = 1'b1;
      else if (enable && ev_q_valid) take_evt = 1'b1;
    end
    op_valid = cur_valid || take_cmd || take_req || take_evt;
    op_kind = cur_kind;
    op_conn = cur_conn;
    op_rem = cur_rem;
    op_evtype = cur_evtype;
    op_push = cur_push;
    op_first = cur_first;
    op_popped = cur_popped;
    op_opcode = s_req_data[7:0];
    op_flags = s_req_data[15:8];
    op_status = cur_status;
    op_final = cur_final;
    op_slot = cur_slot;
    op_qp = cur_qp;
    if (take_cmd) begin
      op_kind = K_CMD;
      op_conn = cmd_conn;
      op_rem = cmd_arg;
      op_popped = 1'b0;
    end else if (take_req) begin
      op_kind = K_REQ;
      op_conn = s_req_data[31:16];
      op_rem = s_req_data[63:32];
      op_slot = s_req_data[SW+QW+63 -: SW];
      op_qp = s_req_data[QW+63 -: QW];
      op_popped = 1'b0;
    end else if (take_evt) begin
      op_kind = K_EVT;
      op_evtype = ev_q_data[EVT_TYPE_LSB +: 4];
      op_push = ev_q_data[EVT_FLAGS_LSB];
      op_conn = ev_q_data[EVT_CONN_LSB +: 16];
      op_rem = ev_q_data[EVT_BYTES_LSB +: 32];
      op_first = 1'b1;
      op_popped = 1'b0;
    end
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

  always_comb begin
    conn_ok = 32'(op_conn) < NUM_CONN;
    ci = conn_ok ? CW'(op_conn) : '0;
  end

  always_comb begin
    r_state = conn_ok ? t_state : ST_CLOSED;
    r_qp = t_word[O_QP +: QW];
    {r_fin_sent, r_disc_posted, r_fin_rcvd} = t_word[O_FLAGS +: 3];
    r_seq = t_word[O_SEQ +: 16];
    r_buf = t_word[O_BUF +: 32];
    r_acc = t_word[O_ACC +: 32];
    r_fill = t_word[O_FILL +: 32];
    r_ne = t_word[O_NE +: 4];
    for (int i = 0; i < 4; i++) begin
      r_h[i] = t_word[(2 * i) * SW +: SW];
      r_t[i] = t_word[(2 * i + 1) * SW +: SW];
    end
  end

  always_comb begin
    for (int i = 0; i < 4; i++) begin
      h_failed[i] = hm[i][19];
      h_fst[i] = hm[i][18:16];
      h_seq[i] = hm[i][15:0];
    end
    a_nopush = a_lenw[32];
    a_len = a_lenw[31:0];
    n_failed = nm[19];
  end

  // ------------------------------------------------------------ list choice
  // FLUSH takes the list whose head was posted first; DRAIN the first list
  // with a failed head (SEND, RECV, FORWARD, then a DISCONNECT no longer
  // behind an earlier SEND); other steps their event's list.
  logic [1:0] fl_pick;
  logic       fl_found;
  logic [1:0] dr_pick;
  logic       dr_any;
  logic       dsc_ready;     // failed DISCONNECT head no longer behind a SEND

  // a posted before b (16-bit sequence numbers, modulo arithmetic)
  function automatic logic seq_before(input logic [15:0] a, input logic [15:0] b);
    seq_before = (a - b) >= 16'h8000;
  endfunction

  always_comb begin
    fl_pick = 2'd0;
    fl_found = 1'b0;
    for (int i = 0; i < 4; i++) begin
      if (r_ne[i] && (!fl_found || seq_before(h_seq[i], h_seq[fl_pick]))) begin
        fl_pick = 2'(i);
        fl_found = 1'b1;
      end
    end
    dsc_ready = r_ne[L_DSC] && h_failed[L_DSC] &&
                (!r_ne[L_SND] || seq_before(h_seq[L_DSC], h_seq[L_SND]));
    dr_any = 1'b1;
    if (r_ne[L_SND] && h_failed[L_SND]) dr_pick = 2'(L_SND);
    else if (r_ne[L_RCV] && h_failed[L_RCV]) dr_pick = 2'(L_RCV);
    else if (r_ne[L_FWD] && h_failed[L_FWD]) dr_pick = 2'(L_FWD);
    else if (dsc_ready) dr_pick = 2'(L_DSC);
    else begin
      dr_pick = 2'(L_DSC);
      dr_any = 1'b0;
    end
  end

  logic [1:0] act;           // the list this step works on
  always_comb begin
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
    nxt_raddr = r_h[act];
  end

  // ------------------------------------------------------------ step
  logic          w_conn_we;
  logic [1:0]    w_state;
  logic [WW-1:0] w_word;
  logic [QW-1:0] w_qp;
  logic          w_fin_rcvd, w_disc_posted, w_fin_sent;
  logic [15:0]   w_seq;
  logic [31:0]   w_buf, w_acc, w_fill;
  logic [3:0]    w_ne;
  logic [SW-1:0] w_h[4];
  logic [SW-1:0] w_t[4];
  logic          w_conn;

  logic          done;          // the operation ends with this step
  logic [2:0]    n_kind;
  logic [31:0]   n_rem;
  logic [2:0]    n_status;
  logic [1:0]    n_final;
  logic          n_first;
  logic          go_flush, go_finflush;
  logic [2:0]    fl_status;
  logic [1:0]    fl_final;

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
  logic          app_failed;
  logic [2:0]    app_fst;
  logic          p_proto, p_late;
  logic          p_cmd_done;
  logic [3:0]    p_cmd_res;
  logic [31:0]   take;
  logic [31:0]   room;
  logic          stall;
  logic          req_known;
  logic          req_fail;
  logic [2:0]    req_fst;
  logic [3:0]    req_type;
  logic [1:0]    req_list;
  logic          meta_we;
  logic [19:0]   meta_wdata;
  logic          a_len0;        // active head: zero-length receive

  always_comb begin
    w_conn = 1'b0;
    w_state = r_state;
    w_qp = r_qp;
    w_fin_rcvd = r_fin_rcvd;
    w_disc_posted = r_disc_posted;
    w_fin_sent = r_fin_sent;
    w_seq = r_seq;
    w_buf = r_buf;
    w_acc = r_acc;
    w_fill = r_fill;
    w_ne = r_ne;
    for (int i = 0; i < 4; i++) begin
      w_h[i] = r_h[i];
      w_t[i] = r_t[i];
    end
    done = 1'b1;
    n_kind = op_kind;
    n_rem = op_rem;
    n_status = op_status;
    n_final = op_final;
    n_first = 1'b0;
    go_flush = 1'b0;
    go_finflush = 1'b0;
    fl_status = op_status;
    fl_final = op_final;
    o_valid = 1'b0;
    o_engine = 1'b0;
    o_slot = r_h[act];
    o_qp = r_qp;
    o_type = 4'd0;
    o_status = 3'(CPL_ST_SUCCESS);
    o_bytes = 32'd0;
    pop = 1'b0;
    want_work = 1'b0;
    wk_type = 4'd0;
    wk_bytes = op_rem;
    app_list = 1'b0;
    app_which = 2'd0;
    app_failed = 1'b0;
    app_fst = 3'd0;
    p_proto = 1'b0;
    p_late = 1'b0;
    p_cmd_done = 1'b0;
    p_cmd_res = 4'(CMD_OK);
    take = 32'd0;
    room = 32'd0;
    req_known = 1'b0;
    req_fail = 1'b0;
    req_fst = 3'd0;
    req_type = 4'd0;
    req_list = 2'd0;
    a_len0 = a_len == 32'd0;

    case (op_kind)
      // ---------------------------------------------------- CONN_CMD
      K_CMD: begin
        p_cmd_done = 1'b1;
        if (cmd_op != 4'(CMD_OP_OFFLOAD) && cmd_op != 4'(CMD_OP_TERMINATE) &&
            cmd_op != 4'(CMD_OP_RX_CONSUMED)) begin
          p_cmd_res = 4'(CMD_BAD_OP);
        end else if (!conn_ok) begin
          p_cmd_res = 4'(CMD_BAD_CONN);
        end else if (cmd_op == 4'(CMD_OP_OFFLOAD)) begin
          if (32'(cmd_qp) >= NUM_QP) p_cmd_res = 4'(CMD_BAD_QP);
          else if (r_state != ST_CLOSED) p_cmd_res = 4'(CMD_BAD_STATE);
          else begin
            w_conn = 1'b1;
            w_state = ST_OFFLOADED;
            w_qp = QW'(cmd_qp);
            {w_fin_sent, w_disc_posted, w_fin_rcvd} = 3'd0;
            w_seq = '0;
            w_buf = '0;
            w_acc = '0;
            w_fill = '0;
            w_ne = '0;
          end
        end else if (cmd_op == 4'(CMD_OP_TERMINATE)) begin
          if (r_state == ST_CLOSED) p_cmd_res = 4'(CMD_BAD_STATE);
          else begin
            p_cmd_done = 1'b0;
            go_flush = 1'b1;
            fl_status = 3'(CPL_ST_UPLOAD);
            fl_final = F_TERMINATE;
          end
        end else begin
          if (r_state != ST_OFFLOADED) p_cmd_res = 4'(CMD_BAD_STATE);
          else if (cmd_arg > r_buf) p_cmd_res = 4'(CMD_BAD_ARG);
          else begin
            w_conn = 1'b1;
            w_buf = r_buf - cmd_arg;
          end
        end
      end

      // ---------------------------------------------------- fetched request
      K_REQ: begin
        o_qp = op_qp;
        o_slot = op_slot;
        req_known = op_opcode >= 8'(OP_SEND) && op_opcode <= 8'(OP_FORWARD);
        req_type = req_known ? op_opcode[3:0] : 4'd0;
        req_list = op_opcode == 8'(OP_SEND) ? 2'(L_SND) : op_opcode == 8'(OP_RECV) ? 2'(L_RCV) :
                   op_opcode == 8'(OP_FORWARD) ? 2'(L_FWD) : 2'(L_DSC);
        o_type = req_type;
        // checks 1..4 of PRM 6, then the opcode's own state check
        req_fail = 1'b1;
        case (op_opcode)
          8'(OP_SEND), 8'(OP_FORWARD):
            if (op_flags != 8'd0 || op_rem == 32'd0) req_fst = 3'(CPL_ST_INVALID_REQUEST);
            else req_fail = 1'b0;
          8'(OP_RECV):
            if ((op_flags & ~8'(REQ_FLAG_NO_PUSH)) != 8'd0) req_fst = 3'(CPL_ST_INVALID_REQUEST);
            else req_fail = 1'b0;
          8'(OP_DISCONNECT):
            if ((op_flags & ~8'(REQ_FLAG_ABORTIVE)) != 8'd0) req_fst = 3'(CPL_ST_INVALID_REQUEST);
            else req_fail = 1'b0;
          default: req_fst = 3'(CPL_ST_INVALID_REQUEST);
        endcase
        if (!req_fail) begin
          req_fail = 1'b1;
          if (r_state == ST_CLOSED) req_fst = 3'(CPL_ST_INVALID_CONN);
          else if (r_qp != op_qp) req_fst = 3'(CPL_ST_WRONG_QP);
          else if (r_state == ST_ABORTED) req_fst = 3'(CPL_ST_ABORTED);
          else if (op_opcode == 8'(OP_SEND) && r_disc_posted) req_fst = 3'(CPL_ST_INVALID_STATE);
          else if (op_opcode == 8'(OP_RECV) && r_fin_rcvd && r_buf == 32'd0)
            req_fst = 3'(CPL_ST_INVALID_STATE);
          else if (op_opcode == 8'(OP_DISCONNECT) && !op_flags[0] && r_disc_posted)
            req_fst = 3'(CPL_ST_INVALID_STATE);
          else req_fail = 1'b0;
        end
        if (req_fail) begin
          // In line behind earlier requests of its opcode, if any wait.
          if (req_known && r_state == ST_OFFLOADED && r_qp == op_qp &&
              (r_ne[req_list] || (req_list == 2'(L_DSC) && r_ne[L_SND]))) begin
            app_list = 1'b1;
            app_which = req_list;
            app_failed = 1'b1;
            app_fst = req_fst;
          end else begin
            o_valid = 1'b1;
            o_status = req_fst;
          end
        end else begin
          case (op_opcode)
            8'(OP_SEND): begin
              app_list = 1'b1;
              app_which = 2'(L_SND);
              want_work = 1'b1;
              wk_type = 4'(WORK_TX_DATA);
            end
            8'(OP_RECV): begin
              want_work = 1'b1;
              wk_type = 4'(WORK_RX_POST);
              if (r_buf != 32'd0) begin
                // Buffered data (older than anything to come) fills it at once.
                w_conn = 1'b1;
                if (op_rem == 32'd0) begin
                  o_valid = 1'b1;
                end else if (op_rem <= r_buf) begin
                  o_valid = 1'b1;
                  o_bytes = op_rem;
                  w_buf = r_buf - op_rem;
                end else begin
                  w_buf = 32'd0;
                  if (op_flags[1] && !r_fin_rcvd) begin
                    app_list = 1'b1;
                    app_which = 2'(L_RCV);
                    w_fill = r_buf;
                  end else begin
                    o_valid = 1'b1;
                    o_bytes = r_buf;
                  end
                end
              end else begin
                app_list = 1'b1;
                app_which = 2'(L_RCV);
              end
            end
            8'(OP_DISCONNECT): begin
              if (op_flags[0]) begin
                go_flush = 1'b1;
                fl_status = 3'(CPL_ST_ABORTED);
                fl_final = F_ABORT_DISC;
              end else begin
                w_conn = 1'b1;
                w_disc_posted = 1'b1;
                app_list = 1'b1;
                app_which = 2'(L_DSC);
                if (!r_ne[L_SND] && !r_ne[L_DSC]) begin
                  want_work = 1'b1;
                  wk_type = 4'(WORK_TX_FIN);
                  w_fin_sent = 1'b1;
                end
              end
            end
            default: begin  // FORWARD
              app_list = 1'b1;
              app_which = 2'(L_FWD);
              want_work = 1'b1;
              wk_type = 4'(WORK_FWD);
            end
          endcase
        end
      end

      // ---------------------------------------------------- event
      K_EVT: begin
        o_qp = r_qp;
        if (!conn_ok) begin
          p_proto = 1'b1;
        end else if (r_state != ST_OFFLOADED) begin
          p_late = 1'b1;
        end else begin
          case (op_evtype)
            4'(EVT_ACK): begin
              o_type = 4'(CPL_TYPE_SEND);
              if (r_ne[L_SND] && h_failed[L_SND]) begin
                o_valid = 1'b1;
                o_status = h_fst[L_SND];
                pop = 1'b1;
                done = 1'b0;
              end else if (dsc_ready) begin
                // A failed DISCONNECT no longer behind an earlier SEND
                // completes before the walk goes on.
                o_valid = 1'b1;
                o_type = 4'(CPL_TYPE_DISCONNECT);
                o_status = h_fst[L_DSC];
                pop = 1'b1;
                done = 1'b0;
              end else if (op_rem == 32'd0) begin
                done = 1'b1;
              end else if (!r_ne[L_SND]) begin
                p_proto = 1'b1;        // beyond the SEND bytes outstanding; dropped
              end else begin
                w_conn = 1'b1;
                room = a_len - r_acc;
                take = op_rem < room ? op_rem : room;
                n_rem = op_rem - take;
                if (take == room) begin
                  o_valid = 1'b1;
                  o_bytes = a_len;
                  w_acc = 32'd0;
                  pop = 1'b1;
                  done = n_rem == 32'd0;
                end else begin
                  w_acc = r_acc + take;
                end
              end
            end
            4'(EVT_DATA): begin
              o_type = 4'(CPL_TYPE_RECV);
              n_first = op_first;
              if (r_fin_rcvd) begin
                p_proto = 1'b1;        // data after FIN; dropped
              end else if (r_ne[L_RCV] && h_failed[L_RCV]) begin
                o_valid = 1'b1;
                o_status = h_fst[L_RCV];
                pop = 1'b1;
                done = 1'b0;
              end else if (r_ne[L_RCV] && a_len0 && (op_first || op_rem != 32'd0)) begin
                // A zero-length receive completes when a DATA event reaches
                // it, before data is placed.
                o_valid = 1'b1;
                pop = 1'b1;
                done = 1'b0;
              end else if (r_ne[L_RCV] && op_rem != 32'd0) begin
                w_conn = 1'b1;
                n_first = 1'b0;
                room = a_len - r_fill;
                take = op_rem < room ? op_rem : room;
                n_rem = op_rem - take;
                if (take == room) begin
                  o_valid = 1'b1;
                  o_bytes = a_len;
                  w_fill = 32'd0;
                  pop = 1'b1;
                  done = n_rem == 32'd0;
                end else if (op_push && !a_nopush) begin
                  o_valid = 1'b1;
                  o_bytes = r_fill + take;
                  w_fill = 32'd0;
                  pop = 1'b1;
                end else begin
                  w_fill = r_fill + take;
                end
              end else if (r_ne[L_RCV]) begin
                // no bytes left: PUSH completes a partly filled head
                if (op_push && !a_nopush && r_fill != 32'd0) begin
                  w_conn = 1'b1;
                  o_valid = 1'b1;
                  o_bytes = r_fill;
                  w_fill = 32'd0;
                  pop = 1'b1;
                end
              end else if (op_rem != 32'd0) begin
                // no receive posted: buffer and indicate
                w_conn = 1'b1;
                w_buf = r_buf + op_rem;
                o_valid = 1'b1;
                o_engine = 1'b1;
                o_type = 4'(CPL_TYPE_RX_INDICATE);
                o_bytes = op_rem;
              end
            end
            4'(EVT_FIN_ACK): begin
              if (!r_fin_sent) begin
                p_proto = 1'b1;        // no FIN sent
              end else begin
                w_conn = 1'b1;
                o_valid = 1'b1;
                o_type = 4'(CPL_TYPE_DISCONNECT);
                o_bytes = a_len;
                pop = 1'b1;
                w_fin_sent = 1'b0;
              end
            end
            4'(EVT_RST): begin
              go_flush = 1'b1;
              fl_status = 3'(CPL_ST_ABORTED);
              fl_final = F_EVT_RST;
            end
            4'(EVT_FIN): begin
              if (r_fin_rcvd) p_proto = 1'b1;   // second FIN
              else go_finflush = 1'b1;
            end
            4'(EVT_FWD_DONE): begin
              if (!r_ne[L_FWD]) begin
                p_proto = 1'b1;        // no forward outstanding
              end else begin
                o_valid = 1'b1;
                o_type = 4'(CPL_TYPE_FORWARD);
                o_bytes = a_len;
                pop = 1'b1;
              end
            end
            default: p_proto = 1'b1;    // unknown event type
          endcase
        end
      end

      K_FLUSH: go_flush = 1'b1;
      K_FINFLUSH: go_finflush = 1'b1;

      // ---------------------------------------------------- failed heads, TX_FIN
      default: begin
        o_qp = r_qp;
        if (dr_any) begin
          done = 1'b0;
          o_valid = 1'b1;
          o_status = h_fst[act];
          o_type = act == 2'(L_SND) ? 4'(CPL_TYPE_SEND) : act == 2'(L_RCV) ? 4'(CPL_TYPE_RECV) :
                   act == 2'(L_FWD) ? 4'(CPL_TYPE_FORWARD) : 4'(CPL_TYPE_DISCONNECT);
          pop = 1'b1;
        end else if (r_ne[L_DSC] && !h_failed[L_DSC] && !r_fin_sent && !r_ne[L_SND]) begin
          w_conn = 1'b1;
          want_work = 1'b1;
          wk_type = 4'(WORK_TX_FIN);
          wk_bytes = a_len;
          w_fin_sent = 1'b1;
        end
      end
    endcase

    // ---------------------------------------------------- flush one request
    if (go_flush) begin
      w_conn = 1'b1;
      done = 1'b0;
      n_kind = K_FLUSH;
      n_status = fl_status;
      n_final = fl_final;
      o_qp = r_qp;
      if (r_ne != 4'd0) begin
        o_valid = 1'b1;
        o_slot = r_h[act];
        pop = 1'b1;
        o_type = act == 2'(L_SND) ? 4'(CPL_TYPE_SEND) : act == 2'(L_RCV) ? 4'(CPL_TYPE_RECV) :
                 act == 2'(L_FWD) ? 4'(CPL_TYPE_FORWARD) : 4'(CPL_TYPE_DISCONNECT);
        if (h_failed[act]) begin
          o_status = h_fst[act];
        end else begin
          o_status = fl_status;
          o_bytes = act == 2'(L_SND) ? r_acc : act == 2'(L_RCV) ? r_fill : 32'd0;
          if (act == 2'(L_SND)) w_acc = 32'd0;
          if (act == 2'(L_RCV)) w_fill = 32'd0;
        end
      end else begin
        done = 1'b1;
        o_valid = 1'b1;
        o_status = 3'(CPL_ST_SUCCESS);
        w_buf = 32'd0;
        w_acc = 32'd0;
        w_fill = 32'd0;
        w_fin_sent = 1'b0;
        case (fl_final)
          F_ABORT_DISC: begin
            o_slot = op_slot;
            o_type = 4'(CPL_TYPE_DISCONNECT);
            want_work = 1'b1;
            wk_type = 4'(WORK_TX_RST);
            wk_bytes = 32'd0;
            w_state = ST_ABORTED;
          end
          F_EVT_RST: begin
            o_engine = 1'b1;
            o_type = 4'(CPL_TYPE_EVT_RST);
            w_state = ST_ABORTED;
          end
          default: begin
            o_engine = 1'b1;
            o_type = 4'(CPL_TYPE_TERMINATE_DONE);
            w_state = ST_CLOSED;
            p_cmd_done = 1'b1;
            p_cmd_res = 4'(CMD_OK);
          end
        endcase
      end
    end

    // ---------------------------------------------------- FIN: end of stream
    if (go_finflush) begin
      w_conn = 1'b1;
      o_valid = 1'b1;
      o_qp = r_qp;
      if (r_ne[L_RCV]) begin
        done = 1'b0;
        n_kind = K_FINFLUSH;
        o_slot = r_h[act];
        o_type = 4'(CPL_TYPE_RECV);
        pop = 1'b1;
        if (h_failed[L_RCV]) begin
          o_status = h_fst[L_RCV];
        end else begin
          o_status = 3'(CPL_ST_SUCCESS);
          o_bytes = r_fill;
          w_fill = 32'd0;
        end
      end else begin
        done = 1'b1;
        o_engine = 1'b1;
        o_type = 4'(CPL_TYPE_EVT_FIN);
        o_status = 3'(CPL_ST_SUCCESS);
        w_fin_rcvd = 1'b1;
      end
    end

    // ---------------------------------------------------- take the active head off
    if (pop) begin
      w_conn = 1'b1;
      w_h[act] = nxt_rdata;
      w_ne[act] = r_h[act] != r_t[act];
    end

    // ---------------------------------------------------- list append
    if (app_list) begin
      w_conn = 1'b1;
      w_seq = r_seq + 16'd1;
      w_ne[app_which] = 1'b1;
      w_t[app_which] = op_slot;
      if (!r_ne[app_which]) w_h[app_which] = op_slot;
    end

    // An operation that took requests off its lists ends with a DRAIN when
    // a failed head or a DISCONNECT list may need attention.
    if (done && (op_kind == K_EVT || op_kind == K_REQ) &&
        ((pop && r_h[act] != r_t[act] && n_failed) || ((pop || op_popped) && w_ne[L_DSC]))) begin
      done = 1'b0;
      n_kind = K_DRAIN;
    end

    stall = op_valid && ((want_work && !m_work_ready) || (o_valid && o_engine && !evt_avail));

    meta_we = op_valid && !stall && app_list;
    meta_wdata = {app_failed, app_fst, r_seq};

    w_word = '0;
    w_word[O_QP +: QW] = w_qp;
    w_word[O_FLAGS +: 3] = {w_fin_sent, w_disc_posted, w_fin_rcvd};
    w_word[O_SEQ +: 16] = w_seq;
    w_word[O_BUF +: 32] = w_buf;
    w_word[O_ACC +: 32] = w_acc;
    w_word[O_FILL +: 32] = w_fill;
    w_word[O_NE +: 4] = w_ne;
    for (int i = 0; i < 4; i++) begin
      w_word[(2 * i) * SW +: SW] = w_h[i];
      w_word[(2 * i + 1) * SW +: SW] = w_t[i];
    end
    w_conn_we = op_valid && !stall && w_conn && conn_ok;
  end

  // ------------------------------------------------------------ outputs
  logic fire;
  always_comb begin
    fire = op_valid && !stall;
    s_req_ready = take_req && !stall;
    s_evt_ready = !ev_q_valid || (take_evt && !stall);
    cmd_done = fire && p_cmd_done;
    cmd_result = p_cmd_res;
    m_work_valid = fire && want_work;
    m_work_data = {wk_bytes, 8'd0, op_conn, 4'd0, wk_type};
    evt_alloc = fire && o_valid && o_engine;
    cpl_we = fire && o_valid;
    cpl_waddr = o_engine ? evt_slot : o_slot;
    cpl_wdata = {op_conn, o_type, o_status, o_bytes};
    app_valid = fire && o_valid;
    app_qp = o_qp;
    app_slot = cpl_waddr;
    // link the new slot after the current tail of its list
    nxt_we = fire && app_list && r_ne[app_which];
    nxt_waddr = r_t[app_which];
    nxt_wdata = op_slot;
    proto_err = fire && p_proto;
    proto_err_conn = op_conn;
    evt_late = fire && p_late;
    idle = !cur_valid;
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
