// The completion engine's hardware interface (PRM 1.0) defined once for the
// RTL: register offsets and bits, and the layout of every word that crosses a
// port (request descriptor, completion descriptor, work and event stream
// words, CONN_CMD), plus the engine's internal descriptor word. The RTL builds
// and takes apart these words only through the functions below, never by bit
// position. The software side's counterpart is prm/prm.h;
// tests/rtl/prm_layout_test.cpp compares the constants (each one line
// `localparam int NAME = <literal>;`) and drives the functions through a
// Verilated probe against prm.h's encoders.
//
// Tool notes: modules refer to this package by qualified names
// (`cpl_pkg::NAME`), since Yosys 0.23 has no `import`; layouts are functions
// rather than packed structs in the package, since Icarus 11 cannot use a
// package's struct type from a module. The package comes first in every
// source list.
`default_nettype none

package cpl_pkg;
  /* verilator lint_off UNUSEDPARAM */  // the whole PRM, not only what the RTL reads

  // ---- Identification (PRM 3) ----
  localparam int CPL_ID_VALUE = 'h43504C45;
  localparam int CPL_VERSION_VALUE = 'h00010000;

  // ---- Global registers (byte offsets) ----
  localparam int REG_ID = 'h0000;
  localparam int REG_VERSION = 'h0004;
  localparam int REG_CAPS0 = 'h0008;
  localparam int REG_CAPS1 = 'h000C;
  localparam int REG_CTRL = 'h0010;
  localparam int REG_ERR_STATUS = 'h0014;
  localparam int REG_ERR_INFO = 'h0018;
  localparam int REG_CONN_CMD = 'h0020;
  localparam int REG_CONN_CMD_ARG = 'h0024;
  localparam int REG_CONN_CMD_STATUS = 'h0028;
  localparam int REG_CNT_REQ_FETCHED = 'h0040;
  localparam int REG_CNT_CPL_WRITTEN = 'h0044;
  localparam int REG_CNT_EVT = 'h0048;
  localparam int REG_CNT_IRQ = 'h004C;
  localparam int REG_CNT_PROTO_ERR = 'h0050;
  localparam int REG_CNT_DMA_ERR = 'h0054;
  localparam int REG_CNT_EVT_LATE = 'h0058;

  // ---- Per queue pair registers: REG_QP_BASE + REG_QP_STRIDE * q + offset ----
  localparam int REG_QP_BASE = 'h1000;
  localparam int REG_QP_STRIDE = 'h0040;
  localparam int REG_SQ_BASE_LO = 'h00;
  localparam int REG_SQ_BASE_HI = 'h04;
  localparam int REG_SQ_SIZE = 'h08;
  localparam int REG_SQ_TAIL = 'h0C;
  localparam int REG_SQ_HEAD = 'h10;
  localparam int REG_CQ_BASE_LO = 'h14;
  localparam int REG_CQ_BASE_HI = 'h18;
  localparam int REG_CQ_SIZE = 'h1C;
  localparam int REG_CQ_HEAD = 'h20;
  localparam int REG_CQ_TAIL = 'h24;
  localparam int REG_IRQ_MOD_COUNT = 'h28;
  localparam int REG_IRQ_MOD_TIMER = 'h2C;
  localparam int REG_QP_CTRL = 'h30;
  localparam int REG_QP_STATUS = 'h34;

  // ---- Register bits ----
  localparam int CTRL_ENABLE_BIT = 0;
  localparam int CTRL_SOFT_RESET_BIT = 1;
  localparam int ERR_DMA_RD_BIT = 0;
  localparam int ERR_DMA_WR_BIT = 1;
  localparam int ERR_PROTO_BIT = 2;
  localparam int ERR_DOORBELL_BIT = 3;
  localparam int ERR_CMD_BIT = 4;
  localparam int QP_CTRL_ENABLE_BIT = 0;
  localparam int QP_CTRL_IRQ_ENABLE_BIT = 1;
  localparam int QP_STATUS_ENABLED_BIT = 0;
  localparam int QP_STATUS_HALTED_BIT = 1;
  localparam int QP_STATUS_ARMED_BIT = 2;
  localparam int QP_STATUS_BUSY_BIT = 3;
  localparam int CQ_HEAD_ARM_BIT = 31;
  localparam int RING_SIZE_MIN = 1;
  localparam int RING_SIZE_MAX = 15;

  // ---- CONN_CMD ----
  localparam int CMD_CONN_LSB = 0;
  localparam int CMD_QP_LSB = 16;
  localparam int CMD_OP_LSB = 24;
  localparam int CMD_OP_OFFLOAD = 1;
  localparam int CMD_OP_TERMINATE = 2;
  localparam int CMD_OP_RX_CONSUMED = 3;
  localparam int CMD_STATUS_BUSY_BIT = 0;
  localparam int CMD_STATUS_RESULT_LSB = 4;
  localparam int CMD_OK = 0;
  localparam int CMD_BAD_CONN = 1;
  localparam int CMD_BAD_STATE = 2;
  localparam int CMD_BAD_QP = 3;
  localparam int CMD_BAD_OP = 4;
  localparam int CMD_BAD_ARG = 5;

  // ---- Request descriptor (SQ entry), PRM 4 ----
  localparam int SQ_ENTRY_BYTES = 32;
  localparam int REQ_OPCODE_BYTE = 8;
  localparam int REQ_FLAGS_BYTE = 9;
  localparam int REQ_CONN_BYTE = 10;
  localparam int REQ_LENGTH_BYTE = 12;
  localparam int REQ_BUFFER_BYTE = 16;
  localparam int OP_SEND = 1;
  localparam int OP_RECV = 2;
  localparam int OP_DISCONNECT = 3;
  localparam int OP_FORWARD = 4;
  localparam int REQ_FLAG_ABORTIVE = 1;
  localparam int REQ_FLAG_NO_PUSH = 2;

  // ---- Completion descriptor (CQ entry), PRM 5: bits of word1 ----
  localparam int CQ_ENTRY_BYTES = 16;
  localparam int CPL_BYTES_LSB = 0;
  localparam int CPL_CONN_LSB = 32;
  localparam int CPL_TYPE_LSB = 48;
  localparam int CPL_STATUS_LSB = 52;
  localparam int CPL_PHASE_BIT = 63;
  localparam int CPL_TYPE_SEND = 1;
  localparam int CPL_TYPE_RECV = 2;
  localparam int CPL_TYPE_DISCONNECT = 3;
  localparam int CPL_TYPE_FORWARD = 4;
  localparam int CPL_TYPE_RX_INDICATE = 8;
  localparam int CPL_TYPE_EVT_FIN = 9;
  localparam int CPL_TYPE_EVT_RST = 10;
  localparam int CPL_TYPE_TERMINATE_DONE = 11;
  localparam int CPL_ST_SUCCESS = 0;
  localparam int CPL_ST_ABORTED = 1;
  localparam int CPL_ST_UPLOAD = 2;
  localparam int CPL_ST_INVALID_STATE = 3;
  localparam int CPL_ST_INVALID_CONN = 4;
  localparam int CPL_ST_INVALID_REQUEST = 5;
  localparam int CPL_ST_WRONG_QP = 6;

  // ---- Work stream word (m_work_data) ----
  localparam int WORK_TYPE_LSB = 0;
  localparam int WORK_CONN_LSB = 8;
  localparam int WORK_BYTES_LSB = 32;
  localparam int WORK_TX_DATA = 1;
  localparam int WORK_TX_FIN = 2;
  localparam int WORK_TX_RST = 3;
  localparam int WORK_FWD = 4;
  localparam int WORK_RX_POST = 5;

  // ---- Event stream word (s_evt_data) ----
  localparam int EVT_TYPE_LSB = 0;
  localparam int EVT_FLAGS_LSB = 4;
  localparam int EVT_CONN_LSB = 8;
  localparam int EVT_BYTES_LSB = 32;
  localparam int EVT_ACK = 1;
  localparam int EVT_DATA = 2;
  localparam int EVT_FIN_ACK = 3;
  localparam int EVT_RST = 4;
  localparam int EVT_FIN = 5;
  localparam int EVT_FWD_DONE = 6;
  localparam int EVT_FLAG_PUSH = 1;

  // ---- SQ entry as read by 64-bit beats: beat 0 is the tag, beat 1 the
  // fields below (byte offsets relative to that beat) ----
  localparam int REQ_WORD1_BYTE = 64 / 8;

  /* verilator lint_on UNUSEDPARAM */

  // Every field accessor below shifts its word down to the field and cuts it
  // to the field's width.

  // ---- Request descriptor, second 64-bit beat ----
  function automatic logic [7:0] req_opcode(input logic [63:0] word1);
    req_opcode = 8'(word1 >> ((REQ_OPCODE_BYTE - REQ_WORD1_BYTE) * 8));
  endfunction
  function automatic logic [7:0] req_flags(input logic [63:0] word1);
    req_flags = 8'(word1 >> ((REQ_FLAGS_BYTE - REQ_WORD1_BYTE) * 8));
  endfunction
  function automatic logic [15:0] req_conn(input logic [63:0] word1);
    req_conn = 16'(word1 >> ((REQ_CONN_BYTE - REQ_WORD1_BYTE) * 8));
  endfunction
  function automatic logic [31:0] req_length(input logic [63:0] word1);
    req_length = 32'(word1 >> ((REQ_LENGTH_BYTE - REQ_WORD1_BYTE) * 8));
  endfunction

  // ---- Event stream word ----
  function automatic logic [3:0] evt_type(input logic [63:0] word);
    evt_type = 4'(word >> EVT_TYPE_LSB);
  endfunction
  function automatic logic [3:0] evt_flags(input logic [63:0] word);
    evt_flags = 4'(word >> EVT_FLAGS_LSB);
  endfunction
  function automatic logic [15:0] evt_conn(input logic [63:0] word);
    evt_conn = 16'(word >> EVT_CONN_LSB);
  endfunction
  function automatic logic [31:0] evt_bytes(input logic [63:0] word);
    evt_bytes = 32'(word >> EVT_BYTES_LSB);
  endfunction

  // ---- Work stream word (reserved bits zero) ----
  function automatic logic [63:0] work_word(input logic [3:0] kind, input logic [15:0] conn,
                                            input logic [31:0] bytes);
    logic [63:0] w;
    w = '0;
    w[WORK_TYPE_LSB +: 4] = kind;
    w[WORK_CONN_LSB +: 16] = conn;
    w[WORK_BYTES_LSB +: 32] = bytes;
    work_word = w;
  endfunction

  // ---- CONN_CMD register ----
  function automatic logic [15:0] cmd_conn(input logic [31:0] word);
    cmd_conn = 16'(word >> CMD_CONN_LSB);
  endfunction
  function automatic logic [7:0] cmd_qp(input logic [31:0] word);
    cmd_qp = 8'(word >> CMD_QP_LSB);
  endfunction
  function automatic logic [3:0] cmd_op(input logic [31:0] word);
    cmd_op = 4'(word >> CMD_OP_LSB);
  endfunction

  // ---- Internal descriptor word: a finished descriptor as the request
  // table keeps it until its write is acknowledged (the tag lives apart).
  // {conn[15:0], type[3:0], status[2:0], bytes[31:0]}; statuses fit 3 bits.
  localparam int DESC_W = 16 + 4 + 3 + 32;
  function automatic logic [DESC_W-1:0] desc_word(input logic [15:0] conn, input logic [3:0] kind,
                                                  input logic [2:0] status, input logic [31:0] bytes);
    desc_word = {conn, kind, status, bytes};
  endfunction
  function automatic logic [15:0] desc_conn(input logic [DESC_W-1:0] d);
    desc_conn = 16'(d >> 39);
  endfunction
  function automatic logic [3:0] desc_type(input logic [DESC_W-1:0] d);
    desc_type = 4'(d >> 35);
  endfunction
  function automatic logic [2:0] desc_status(input logic [DESC_W-1:0] d);
    desc_status = 3'(d >> 32);
  endfunction
  function automatic logic [31:0] desc_bytes(input logic [DESC_W-1:0] d);
    desc_bytes = 32'(d >> 0);  // a shift like the others: every bit of d counts as read
  endfunction
  // Engine-created descriptors (RX_INDICATE and later types) carry tag 0.
  function automatic logic desc_is_engine(input logic [DESC_W-1:0] d);
    desc_is_engine = desc_type(d) >= 4'(CPL_TYPE_RX_INDICATE);
  endfunction

  // ---- Completion descriptor, second 64-bit word (reserved bits zero) ----
  function automatic logic [63:0] cpl_word1(input logic [DESC_W-1:0] d, input logic phase);
    logic [63:0] w;
    w = '0;
    w[CPL_BYTES_LSB +: 32] = desc_bytes(d);
    w[CPL_CONN_LSB +: 16] = desc_conn(d);
    w[CPL_TYPE_LSB +: 4] = desc_type(d);
    w[CPL_STATUS_LSB +: 3] = desc_status(d);
    w[CPL_PHASE_BIT] = phase;
    cpl_word1 = w;
  endfunction

  // ---- CSR address decode (PRM 3): {is_qp, qp[3:0], off[7:0], acc[1:0]}.
  // A global register: off is its offset; a queue pair's (num_qp of them):
  // qp and its offset within the block. acc: 0 unmapped or misaligned
  // (BAD), 1 read-write, 2 read-only, 3 write-only. ----
  localparam int CSR_DEC_W = 1 + 4 + 8 + 2;
  function automatic logic [CSR_DEC_W-1:0] csr_decode(input logic [15:0] addr, input int num_qp);
    logic [15:0] rel;
    logic is_qp;
    logic [3:0] qp;
    logic [7:0] off;
    logic [1:0] acc;
    rel = addr - 16'(REG_QP_BASE);
    is_qp = 1'b0;
    qp = '0;
    off = addr[7:0];
    acc = 2'd0;
    if (addr[1:0] != 2'b00) begin
      acc = 2'd0;
    end else if (addr < 16'(REG_QP_BASE)) begin
      if (addr[15:8] == 8'h00) begin
        case (addr[7:0])
          8'(REG_ID), 8'(REG_VERSION), 8'(REG_CAPS0), 8'(REG_CAPS1), 8'(REG_ERR_INFO),
          8'(REG_CONN_CMD_STATUS), 8'(REG_CNT_REQ_FETCHED), 8'(REG_CNT_CPL_WRITTEN),
          8'(REG_CNT_EVT), 8'(REG_CNT_IRQ), 8'(REG_CNT_PROTO_ERR), 8'(REG_CNT_DMA_ERR),
          8'(REG_CNT_EVT_LATE): acc = 2'd2;
          8'(REG_CTRL), 8'(REG_ERR_STATUS), 8'(REG_CONN_CMD_ARG): acc = 2'd1;
          8'(REG_CONN_CMD): acc = 2'd3;
          default: acc = 2'd0;
        endcase
      end
    end else if (rel[15:10] == 6'd0 && 32'(rel[9:6]) < num_qp) begin
      is_qp = 1'b1;
      qp = rel[9:6];
      off = {2'b00, rel[5:0]};
      case (rel[5:0])
        6'(REG_SQ_HEAD), 6'(REG_CQ_TAIL), 6'(REG_QP_STATUS): acc = 2'd2;
        6'(REG_SQ_BASE_LO), 6'(REG_SQ_BASE_HI), 6'(REG_SQ_SIZE), 6'(REG_SQ_TAIL),
        6'(REG_CQ_BASE_LO), 6'(REG_CQ_BASE_HI), 6'(REG_CQ_SIZE), 6'(REG_CQ_HEAD),
        6'(REG_IRQ_MOD_COUNT), 6'(REG_IRQ_MOD_TIMER), 6'(REG_QP_CTRL): acc = 2'd1;
        default: acc = 2'd0;
      endcase
    end
    csr_decode = {is_qp, qp, off, acc};
  endfunction

  // ---- Round-robin choice among up to 16 requesters (the first n bits of
  // req): the lowest request at or after prio, else the lowest overall.
  // {valid, grant[3:0], next[3:0]}, next the index after the grant (0 after
  // n - 1), for the owner's priority register. ----
  localparam int RR_W = 1 + 4 + 4;
  function automatic logic [RR_W-1:0] rr_pick(input logic [15:0] req, input logic [3:0] prio,
                                               input int n);
    int i;
    logic [15:0] masked;
    logic [3:0] first;
    logic [3:0] first_masked;
    logic [3:0] grant;
    for (i = 0; i < 16; i++) masked[i] = req[i] && 4'(i) >= prio;
    first = '0;
    first_masked = '0;
    for (i = 15; i >= 0; i--) begin
      if (req[i]) first = 4'(i);
      if (masked[i]) first_masked = 4'(i);
    end
    grant = masked != '0 ? first_masked : first;
    rr_pick = {req != '0, grant, 32'(grant) == n - 1 ? 4'd0 : grant + 4'd1};
  endfunction

  // ---- AXI4 address channel of every engine burst: ID 0, 64-bit beats
  // (AxSIZE 3), INCR; {id, addr, len, size, burst} in that order ----
  localparam int AXI_ADDR_W = 4 + 64 + 8 + 3 + 2;
  function automatic logic [AXI_ADDR_W-1:0] axi_incr64(input logic [63:0] addr,
                                                      input logic [7:0] len);
    axi_incr64 = {4'd0, addr, len, 3'd3, 2'b01};
  endfunction
endpackage

`default_nettype wire
