// Matcher: the connection table and every rule of PRM section 6. One step per
// cycle on one operation: a connection command, a fetched request or an
// event. A step reads the connection's state and the head request of one of
// its lists, and may write the connection state back, finish one request
// (descriptor fields into the request table, slot appended to its queue
// pair's completion list), emit one work word, link one slot into a list.
// Operations that finish several requests (cumulative ACK, DATA filling
// several receives, FIN, RST, abortive DISCONNECT, TERMINATE) take one step
// per request and hold the inputs meanwhile.
// Interfaces: cmd_* from the CSR block (done pulse with the result); s_req_*
// fetched requests; s_evt_* events; m_work_* to the work FIFO; request table
// ports; engine slots (evt_*); app_* completion append to the CQ writer.
// Per connection: state, queue pair, FIN received, graceful DISCONNECT posted
// (its slot and length, and whether TX_FIN left), NIC-buffered receive bytes,
// bytes acknowledged of the head SEND, bytes placed in the head RECV, and
// head/tail slots of the SEND, RECV and FORWARD lists (linked through nxt).
// Invariants: every request reaches exactly one completion; completions of
// one list leave in list (posting) order; buffered bytes > 0 implies the RECV
// list is empty.
`default_nettype none

module cpl_matcher #(
    parameter int NUM_CONN = 64,
    parameter int NUM_QP = 4,
    parameter int QW = 2,
    parameter int SW = 9
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

    output logic           len_we,
    output logic [SW-1:0]  len_waddr,
    output logic [32:0]    len_wdata,
    output logic [SW-1:0]  len_raddr,
    input  wire  [32:0]    len_rdata,
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
  `CPL_CHECK(NUM_CONN >= 1 && NUM_CONN <= 4096 && NUM_QP >= 1 && NUM_QP <= 16 && SW >= 4,
             g_param_check)

  localparam logic [1:0] ST_CLOSED = 2'd0;
  localparam logic [1:0] ST_OFFLOADED = 2'd1;
  localparam logic [1:0] ST_ABORTED = 2'd2;

  localparam logic [2:0] K_REQ = 3'd0;
  localparam logic [2:0] K_EVT = 3'd1;
  localparam logic [2:0] K_CMD = 3'd2;
  localparam logic [2:0] K_FLUSH = 3'd3;
  localparam logic [2:0] K_FINFLUSH = 3'd4;

  localparam logic [1:0] F_ABORT_DISC = 2'd0;   // then TX_RST, DISCONNECT SUCCESS
  localparam logic [1:0] F_EVT_RST = 2'd1;      // then EVT_RST
  localparam logic [1:0] F_TERMINATE = 2'd2;    // then TERMINATE_DONE

  // ------------------------------------------------------------ connection table
  logic [1:0]    c_state[NUM_CONN];        // reset to CLOSED
  logic [QW-1:0] c_qp[NUM_CONN];
  logic [3:0]    c_flags[NUM_CONN];        // {disc_valid, fin_sent, disc_posted, fin_rcvd}
  logic [SW-1:0] c_disc_slot[NUM_CONN];
  logic [31:0]   c_disc_len[NUM_CONN];
  logic [31:0]   c_buf[NUM_CONN];
  logic [31:0]   c_acc[NUM_CONN];
  logic [31:0]   c_fill[NUM_CONN];
  logic [2:0]    c_ne[NUM_CONN];           // {fwd, rcv, snd} lists non-empty
  logic [SW-1:0] c_snd_h[NUM_CONN], c_snd_t[NUM_CONN];
  logic [SW-1:0] c_rcv_h[NUM_CONN], c_rcv_t[NUM_CONN];
  logic [SW-1:0] c_fwd_h[NUM_CONN], c_fwd_t[NUM_CONN];

  // ------------------------------------------------------------ current operation
  logic          cur_valid;
  logic [2:0]    cur_kind;
  logic [15:0]   cur_conn;
  logic [31:0]   cur_rem;
  logic [3:0]    cur_evtype;
  logic          cur_push;
  logic [7:0]    cur_status;
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
  logic [31:0]   op_rem;        // event bytes / request length
  logic [3:0]    op_evtype;
  logic          op_push;
  logic [7:0]    op_opcode;
  logic [7:0]    op_flags;
  logic [7:0]    op_status;
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
    end else if (take_req) begin
      op_kind = K_REQ;
      op_conn = s_req_data[31:16];
      op_rem = s_req_data[63:32];
      op_slot = s_req_data[SW+QW+63 -: SW];
      op_qp = s_req_data[QW+63 -: QW];
    end else if (take_evt) begin
      op_kind = K_EVT;
      op_evtype = ev_q_data[EVT_TYPE_LSB +: 4];
      op_push = ev_q_data[EVT_FLAGS_LSB];
      op_conn = ev_q_data[EVT_CONN_LSB +: 16];
      op_rem = ev_q_data[EVT_BYTES_LSB +: 32];
    end
  end

  // ------------------------------------------------------------ state read
  logic          conn_ok;
  logic [CW-1:0] ci;
  logic [1:0]    r_state;
  logic [QW-1:0] r_qp;
  logic          r_fin_rcvd, r_disc_posted, r_fin_sent, r_disc_valid;
  logic [SW-1:0] r_disc_slot;
  logic [31:0]   r_disc_len, r_buf, r_acc, r_fill;
  logic          r_snd_ne, r_rcv_ne, r_fwd_ne;
  logic [SW-1:0] r_snd_h, r_snd_t, r_rcv_h, r_rcv_t, r_fwd_h, r_fwd_t;
  logic [31:0]   h_len;        // length of the head request read this step
  logic          h_nopush;
  logic [SW-1:0] h_next;

  always_comb begin
    conn_ok = 32'(op_conn) < NUM_CONN;
    ci = conn_ok ? CW'(op_conn) : '0;
    r_state = conn_ok ? c_state[ci] : ST_CLOSED;
    r_qp = c_qp[ci];
    {r_disc_valid, r_fin_sent, r_disc_posted, r_fin_rcvd} = c_flags[ci];
    r_disc_slot = c_disc_slot[ci];
    r_disc_len = c_disc_len[ci];
    r_buf = c_buf[ci];
    r_acc = c_acc[ci];
    r_fill = c_fill[ci];
    {r_fwd_ne, r_rcv_ne, r_snd_ne} = c_ne[ci];
    r_snd_h = c_snd_h[ci];
    r_snd_t = c_snd_t[ci];
    r_rcv_h = c_rcv_h[ci];
    r_rcv_t = c_rcv_t[ci];
    r_fwd_h = c_fwd_h[ci];
    r_fwd_t = c_fwd_t[ci];
    // Which list head this step looks at.
    if (op_kind == K_EVT && op_evtype == 4'(EVT_ACK)) len_raddr = r_snd_h;
    else if ((op_kind == K_EVT && (op_evtype == 4'(EVT_DATA) || op_evtype == 4'(EVT_FIN))) ||
             op_kind == K_FINFLUSH) len_raddr = r_rcv_h;
    else if (op_kind == K_EVT && op_evtype == 4'(EVT_FWD_DONE)) len_raddr = r_fwd_h;
    else len_raddr = r_snd_ne ? r_snd_h : r_rcv_ne ? r_rcv_h : r_fwd_h;
    nxt_raddr = len_raddr;
    h_len = len_rdata[31:0];
    h_nopush = len_rdata[32];
    h_next = nxt_rdata;
  end

  // ------------------------------------------------------------ step
  // next connection state
  logic          w_conn;
  logic [1:0]    w_state;
  logic [QW-1:0] w_qp;
  logic          w_fin_rcvd, w_disc_posted, w_fin_sent, w_disc_valid;
  logic [SW-1:0] w_disc_slot;
  logic [31:0]   w_disc_len, w_buf, w_acc, w_fill;
  logic          w_snd_ne, w_rcv_ne, w_fwd_ne;
  logic [SW-1:0] w_snd_h, w_snd_t, w_rcv_h, w_rcv_t, w_fwd_h, w_fwd_t;

  logic          done;          // the operation ends with this step
  logic [2:0]    n_kind;
  logic [31:0]   n_rem;
  logic [7:0]    n_status;
  logic [1:0]    n_final;
  logic          go_flush, go_finflush;
  logic [7:0]    fl_status;
  logic [1:0]    fl_final;

  logic          o_valid;       // finish a request / write an engine descriptor
  logic          o_engine;      // ... into a fresh engine slot
  logic [SW-1:0] o_slot;
  logic [QW-1:0] o_qp;
  logic [3:0]    o_type;
  logic [7:0]    o_status;
  logic [31:0]   o_bytes;
  logic          want_work;
  logic [3:0]    wk_type;
  logic [31:0]   wk_bytes;
  logic          app_list;      // link op_slot at the tail of a list
  logic [1:0]    app_which;     // 0 snd, 1 rcv, 2 fwd
  logic          p_proto, p_late;
  logic          p_cmd_done;
  logic [3:0]    p_cmd_res;
  logic [31:0]   take;
  logic [31:0]   room;
  logic          stall;
  logic          req_bad;
  logic [3:0]    req_type;

  always_comb begin
    w_conn = 1'b0;
    w_state = r_state;
    w_qp = r_qp;
    w_fin_rcvd = r_fin_rcvd;
    w_disc_posted = r_disc_posted;
    w_fin_sent = r_fin_sent;
    w_disc_valid = r_disc_valid;
    w_disc_slot = r_disc_slot;
    w_disc_len = r_disc_len;
    w_buf = r_buf;
    w_acc = r_acc;
    w_fill = r_fill;
    w_snd_ne = r_snd_ne;
    w_rcv_ne = r_rcv_ne;
    w_fwd_ne = r_fwd_ne;
    w_snd_h = r_snd_h;
    w_snd_t = r_snd_t;
    w_rcv_h = r_rcv_h;
    w_rcv_t = r_rcv_t;
    w_fwd_h = r_fwd_h;
    w_fwd_t = r_fwd_t;
    done = 1'b1;
    n_kind = op_kind;
    n_rem = op_rem;
    n_status = op_status;
    n_final = op_final;
    go_flush = 1'b0;
    go_finflush = 1'b0;
    fl_status = op_status;
    fl_final = op_final;
    o_valid = 1'b0;
    o_engine = 1'b0;
    o_slot = op_slot;
    o_qp = r_qp;
    o_type = 4'd0;
    o_status = 8'(CPL_ST_SUCCESS);
    o_bytes = 32'd0;
    want_work = 1'b0;
    wk_type = 4'd0;
    wk_bytes = op_rem;
    app_list = 1'b0;
    app_which = 2'd0;
    p_proto = 1'b0;
    p_late = 1'b0;
    p_cmd_done = 1'b0;
    p_cmd_res = 4'(CMD_OK);
    take = 32'd0;
    room = 32'd0;
    req_bad = 1'b0;
    req_type = 4'd0;

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
            {w_disc_valid, w_fin_sent, w_disc_posted, w_fin_rcvd} = 4'd0;
            w_buf = '0;
            w_acc = '0;
            w_fill = '0;
            {w_fwd_ne, w_rcv_ne, w_snd_ne} = 3'd0;
          end
        end else if (cmd_op == 4'(CMD_OP_TERMINATE)) begin
          if (r_state == ST_CLOSED) p_cmd_res = 4'(CMD_BAD_STATE);
          else begin
            p_cmd_done = 1'b0;
            go_flush = 1'b1;
            fl_status = 8'(CPL_ST_UPLOAD);
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
        req_type = (op_opcode >= 8'(OP_SEND) && op_opcode <= 8'(OP_FORWARD)) ? op_opcode[3:0] : 4'd0;
        o_type = req_type;
        case (op_opcode)
          8'(OP_SEND), 8'(OP_FORWARD): req_bad = op_flags != 8'd0 || op_rem == 32'd0;
          8'(OP_RECV): req_bad = (op_flags & ~8'(REQ_FLAG_NO_PUSH)) != 8'd0;
          8'(OP_DISCONNECT): req_bad = (op_flags & ~8'(REQ_FLAG_ABORTIVE)) != 8'd0;
          default: req_bad = 1'b1;
        endcase
        if (req_bad) begin
          o_valid = 1'b1;
          o_status = 8'(CPL_ST_INVALID_REQUEST);
        end else if (r_state == ST_CLOSED) begin
          o_valid = 1'b1;
          o_status = 8'(CPL_ST_INVALID_CONN);
        end else if (r_qp != op_qp) begin
          o_valid = 1'b1;
          o_status = 8'(CPL_ST_WRONG_QP);
        end else if (r_state == ST_ABORTED) begin
          o_valid = 1'b1;
          o_status = 8'(CPL_ST_ABORTED);
        end else begin
          case (op_opcode)
            8'(OP_SEND): begin
              if (r_disc_posted) begin
                o_valid = 1'b1;
                o_status = 8'(CPL_ST_INVALID_STATE);
              end else begin
                app_list = 1'b1;
                app_which = 2'd0;
                want_work = 1'b1;
                wk_type = 4'(WORK_TX_DATA);
              end
            end
            8'(OP_RECV): begin
              if (r_buf != 32'd0) begin
                // Buffered data fills the new receive at once, oldest first.
                want_work = 1'b1;
                wk_type = 4'(WORK_RX_POST);
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
                    app_which = 2'd1;
                    w_fill = r_buf;
                  end else begin
                    o_valid = 1'b1;
                    o_bytes = r_buf;
                  end
                end
              end else if (r_fin_rcvd) begin
                o_valid = 1'b1;
                o_status = 8'(CPL_ST_INVALID_STATE);
              end else begin
                app_list = 1'b1;
                app_which = 2'd1;
                want_work = 1'b1;
                wk_type = 4'(WORK_RX_POST);
              end
            end
            8'(OP_DISCONNECT): begin
              if (op_flags[0]) begin
                go_flush = 1'b1;
                fl_status = 8'(CPL_ST_ABORTED);
                fl_final = F_ABORT_DISC;
              end else if (r_disc_posted) begin
                o_valid = 1'b1;
                o_status = 8'(CPL_ST_INVALID_STATE);
              end else begin
                w_conn = 1'b1;
                w_disc_posted = 1'b1;
                w_disc_valid = 1'b1;
                w_disc_slot = op_slot;
                w_disc_len = op_rem;
                if (!r_snd_ne) begin
                  want_work = 1'b1;
                  wk_type = 4'(WORK_TX_FIN);
                  w_fin_sent = 1'b1;
                end
              end
            end
            default: begin  // FORWARD
              app_list = 1'b1;
              app_which = 2'd2;
              want_work = 1'b1;
              wk_type = 4'(WORK_FWD);
            end
          endcase
        end
      end

      // ---------------------------------------------------- event
      K_EVT: begin
        if (op_evtype < 4'(EVT_ACK) || op_evtype > 4'(EVT_FWD_DONE) || !conn_ok) begin
          p_proto = 1'b1;
        end else if (r_state != ST_OFFLOADED) begin
          p_late = 1'b1;
        end else begin
          case (op_evtype)
            4'(EVT_ACK): begin
              if (op_rem == 32'd0) begin
                done = 1'b1;
              end else if (!r_snd_ne) begin
                p_proto = 1'b1;        // beyond the SEND bytes outstanding
              end else begin
                w_conn = 1'b1;
                room = h_len - r_acc;
                take = op_rem < room ? op_rem : room;
                n_rem = op_rem - take;
                if (take == room) begin
                  o_valid = 1'b1;
                  o_slot = r_snd_h;
                  o_type = 4'(CPL_TYPE_SEND);
                  o_bytes = h_len;
                  w_acc = 32'd0;
                  w_snd_ne = r_snd_h != r_snd_t;
                  w_snd_h = h_next;
                  if (r_snd_h == r_snd_t && r_disc_valid && !r_fin_sent) begin
                    want_work = 1'b1;
                    wk_type = 4'(WORK_TX_FIN);
                    wk_bytes = r_disc_len;
                    w_fin_sent = 1'b1;
                  end
                  done = n_rem == 32'd0;
                end else begin
                  w_acc = r_acc + take;
                end
              end
            end
            4'(EVT_DATA): begin
              if (r_fin_rcvd) begin
                p_proto = 1'b1;        // data after FIN
              end else if (r_rcv_ne) begin
                w_conn = 1'b1;
                room = h_len - r_fill;
                take = op_rem < room ? op_rem : room;
                n_rem = op_rem - take;
                if (h_len == 32'd0) begin
                  // zero-length receive: completes before any data is placed
                  o_valid = 1'b1;
                  o_slot = r_rcv_h;
                  o_type = 4'(CPL_TYPE_RECV);
                  w_rcv_ne = r_rcv_h != r_rcv_t;
                  w_rcv_h = h_next;
                  done = 1'b0;
                end else if (take == room) begin
                  o_valid = 1'b1;
                  o_slot = r_rcv_h;
                  o_type = 4'(CPL_TYPE_RECV);
                  o_bytes = h_len;
                  w_fill = 32'd0;
                  w_rcv_ne = r_rcv_h != r_rcv_t;
                  w_rcv_h = h_next;
                  done = n_rem == 32'd0 && r_rcv_h == r_rcv_t;
                end else if (op_push && !h_nopush && r_fill + take != 32'd0) begin
                  o_valid = 1'b1;
                  o_slot = r_rcv_h;
                  o_type = 4'(CPL_TYPE_RECV);
                  o_bytes = r_fill + take;
                  w_fill = 32'd0;
                  w_rcv_ne = r_rcv_h != r_rcv_t;
                  w_rcv_h = h_next;
                end else begin
                  w_fill = r_fill + take;
                end
              end else if (op_rem != 32'd0) begin
                // No receive posted: buffer and indicate.
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
                p_proto = 1'b1;
              end else begin
                w_conn = 1'b1;
                o_valid = 1'b1;
                o_slot = r_disc_slot;
                o_type = 4'(CPL_TYPE_DISCONNECT);
                o_bytes = r_disc_len;
                w_disc_valid = 1'b0;
                w_fin_sent = 1'b0;
              end
            end
            4'(EVT_RST): begin
              go_flush = 1'b1;
              fl_status = 8'(CPL_ST_ABORTED);
              fl_final = F_EVT_RST;
            end
            4'(EVT_FIN): begin
              if (r_fin_rcvd) p_proto = 1'b1;
              else go_finflush = 1'b1;
            end
            default: begin  // FWD_DONE
              if (!r_fwd_ne) begin
                p_proto = 1'b1;
              end else begin
                w_conn = 1'b1;
                o_valid = 1'b1;
                o_slot = r_fwd_h;
                o_type = 4'(CPL_TYPE_FORWARD);
                o_bytes = h_len;
                w_fwd_ne = r_fwd_h != r_fwd_t;
                w_fwd_h = h_next;
              end
            end
          endcase
        end
      end

      K_FLUSH: go_flush = 1'b1;
      default: go_finflush = 1'b1;
    endcase

    // ---------------------------------------------------- flush one request
    if (go_flush) begin
      w_conn = 1'b1;
      done = 1'b0;
      n_kind = K_FLUSH;
      n_status = fl_status;
      n_final = fl_final;
      o_valid = 1'b1;
      o_qp = r_qp;
      o_status = fl_status;
      o_bytes = 32'd0;
      if (r_snd_ne) begin
        o_slot = r_snd_h;
        o_type = 4'(CPL_TYPE_SEND);
        o_bytes = r_acc;
        w_acc = 32'd0;
        w_snd_ne = r_snd_h != r_snd_t;
        w_snd_h = h_next;
      end else if (r_disc_valid) begin
        o_slot = r_disc_slot;
        o_type = 4'(CPL_TYPE_DISCONNECT);
        w_disc_valid = 1'b0;
        w_fin_sent = 1'b0;
      end else if (r_rcv_ne) begin
        o_slot = r_rcv_h;
        o_type = 4'(CPL_TYPE_RECV);
        o_bytes = r_fill;
        w_fill = 32'd0;
        w_rcv_ne = r_rcv_h != r_rcv_t;
        w_rcv_h = h_next;
      end else if (r_fwd_ne) begin
        o_slot = r_fwd_h;
        o_type = 4'(CPL_TYPE_FORWARD);
        w_fwd_ne = r_fwd_h != r_fwd_t;
        w_fwd_h = h_next;
      end else begin
        done = 1'b1;
        o_status = 8'(CPL_ST_SUCCESS);
        w_buf = 32'd0;
        w_acc = 32'd0;
        w_fill = 32'd0;
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
      o_status = 8'(CPL_ST_SUCCESS);
      if (r_rcv_ne) begin
        done = 1'b0;
        n_kind = K_FINFLUSH;
        o_slot = r_rcv_h;
        o_type = 4'(CPL_TYPE_RECV);
        o_bytes = r_fill;
        w_fill = 32'd0;
        w_rcv_ne = r_rcv_h != r_rcv_t;
        w_rcv_h = h_next;
      end else begin
        done = 1'b1;
        o_engine = 1'b1;
        o_type = 4'(CPL_TYPE_EVT_FIN);
        w_fin_rcvd = 1'b1;
      end
    end

    // ---------------------------------------------------- list append
    if (app_list) begin
      w_conn = 1'b1;
      case (app_which)
        2'd0: begin
          w_snd_ne = 1'b1;
          w_snd_t = op_slot;
          if (!r_snd_ne) w_snd_h = op_slot;
        end
        2'd1: begin
          w_rcv_ne = 1'b1;
          w_rcv_t = op_slot;
          if (!r_rcv_ne) w_rcv_h = op_slot;
        end
        default: begin
          w_fwd_ne = 1'b1;
          w_fwd_t = op_slot;
          if (!r_fwd_ne) w_fwd_h = op_slot;
        end
      endcase
    end

    stall = op_valid && ((want_work && !m_work_ready) || (o_valid && o_engine && !evt_avail));
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
    cpl_wdata = {op_conn, o_type, o_status[2:0], o_bytes};
    app_valid = fire && o_valid;
    app_qp = o_qp;
    app_slot = cpl_waddr;
    len_we = fire && app_list;
    len_waddr = op_slot;
    len_wdata = {op_flags[1], op_rem};
    // link the new slot after the current tail of its list
    nxt_we = fire && app_list && (app_which == 2'd0 ? r_snd_ne : app_which == 2'd1 ? r_rcv_ne : r_fwd_ne);
    nxt_waddr = app_which == 2'd0 ? r_snd_t : app_which == 2'd1 ? r_rcv_t : r_fwd_t;
    nxt_wdata = op_slot;
    proto_err = fire && p_proto;
    proto_err_conn = op_conn;
    evt_late = fire && p_late;
    idle = !cur_valid;
  end

  // ------------------------------------------------------------ state update
  always_ff @(posedge clk) begin
    if (fire && w_conn && conn_ok) begin
      c_qp[ci] <= w_qp;
      c_flags[ci] <= {w_disc_valid, w_fin_sent, w_disc_posted, w_fin_rcvd};
      c_disc_slot[ci] <= w_disc_slot;
      c_disc_len[ci] <= w_disc_len;
      c_buf[ci] <= w_buf;
      c_acc[ci] <= w_acc;
      c_fill[ci] <= w_fill;
      c_ne[ci] <= {w_fwd_ne, w_rcv_ne, w_snd_ne};
      c_snd_h[ci] <= w_snd_h;
      c_snd_t[ci] <= w_snd_t;
      c_rcv_h[ci] <= w_rcv_h;
      c_rcv_t[ci] <= w_rcv_t;
      c_fwd_h[ci] <= w_fwd_h;
      c_fwd_t[ci] <= w_fwd_t;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      for (int i = 0; i < NUM_CONN; i++) c_state[i] <= ST_CLOSED;
      cur_valid <= 1'b0;
      cur_kind <= K_REQ;
      cur_conn <= '0;
      cur_rem <= '0;
      cur_evtype <= '0;
      cur_push <= 1'b0;
      cur_status <= '0;
      cur_final <= '0;
      cur_slot <= '0;
      cur_qp <= '0;
      ev_q_valid <= 1'b0;
      ev_q_data <= '0;
      prefer_req <= 1'b0;
    end else begin
      if (fire && w_conn && conn_ok) c_state[ci] <= w_state;
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
        cur_status <= n_status;
        cur_final <= n_final;
        cur_slot <= op_slot;
        cur_qp <= op_qp;
      end
    end
  end

  logic unused_ok;
  assign unused_ok = ^{ev_q_data[31:24], ev_q_data[7:5], o_status[7:3], cmd_qp[7:4]};  // reserved bits; statuses fit 3 bits
endmodule

`default_nettype wire
