// Attaches the checkers of this folder to the completion engine by module
// ports only, so they follow the RTL without editing it. Compiled into the
// Verilated engine with --assert (rtl/CMakeLists.txt); rtl/ itself stays
// free of assertions.
bind cpl_engine sva_engine_ports #(.NUM_QP(NUM_QP)) u_sva_ports (
    .clk, .rst,
    .s_axil_awaddr, .s_axil_awvalid, .s_axil_awready, .s_axil_wdata, .s_axil_wstrb,
    .s_axil_wvalid, .s_axil_wready, .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arvalid, .s_axil_arready, .s_axil_rdata, .s_axil_rresp,
    .s_axil_rvalid, .s_axil_rready,
    .m_axi_awid, .m_axi_awaddr, .m_axi_awlen, .m_axi_awsize, .m_axi_awburst, .m_axi_awvalid,
    .m_axi_awready, .m_axi_wdata, .m_axi_wstrb, .m_axi_wlast, .m_axi_wvalid, .m_axi_wready,
    .m_axi_bid, .m_axi_bresp, .m_axi_bvalid, .m_axi_bready,
    .m_axi_arid, .m_axi_araddr, .m_axi_arlen, .m_axi_arsize, .m_axi_arburst, .m_axi_arvalid,
    .m_axi_arready, .m_axi_rid, .m_axi_rdata, .m_axi_rresp, .m_axi_rlast, .m_axi_rvalid,
    .m_axi_rready,
    .m_work_valid, .m_work_ready, .m_work_data,
    .s_evt_valid, .s_evt_ready, .s_evt_data,
    .m_irq_valid, .m_irq_ready, .m_irq_vector);

bind cpl_fifo sva_fifo #(.WIDTH(WIDTH), .DEPTH(DEPTH), .NAME("cpl_fifo")) u_sva_fifo (
    .clk, .rst, .s_valid, .s_ready, .s_data, .m_valid, .m_ready, .m_data);

bind cpl_slot_pool sva_slot_pool #(.REQ_SLOTS(REQ_SLOTS), .EVT_SLOTS(EVT_SLOTS), .SW(SW),
                                  .FREE_RECS(FREE_RECS)) u_sva_pool (
    .clk, .rst, .req_alloc, .req_slot, .req_free_cnt, .evt_alloc, .evt_slot, .evt_avail,
    .s_free_valid, .s_free_ready, .s_free_n, .s_free_slots);

bind cpl_irq sva_irq #(.NUM_QP(NUM_QP)) u_sva_irq (
    .clk, .rst, .rst_port, .quiesce, .err_irq, .armed, .irq_enable,
    .m_irq_valid, .m_irq_ready, .m_irq_vector);

bind cpl_csr sva_csr #(.NUM_QP(NUM_QP)) u_sva_csr (
    .clk, .rst, .srst, .sq_size, .sq_mask, .sq_tail, .sq_reset, .sq_head, .cq_size, .cq_head,
    .cq_mask, .cq_limit, .cq_reset, .cq_tail, .cmd_valid, .cmd_conn, .cmd_qp, .cmd_op, .cmd_arg, .cmd_done);

bind cpl_conn_table sva_conn_table #(.NUM_CONN(NUM_CONN), .CW(CW)) u_sva_conn (
    .clk, .rst, .ready, .state_cur, .state_cand, .state_take, .rstate, .main_we, .main_waddr, .we, .waddr,
    .wstate);

bind cpl_sq_fetch sva_halted_dma #(.NUM_QP(NUM_QP), .ENTRY_BYTES(cpl_pkg::SQ_ENTRY_BYTES), .NAME("SQ fetch"))
    u_sva_halted_ar (
    .clk, .rst, .qp_halted, .qp_enable, .quiesce, .base(sq_base), .mask(sq_mask), .addr(m_axi_araddr),
    .valid(m_axi_arvalid), .ready(m_axi_arready));

bind cpl_cq_writer sva_halted_dma #(.NUM_QP(NUM_QP), .ENTRY_BYTES(cpl_pkg::CQ_ENTRY_BYTES), .NAME("CQ writer"))
    u_sva_halted_aw (
    .clk, .rst, .qp_halted, .qp_enable, .quiesce, .base(cq_base), .mask(cq_mask), .addr(m_axi_awaddr),
    .valid(m_axi_awvalid), .ready(m_axi_awready));
