// Completion engine top level (PRM 1.0): wires the CSR block, the SQ
// fetcher, the matcher (connection table and PRM 6 rules), the request table
// and its slot allocator, the CQ writer and the interrupt block.
//
//   AXI4-Lite -> cpl_csr --config--> cpl_sq_fetch -> req FIFO -> cpl_matcher -> work FIFO -> m_work
//   m_axi AR/R <-> cpl_sq_fetch          |  (tag)          ^ s_evt      | (finished slot)
//                                cpl_req_table <------------+-----------+
//   m_axi AW/W/B <-> cpl_cq_writer <-- completion lists per queue pair
//   m_irq <- cpl_irq <- commits (after B), arm writes, ERR_STATUS rises
//
// Interfaces: PRM section 2. Reset: rst (synchronous) or CTRL.SOFT_RESET,
// which the CSR block turns into a one-cycle internal reset once the AXI
// master and the output streams are quiet (or after a timeout); a work word or
// interrupt message already offered on its port survives it.
`default_nettype none

module cpl_engine #(
    parameter int NUM_CONN  = 64,
    parameter int NUM_QP    = 4,
    parameter int REQ_SLOTS = 256
) (
    input  wire        clk,
    input  wire        rst,

    // CSR slave, AXI4-Lite
    input  wire [15:0] s_axil_awaddr,
    input  wire        s_axil_awvalid,
    output logic       s_axil_awready,
    input  wire [31:0] s_axil_wdata,
    input  wire [3:0]  s_axil_wstrb,
    input  wire        s_axil_wvalid,
    output logic       s_axil_wready,
    output logic [1:0] s_axil_bresp,
    output logic       s_axil_bvalid,
    input  wire        s_axil_bready,
    input  wire [15:0] s_axil_araddr,
    input  wire        s_axil_arvalid,
    output logic       s_axil_arready,
    output logic [31:0] s_axil_rdata,
    output logic [1:0] s_axil_rresp,
    output logic       s_axil_rvalid,
    input  wire        s_axil_rready,

    // DMA master, AXI4
    output logic [3:0]  m_axi_awid,
    output logic [63:0] m_axi_awaddr,
    output logic [7:0]  m_axi_awlen,
    output logic [2:0]  m_axi_awsize,
    output logic [1:0]  m_axi_awburst,
    output logic        m_axi_awvalid,
    input  wire         m_axi_awready,
    output logic [63:0] m_axi_wdata,
    output logic [7:0]  m_axi_wstrb,
    output logic        m_axi_wlast,
    output logic        m_axi_wvalid,
    input  wire         m_axi_wready,
    input  wire [3:0]   m_axi_bid,
    input  wire [1:0]   m_axi_bresp,
    input  wire         m_axi_bvalid,
    output logic        m_axi_bready,
    output logic [3:0]  m_axi_arid,
    output logic [63:0] m_axi_araddr,
    output logic [7:0]  m_axi_arlen,
    output logic [2:0]  m_axi_arsize,
    output logic [1:0]  m_axi_arburst,
    output logic        m_axi_arvalid,
    input  wire         m_axi_arready,
    input  wire [3:0]   m_axi_rid,
    input  wire [63:0]  m_axi_rdata,
    input  wire [1:0]   m_axi_rresp,
    input  wire         m_axi_rlast,
    input  wire         m_axi_rvalid,
    output logic        m_axi_rready,

    // Work stream to the protocol engine
    output logic        m_work_valid,
    input  wire         m_work_ready,
    output logic [63:0] m_work_data,

    // Event stream from the protocol engine
    input  wire         s_evt_valid,
    output logic        s_evt_ready,
    input  wire [63:0]  s_evt_data,

    // Interrupt messages
    output logic        m_irq_valid,
    input  wire         m_irq_ready,
    output logic [7:0]  m_irq_vector
);
`include "rtl/cpl_check.svh"
  localparam int QW = NUM_QP > 1 ? $clog2(NUM_QP) : 1;
  localparam int EVT_SLOTS = 32;               // slots for engine descriptors
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;  // request table entries
  localparam int SW = $clog2(TBL);             // slot index width
  localparam int RQW = SW + QW + 64;           // fetched request word
  `CPL_CHECK(NUM_CONN >= 1 && NUM_CONN <= 4096 && NUM_QP >= 1 && NUM_QP <= 16 &&
             REQ_SLOTS >= 16 && REQ_SLOTS <= 4096, g_param_check)

  // ---------------------------------------------------------------- wires
  logic srst, rst_int, quiesce, idle;
  logic ctrl_enable, run;
  logic [NUM_QP*52-1:0] sq_base, cq_base;
  logic [NUM_QP*4-1:0]  cq_size;
  logic [NUM_QP*16-1:0] sq_tail, sq_head, cq_tail, irq_mod_count;
  logic [NUM_QP*16-1:0] sq_mask, cq_mask, cq_limit;
  logic [NUM_QP*32-1:0] irq_mod_timer;
  logic [NUM_QP-1:0]    sq_reset, cq_reset, arm_set, arm_fire_now, armed;
  logic [NUM_QP-1:0]    qp_enable, qp_irq_enable, qp_halted, halt_rd, halt_wr;
  logic                 rd_err_now, wr_err_now;  // DMA error responses (AR/AW vetoes)
  logic        proto_err, evt_late, err_irq, inc_irq, inc_fetched;
  logic        rd_dma_err, wr_dma_err;
  logic [15:0] proto_err_conn;
  logic        cmd_valid, cmd_done;
  logic        cmd_waits;    // the matcher holds a command back for fetched requests
  logic [15:0] cmd_conn;
  logic [7:0]  cmd_qp;
  logic [3:0]  cmd_op, cmd_result;
  logic [31:0] cmd_arg;
  logic        commit_valid;
  logic [QW-1:0] commit_qp;
  logic [2:0]  commit_n;
  logic        fetch_idle, cqw_idle, matcher_idle;
  logic [NUM_QP-1:0] fetch_busy, cqw_busy;   // DMA in flight per queue pair (QP_STATUS.BUSY)

  logic           fq_s_valid, fq_s_ready, fq_m_valid, fq_m_ready;
  logic [RQW-1:0] fq_s_data, fq_m_data;
  logic           ev_m_valid, ev_m_ready;
  logic [63:0]    ev_m_data;
  logic           wk_s_valid, wk_s_ready, wk_f_valid, wk_f_ready;
  logic [63:0]    wk_s_data, wk_f_data;

  logic [SW:0]    req_free_cnt;
  logic [SW-1:0]  req_slot, evt_slot;
  logic           req_alloc, evt_alloc, evt_avail;
  logic           free_valid, free_ready;
  logic [2:0]     free_n;
  logic [4*SW-1:0] free_slots;

  logic           tag_we;
  logic [63:0]    tag_wdata, tag_rdata;
  logic [SW-1:0]  walk_raddr;
  logic           cpl_we;
  logic [SW-1:0]  cpl_waddr;
  logic [cpl_pkg::DESC_W-1:0] cpl_wdata, cpl_rdata;
  logic           cq_nxt_we;
  logic [SW-1:0]  cq_nxt_waddr, cq_nxt_wdata;
  logic [SW-1:0]  nxt_rdata_w, nxt_raddr_c, nxt_rdata_c;
  logic           app_valid;
  logic [QW-1:0]  app_qp;
  logic [SW-1:0]  app_slot;

  assign rst_int = rst || srst;
  assign run = ctrl_enable && !quiesce;
  assign idle = fetch_idle && cqw_idle && !m_work_valid && !m_irq_valid;

  // ---------------------------------------------------------------- CSR
  cpl_csr #(.NUM_CONN(NUM_CONN), .NUM_QP(NUM_QP), .REQ_SLOTS(REQ_SLOTS)) u_csr (
      .clk, .rst, .srst, .quiesce, .idle,
      .s_axil_awaddr, .s_axil_awvalid, .s_axil_awready, .s_axil_wdata, .s_axil_wstrb,
      .s_axil_wvalid, .s_axil_wready, .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
      .s_axil_araddr, .s_axil_arvalid, .s_axil_arready, .s_axil_rdata, .s_axil_rresp,
      .s_axil_rvalid, .s_axil_rready,
      .ctrl_enable,
      .sq_base, .sq_mask, .sq_tail, .sq_reset, .sq_head,
      .cq_base, .cq_size, .cq_mask, .cq_limit, .cq_reset, .cq_tail,
      .arm_set, .arm_fire_now, .armed, .irq_mod_count, .irq_mod_timer,
      .qp_enable, .qp_irq_enable, .qp_halted, .halt_rd, .halt_wr, .qp_busy(fetch_busy | cqw_busy),
      .proto_err, .proto_err_conn,
      .cmd_valid, .cmd_conn, .cmd_qp, .cmd_op, .cmd_arg, .cmd_done, .cmd_result,
      .inc_req_fetched(inc_fetched), .inc_cpl_written(commit_valid ? commit_n : 3'd0),
      .inc_evt(s_evt_valid && s_evt_ready), .inc_irq, .inc_proto_err(proto_err),
      .inc_dma_err({1'b0, rd_dma_err} + {1'b0, wr_dma_err}), .inc_evt_late(evt_late),
      .err_irq);

  // ---------------------------------------------------------------- fetch
  cpl_sq_fetch #(.NUM_QP(NUM_QP), .QW(QW), .SW(SW)) u_fetch (
      .clk, .rst(rst_int), .enable(run), .quiesce, .qp_enable, .qp_halted,
      .sq_base, .sq_mask, .sq_tail, .sq_reset, .sq_head, .halt_rd, .rd_err_now, .wr_err_now,
      .inc_fetched, .inc_dma_err(rd_dma_err), .idle(fetch_idle), .qp_busy(fetch_busy),
      .m_axi_arid, .m_axi_araddr, .m_axi_arlen, .m_axi_arsize, .m_axi_arburst, .m_axi_arvalid,
      .m_axi_arready, .m_axi_rid, .m_axi_rdata, .m_axi_rresp, .m_axi_rlast, .m_axi_rvalid,
      .m_axi_rready,
      .req_free_cnt, .req_slot, .req_alloc, .tag_we, .tag_wdata,
      .m_req_valid(fq_s_valid), .m_req_ready(fq_s_ready && !cmd_waits), .m_req_data(fq_s_data));

  cpl_fifo #(.WIDTH(RQW), .DEPTH(4)) u_req_fifo (
      .clk, .rst(rst_int),
      .s_valid(fq_s_valid), .s_ready(fq_s_ready), .s_data(fq_s_data),
      .m_valid(fq_m_valid), .m_ready(fq_m_ready), .m_data(fq_m_data));

  // ---------------------------------------------------------------- table
  cpl_slot_pool #(.REQ_SLOTS(REQ_SLOTS), .EVT_SLOTS(EVT_SLOTS), .SW(SW)) u_pool (
      .clk, .rst(rst_int), .req_alloc, .req_slot, .req_free_cnt,
      .evt_alloc, .evt_slot, .evt_avail,
      .s_free_valid(free_valid), .s_free_ready(free_ready), .s_free_n(free_n), .s_free_slots(free_slots));

  cpl_req_table #(.TBL(TBL), .SW(SW)) u_table (
      .clk,
      .tag_we, .tag_waddr(req_slot), .tag_wdata,
      .desc_we(cpl_we), .desc_waddr(cpl_waddr), .desc_wdata(cpl_wdata),
      .walk_raddr, .tag_rdata, .desc_rdata(cpl_rdata), .cq_nxt_walk_rdata(nxt_rdata_w),
      .cq_nxt_we, .cq_nxt_waddr, .cq_nxt_wdata,
      .cq_nxt_commit_raddr(nxt_raddr_c), .cq_nxt_commit_rdata(nxt_rdata_c));

  // ---------------------------------------------------------------- matcher
  // Events enter a two-entry FIFO: s_evt_ready comes from its state alone,
  // and back-to-back events are still taken one per cycle.
  cpl_fifo #(.WIDTH(64), .DEPTH(2)) u_evt_fifo (
      .clk, .rst(rst_int),
      .s_valid(s_evt_valid), .s_ready(s_evt_ready), .s_data(s_evt_data),
      .m_valid(ev_m_valid), .m_ready(ev_m_ready), .m_data(ev_m_data));

  cpl_matcher #(.NUM_CONN(NUM_CONN), .NUM_QP(NUM_QP), .QW(QW), .SW(SW), .TBL(TBL)) u_matcher (
      .clk, .rst(rst_int), .enable(run),
      .cmd_valid, .cmd_conn, .cmd_qp, .cmd_op, .cmd_arg, .cmd_done, .cmd_result,
      .s_req_valid(fq_m_valid), .s_req_ready(fq_m_ready), .s_req_data(fq_m_data),
      .s_evt_valid(ev_m_valid), .s_evt_ready(ev_m_ready), .s_evt_data(ev_m_data),
      .m_work_valid(wk_s_valid), .m_work_ready(wk_s_ready), .m_work_data(wk_s_data),
      .cpl_we, .cpl_waddr, .cpl_wdata,
      .evt_avail, .evt_slot, .evt_alloc,
      .app_valid, .app_qp, .app_slot,
      .proto_err, .proto_err_conn, .evt_late, .idle(matcher_idle), .cmd_waits);

  cpl_fifo #(.WIDTH(64), .DEPTH(4)) u_work_fifo (
      .clk, .rst(rst_int),
      .s_valid(wk_s_valid), .s_ready(wk_s_ready), .s_data(wk_s_data),
      .m_valid(wk_f_valid), .m_ready(wk_f_ready), .m_data(wk_f_data));

  cpl_out_reg #(.WIDTH(64)) u_work_out (
      .clk, .rst,
      .s_valid(wk_f_valid && !srst), .s_ready(wk_f_ready), .s_data(wk_f_data),
      .m_valid(m_work_valid), .m_ready(m_work_ready), .m_data(m_work_data));

  // ---------------------------------------------------------------- CQ writer
  cpl_cq_writer #(.NUM_QP(NUM_QP), .QW(QW), .SW(SW)) u_cq_writer (
      .clk, .rst(rst_int), .quiesce, .qp_enable, .qp_halted,
      .cq_base, .cq_size, .cq_mask, .cq_limit, .cq_reset, .cq_tail, .halt_wr, .wr_err_now, .rd_err_now,
      .inc_dma_err(wr_dma_err), .commit_valid, .commit_qp, .commit_n, .idle(cqw_idle),
      .qp_busy(cqw_busy),
      .app_valid, .app_qp, .app_slot,
      .walk_raddr, .tag_rdata, .cpl_rdata, .nxt_rdata_w, .nxt_raddr_c, .nxt_rdata_c,
      .nxt_we(cq_nxt_we), .nxt_waddr(cq_nxt_waddr), .nxt_wdata(cq_nxt_wdata),
      .m_free_valid(free_valid), .m_free_ready(free_ready), .m_free_n(free_n),
      .m_free_slots(free_slots),
      .m_axi_awid, .m_axi_awaddr, .m_axi_awlen, .m_axi_awsize, .m_axi_awburst, .m_axi_awvalid,
      .m_axi_awready, .m_axi_wdata, .m_axi_wstrb, .m_axi_wlast, .m_axi_wvalid, .m_axi_wready,
      .m_axi_bid, .m_axi_bresp, .m_axi_bvalid, .m_axi_bready);

  // ---------------------------------------------------------------- interrupts
  cpl_irq #(.NUM_QP(NUM_QP), .QW(QW)) u_irq (
      .clk, .rst(rst_int), .rst_port(rst), .quiesce, .commit_valid, .commit_qp, .commit_n,
      .arm_set, .arm_fire_now, .qp_reset(cq_reset), .irq_enable(qp_irq_enable), .mod_count(irq_mod_count),
      .mod_timer(irq_mod_timer), .err_irq, .armed, .inc_irq,
      .m_irq_valid, .m_irq_ready, .m_irq_vector);

  // The matcher's idle flag is informative only (soft reset waits for the
  // ports, not for the matcher).
  logic unused_ok;
  assign unused_ok = matcher_idle;
endmodule

`default_nettype wire
