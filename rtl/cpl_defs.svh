// Field constants of the completion engine's hardware interface (PRM 1.0):
// register offsets, request and completion descriptor fields, work and event
// stream words. The software side's counterpart is prm/prm.h; a test
// parses this file and compares each value with it, so every constant is one
// line `localparam int NAME = <literal>;` (bit positions are LSB indices).
//
// Included inside each module body (from the repository root:
// `include "rtl/cpl_defs.svh"`); not every module uses every constant.
`ifndef CPL_DEFS_SVH
`define CPL_DEFS_SVH
// Elaboration-time parameter range check. Icarus lacks $error in generate
// blocks; there an instance of a module that does not exist stops elaboration.
`ifdef __ICARUS__
`define CPL_CHECK(cond, name) if (!(cond)) begin : name cpl_parameter_out_of_range u_bad (); end
`else
`define CPL_CHECK(cond, name) if (!(cond)) begin : name $error("cpl_engine: parameter out of range"); end
`endif
`endif  // CPL_DEFS_SVH

/* verilator lint_off UNUSEDPARAM */  // shared constants: each module uses a few

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

/* verilator lint_on UNUSEDPARAM */
