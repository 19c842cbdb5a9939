// Port checker of cpl_engine (PRM 2): every channel of the AXI4-Lite slave,
// the AXI4 master, the work and event streams and the interrupt port keeps
// valid until ready with a stable payload. The engine's own outputs are
// checked as well as its inputs (what the environment drives), so a broken
// agent fires here too. Interrupt vectors name a queue pair or the error
// vector (NUM_QP). Only the hard reset disables the checks: a soft reset
// keeps offered work words and interrupt messages (PRM 3).
`default_nettype none

module sva_engine_ports #(
    parameter int NUM_QP = 4
) (
    input wire        clk,
    input wire        rst,
    input wire [15:0] s_axil_awaddr,
    input wire        s_axil_awvalid,
    input wire        s_axil_awready,
    input wire [31:0] s_axil_wdata,
    input wire [3:0]  s_axil_wstrb,
    input wire        s_axil_wvalid,
    input wire        s_axil_wready,
    input wire [1:0]  s_axil_bresp,
    input wire        s_axil_bvalid,
    input wire        s_axil_bready,
    input wire [15:0] s_axil_araddr,
    input wire        s_axil_arvalid,
    input wire        s_axil_arready,
    input wire [31:0] s_axil_rdata,
    input wire [1:0]  s_axil_rresp,
    input wire        s_axil_rvalid,
    input wire        s_axil_rready,
    input wire [3:0]  m_axi_awid,
    input wire [63:0] m_axi_awaddr,
    input wire [7:0]  m_axi_awlen,
    input wire [2:0]  m_axi_awsize,
    input wire [1:0]  m_axi_awburst,
    input wire        m_axi_awvalid,
    input wire        m_axi_awready,
    input wire [63:0] m_axi_wdata,
    input wire [7:0]  m_axi_wstrb,
    input wire        m_axi_wlast,
    input wire        m_axi_wvalid,
    input wire        m_axi_wready,
    input wire [3:0]  m_axi_bid,
    input wire [1:0]  m_axi_bresp,
    input wire        m_axi_bvalid,
    input wire        m_axi_bready,
    input wire [3:0]  m_axi_arid,
    input wire [63:0] m_axi_araddr,
    input wire [7:0]  m_axi_arlen,
    input wire [2:0]  m_axi_arsize,
    input wire [1:0]  m_axi_arburst,
    input wire        m_axi_arvalid,
    input wire        m_axi_arready,
    input wire [3:0]  m_axi_rid,
    input wire [63:0] m_axi_rdata,
    input wire [1:0]  m_axi_rresp,
    input wire        m_axi_rlast,
    input wire        m_axi_rvalid,
    input wire        m_axi_rready,
    input wire        m_work_valid,
    input wire        m_work_ready,
    input wire [63:0] m_work_data,
    input wire        s_evt_valid,
    input wire        s_evt_ready,
    input wire [63:0] s_evt_data,
    input wire        m_irq_valid,
    input wire        m_irq_ready,
    input wire [7:0]  m_irq_vector
);
  sva_stream #(.W(16), .NAME("s_axil AW")) u_axil_aw (
      .clk, .rst, .valid(s_axil_awvalid), .ready(s_axil_awready), .data(s_axil_awaddr));
  sva_stream #(.W(36), .NAME("s_axil W")) u_axil_w (
      .clk, .rst, .valid(s_axil_wvalid), .ready(s_axil_wready), .data({s_axil_wstrb, s_axil_wdata}));
  sva_stream #(.W(2), .NAME("s_axil B")) u_axil_b (
      .clk, .rst, .valid(s_axil_bvalid), .ready(s_axil_bready), .data(s_axil_bresp));
  sva_stream #(.W(16), .NAME("s_axil AR")) u_axil_ar (
      .clk, .rst, .valid(s_axil_arvalid), .ready(s_axil_arready), .data(s_axil_araddr));
  sva_stream #(.W(34), .NAME("s_axil R")) u_axil_r (
      .clk, .rst, .valid(s_axil_rvalid), .ready(s_axil_rready), .data({s_axil_rresp, s_axil_rdata}));

  sva_stream #(.W(81), .NAME("m_axi AW")) u_axi_aw (
      .clk, .rst, .valid(m_axi_awvalid), .ready(m_axi_awready),
      .data({m_axi_awid, m_axi_awaddr, m_axi_awlen, m_axi_awsize, m_axi_awburst}));
  sva_stream #(.W(73), .NAME("m_axi W")) u_axi_w (
      .clk, .rst, .valid(m_axi_wvalid), .ready(m_axi_wready),
      .data({m_axi_wdata, m_axi_wstrb, m_axi_wlast}));
  sva_stream #(.W(6), .NAME("m_axi B")) u_axi_b (
      .clk, .rst, .valid(m_axi_bvalid), .ready(m_axi_bready), .data({m_axi_bid, m_axi_bresp}));
  sva_stream #(.W(81), .NAME("m_axi AR")) u_axi_ar (
      .clk, .rst, .valid(m_axi_arvalid), .ready(m_axi_arready),
      .data({m_axi_arid, m_axi_araddr, m_axi_arlen, m_axi_arsize, m_axi_arburst}));
  sva_stream #(.W(71), .NAME("m_axi R")) u_axi_r (
      .clk, .rst, .valid(m_axi_rvalid), .ready(m_axi_rready),
      .data({m_axi_rid, m_axi_rdata, m_axi_rresp, m_axi_rlast}));

  sva_stream #(.W(64), .NAME("m_work")) u_work (
      .clk, .rst, .valid(m_work_valid), .ready(m_work_ready), .data(m_work_data));
  sva_stream #(.W(64), .NAME("s_evt")) u_evt (
      .clk, .rst, .valid(s_evt_valid), .ready(s_evt_ready), .data(s_evt_data));
  sva_stream #(.W(8), .NAME("m_irq")) u_irq (
      .clk, .rst, .valid(m_irq_valid), .ready(m_irq_ready), .data(m_irq_vector));

  a_irq_vector_range : assert property (@(posedge clk) disable iff (rst)
      m_irq_valid |-> 32'(m_irq_vector) <= NUM_QP)
    else $error("SVA m_irq: vector %0d names no queue pair and is not the error vector", m_irq_vector);
endmodule

`default_nettype wire
