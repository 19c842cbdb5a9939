// CSR address decoder: splits an AXI4-Lite address into a global offset or a
// (queue pair, offset) pair and classifies the access (PRM 3): unmapped or
// misaligned (BAD), read-write, read-only or write-only.
`default_nettype none

module cpl_csr_decode #(
    parameter int NUM_QP = 4,
    parameter int QW = 2   // queue pair index width
) (
    input  wire  [15:0] addr,
    output logic        is_qp,
    output logic [QW-1:0] qp,
    output logic [7:0]  off,
    output logic [1:0]  acc   // 0 BAD, 1 RW, 2 RO, 3 WO
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(NUM_QP >= 1 && NUM_QP <= 16 && QW >= 1 && QW <= 4, g_param_check)
  always_comb begin : b_decode
    logic [15:0] rel_l;
    logic is_qp_l;
    logic [QW-1:0] qp_l;
    logic [7:0] off_l;
    rel_l = addr - 16'(cpl_pkg::REG_QP_BASE);
    is_qp_l = 1'b0;
    qp_l = '0;
    off_l = addr[7:0];
    acc = 2'd0;
    if (addr[1:0] != 2'b00) begin
      acc = 2'd0;
    end else if (addr < 16'(cpl_pkg::REG_QP_BASE)) begin
      if (addr[15:8] == 8'h00) begin
        case (addr[7:0])
          8'(cpl_pkg::REG_ID), 8'(cpl_pkg::REG_VERSION), 8'(cpl_pkg::REG_CAPS0), 8'(cpl_pkg::REG_CAPS1), 8'(cpl_pkg::REG_ERR_INFO),
          8'(cpl_pkg::REG_CONN_CMD_STATUS), 8'(cpl_pkg::REG_CNT_REQ_FETCHED), 8'(cpl_pkg::REG_CNT_CPL_WRITTEN),
          8'(cpl_pkg::REG_CNT_EVT), 8'(cpl_pkg::REG_CNT_IRQ), 8'(cpl_pkg::REG_CNT_PROTO_ERR), 8'(cpl_pkg::REG_CNT_DMA_ERR),
          8'(cpl_pkg::REG_CNT_EVT_LATE): acc = 2'd2;
          8'(cpl_pkg::REG_CTRL), 8'(cpl_pkg::REG_ERR_STATUS), 8'(cpl_pkg::REG_CONN_CMD_ARG): acc = 2'd1;
          8'(cpl_pkg::REG_CONN_CMD): acc = 2'd3;
          default: acc = 2'd0;
        endcase
      end
    end else if (rel_l[15:10] == 6'd0 && 32'(rel_l[9:6]) < NUM_QP) begin
      is_qp_l = 1'b1;
      qp_l = QW'(rel_l[9:6]);
      off_l = {2'b00, rel_l[5:0]};
      case (rel_l[5:0])
        6'(cpl_pkg::REG_SQ_HEAD), 6'(cpl_pkg::REG_CQ_TAIL), 6'(cpl_pkg::REG_QP_STATUS): acc = 2'd2;
        6'(cpl_pkg::REG_SQ_BASE_LO), 6'(cpl_pkg::REG_SQ_BASE_HI), 6'(cpl_pkg::REG_SQ_SIZE), 6'(cpl_pkg::REG_SQ_TAIL),
        6'(cpl_pkg::REG_CQ_BASE_LO), 6'(cpl_pkg::REG_CQ_BASE_HI), 6'(cpl_pkg::REG_CQ_SIZE), 6'(cpl_pkg::REG_CQ_HEAD),
        6'(cpl_pkg::REG_IRQ_MOD_COUNT), 6'(cpl_pkg::REG_IRQ_MOD_TIMER), 6'(cpl_pkg::REG_QP_CTRL): acc = 2'd1;
        default: acc = 2'd0;
      endcase
    end
    is_qp = is_qp_l;
    qp = qp_l;
    off = off_l;
  end
endmodule

`default_nettype wire
