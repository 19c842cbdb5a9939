// Completion engine top level (PRM 1.0). PLACEHOLDER: ports only; the
// internals are being written.
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
  // placeholder tie-offs
  assign s_axil_awready = 1'b0;
  assign s_axil_wready = 1'b0;
  assign s_axil_bresp = 2'b00;
  assign s_axil_bvalid = 1'b0;
  assign s_axil_arready = 1'b0;
  assign s_axil_rdata = 32'h0;
  assign s_axil_rresp = 2'b00;
  assign s_axil_rvalid = 1'b0;
  assign m_axi_awid = 4'h0;
  assign m_axi_awaddr = 64'h0;
  assign m_axi_awlen = 8'h0;
  assign m_axi_awsize = 3'd3;
  assign m_axi_awburst = 2'b01;
  assign m_axi_awvalid = 1'b0;
  assign m_axi_wdata = 64'h0;
  assign m_axi_wstrb = 8'hFF;
  assign m_axi_wlast = 1'b0;
  assign m_axi_wvalid = 1'b0;
  assign m_axi_bready = 1'b1;
  assign m_axi_arid = 4'h0;
  assign m_axi_araddr = 64'h0;
  assign m_axi_arlen = 8'h0;
  assign m_axi_arsize = 3'd3;
  assign m_axi_arburst = 2'b01;
  assign m_axi_arvalid = 1'b0;
  assign m_axi_rready = 1'b1;
  assign m_work_valid = 1'b0;
  assign m_work_data = 64'h0;
  assign s_evt_ready = 1'b0;
  assign m_irq_valid = 1'b0;
  assign m_irq_vector = 8'h0;
endmodule

`default_nettype wire
