// Exposes the layout functions of rtl/cpl_pkg.sv on ports, so that
// prm_layout_test can drive the RTL's own encoders and decoders and compare
// them with prm/prm.h. Test-only; not part of the engine.
`default_nettype none

module prm_layout_probe (
    // work stream word
    input  wire  [3:0]  work_type,
    input  wire  [15:0] work_conn,
    input  wire  [31:0] work_bytes,
    output logic [63:0] work_word,
    // internal descriptor word to completion descriptor word 1
    input  wire  [15:0] desc_conn,
    input  wire  [3:0]  desc_type,
    input  wire  [2:0]  desc_status,
    input  wire  [31:0] desc_bytes,
    input  wire         desc_phase,
    output logic [63:0] cpl_word1,
    output logic        desc_engine,
    // event stream word
    input  wire  [63:0] evt_word,
    output logic [3:0]  evt_type,
    output logic [3:0]  evt_flags,
    output logic [15:0] evt_conn,
    output logic [31:0] evt_bytes,
    // second 64-bit beat of a request descriptor
    input  wire  [63:0] req_word1,
    output logic [7:0]  req_opcode,
    output logic [7:0]  req_flags,
    output logic [15:0] req_conn,
    output logic [31:0] req_length,
    // CONN_CMD register
    input  wire  [31:0] cmd_word,
    output logic [15:0] cmd_conn,
    output logic [7:0]  cmd_qp,
    output logic [3:0]  cmd_op
);
  logic [cpl_pkg::DESC_W-1:0] desc;

  assign work_word = cpl_pkg::work_word(work_type, work_conn, work_bytes);
  assign desc = cpl_pkg::desc_word(desc_conn, desc_type, desc_status, desc_bytes);
  assign cpl_word1 = cpl_pkg::cpl_word1(desc, desc_phase);
  assign desc_engine = cpl_pkg::desc_is_engine(desc);
  assign evt_type = cpl_pkg::evt_type(evt_word);
  assign evt_flags = cpl_pkg::evt_flags(evt_word);
  assign evt_conn = cpl_pkg::evt_conn(evt_word);
  assign evt_bytes = cpl_pkg::evt_bytes(evt_word);
  assign req_opcode = cpl_pkg::req_opcode(req_word1);
  assign req_flags = cpl_pkg::req_flags(req_word1);
  assign req_conn = cpl_pkg::req_conn(req_word1);
  assign req_length = cpl_pkg::req_length(req_word1);
  assign cmd_conn = cpl_pkg::cmd_conn(cmd_word);
  assign cmd_qp = cpl_pkg::cmd_qp(cmd_word);
  assign cmd_op = cpl_pkg::cmd_op(cmd_word);
endmodule

`default_nettype wire
