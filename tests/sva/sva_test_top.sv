// Test top of the checkers in verif/sva/: one instance of each, every input
// a port, so a test can drive legal and broken sequences cycle by cycle.
`default_nettype none

module sva_test_top (
    input wire        clk,
    input wire        rst,
    // sva_stream, 8-bit payload
    input wire        st_valid,
    input wire        st_ready,
    input wire [7:0]  st_data,
    // sva_fifo, 8 bits x 4
    input wire        f_s_valid,
    input wire        f_s_ready,
    input wire [7:0]  f_s_data,
    input wire        f_m_valid,
    input wire        f_m_ready,
    input wire [7:0]  f_m_data,
    // sva_slot_pool, 16 request slots + 4 engine slots
    input wire        p_req_alloc,
    input wire [4:0]  p_req_slot,
    input wire [5:0]  p_req_free_cnt,
    input wire        p_evt_alloc,
    input wire [4:0]  p_evt_slot,
    input wire        p_evt_avail,
    input wire        p_free_valid,
    input wire        p_free_ready,
    input wire [2:0]  p_free_n,
    input wire [19:0] p_free_slots,
    // sva_irq, 2 queue pairs
    input wire        i_rst_port,
    input wire        i_quiesce,
    input wire        i_err_irq,
    input wire [1:0]  i_armed,
    input wire [1:0]  i_irq_enable,
    input wire        i_valid,
    input wire        i_ready,
    input wire [7:0]  i_vector,
    // sva_csr, 1 queue pair
    input wire        c_srst,
    input wire [3:0]  c_sq_size,
    input wire [15:0] c_sq_mask,
    input wire [15:0] c_sq_tail,
    input wire        c_sq_reset,
    input wire [15:0] c_sq_head,
    input wire [3:0]  c_cq_size,
    input wire [15:0] c_cq_head,
    input wire [15:0] c_cq_mask,
    input wire [15:0] c_cq_limit,
    input wire        c_cq_reset,
    input wire [15:0] c_cq_tail,
    input wire        c_cmd_valid,
    input wire [15:0] c_cmd_conn,
    input wire [3:0]  c_cmd_op,
    input wire        c_cmd_done,
    // sva_conn_table, 4 connections
    input wire        t_ready,
    input wire [1:0]  t_state_cur,
    input wire [1:0]  t_state_cand,
    input wire        t_state_take,
    input wire [1:0]  t_rstate,
    input wire        t_main_we,
    input wire [1:0]  t_main_waddr,
    input wire        t_we,
    input wire [1:0]  t_waddr,
    input wire [1:0]  t_wstate,
    // sva_halted_dma, 2 queue pairs, 32-byte entries
    input wire [1:0]   h_halted,
    input wire [1:0]   h_enable,
    input wire         h_quiesce,
    input wire [103:0] h_base,
    input wire [31:0]  h_mask,
    input wire [63:0]  h_addr,
    input wire         h_valid,
    input wire         h_ready
);
  sva_stream #(.W(8), .NAME("test stream")) u_stream (
      .clk, .rst, .valid(st_valid), .ready(st_ready), .data(st_data));
  sva_fifo #(.WIDTH(8), .DEPTH(4), .NAME("test fifo")) u_fifo (
      .clk, .rst, .s_valid(f_s_valid), .s_ready(f_s_ready), .s_data(f_s_data),
      .m_valid(f_m_valid), .m_ready(f_m_ready), .m_data(f_m_data));
  sva_slot_pool #(.REQ_SLOTS(16), .EVT_SLOTS(4), .SW(5)) u_pool (
      .clk, .rst, .req_alloc(p_req_alloc), .req_slot(p_req_slot), .req_free_cnt(p_req_free_cnt),
      .evt_alloc(p_evt_alloc), .evt_slot(p_evt_slot), .evt_avail(p_evt_avail),
      .s_free_valid(p_free_valid), .s_free_ready(p_free_ready), .s_free_n(p_free_n),
      .s_free_slots(p_free_slots));
  sva_irq #(.NUM_QP(2)) u_irq (
      .clk, .rst, .rst_port(i_rst_port), .quiesce(i_quiesce), .err_irq(i_err_irq),
      .armed(i_armed), .irq_enable(i_irq_enable), .m_irq_valid(i_valid), .m_irq_ready(i_ready),
      .m_irq_vector(i_vector));
  sva_csr #(.NUM_QP(1)) u_csr (
      .clk, .rst, .srst(c_srst), .sq_size(c_sq_size), .sq_mask(c_sq_mask), .sq_tail(c_sq_tail),
      .sq_reset(c_sq_reset), .sq_head(c_sq_head), .cq_size(c_cq_size), .cq_head(c_cq_head),
      .cq_mask(c_cq_mask), .cq_limit(c_cq_limit), .cq_reset(c_cq_reset),
      .cq_tail(c_cq_tail), .cmd_valid(c_cmd_valid), .cmd_conn(c_cmd_conn), .cmd_qp(8'd0),
      .cmd_op(c_cmd_op), .cmd_arg(32'd0), .cmd_done(c_cmd_done));
  sva_conn_table #(.NUM_CONN(4), .CW(2)) u_conn (
      .clk, .rst, .ready(t_ready), .state_cur(t_state_cur), .state_cand(t_state_cand),
      .state_take(t_state_take), .rstate(t_rstate), .main_we(t_main_we),
      .main_waddr(t_main_waddr), .we(t_we), .waddr(t_waddr), .wstate(t_wstate));
  sva_halted_dma #(.NUM_QP(2), .ENTRY_BYTES(32), .NAME("test AR")) u_halted (
      .clk, .rst, .qp_halted(h_halted), .qp_enable(h_enable), .quiesce(h_quiesce), .base(h_base), .mask(h_mask), .addr(h_addr),
      .valid(h_valid), .ready(h_ready));
endmodule

`default_nettype wire
