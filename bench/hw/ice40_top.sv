// Fmax wrapper of cpl_engine for nextpnr (scripts/hw-figures.sh): the
// engine's ports stay inside the chip, so the pin count does not limit the
// placement. Every input comes from a shift register fed by a 32-bit LFSR
// (IN_W bits, one new bit per cycle), every output is XOR-reduced into one
// flip-flop that drives the only output pin. All engine logic stays live.
`default_nettype none

module ice40_top #(
    parameter int NUM_CONN  = 16,
    parameter int NUM_QP    = 2,
    parameter int REQ_SLOTS = 16
) (
    input  wire  clk,
    output logic out
);
  localparam int IN_W = 223;
  localparam int OUT_W = 356;

  // No reset and no initial value: an all-zero LFSR (its power-up state)
  // restarts at 1.
  logic [31:0]     lfsr;
  logic [IN_W-1:0] vin;
  always_ff @(posedge clk) begin
    lfsr <= lfsr == '0 ? 32'h1 : {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};
    vin  <= {vin[IN_W-2:0], lfsr[31]};
  end

  wire [OUT_W-1:0] vout;
  cpl_engine #(
      .NUM_CONN (NUM_CONN),
      .NUM_QP   (NUM_QP),
      .REQ_SLOTS(REQ_SLOTS)
  ) u_engine (
      .clk           (clk),
      .rst           (vin[222]),
      .s_axil_awaddr (vin[221:206]),
      .s_axil_awvalid(vin[205]),
      .s_axil_awready(vout[0]),
      .s_axil_wdata  (vin[204:173]),
      .s_axil_wstrb  (vin[172:169]),
      .s_axil_wvalid (vin[168]),
      .s_axil_wready (vout[1]),
      .s_axil_bresp  (vout[3:2]),
      .s_axil_bvalid (vout[4]),
      .s_axil_bready (vin[167]),
      .s_axil_araddr (vin[166:151]),
      .s_axil_arvalid(vin[150]),
      .s_axil_arready(vout[5]),
      .s_axil_rdata  (vout[37:6]),
      .s_axil_rresp  (vout[39:38]),
      .s_axil_rvalid (vout[40]),
      .s_axil_rready (vin[149]),
      .m_axi_awid    (vout[44:41]),
      .m_axi_awaddr  (vout[108:45]),
      .m_axi_awlen   (vout[116:109]),
      .m_axi_awsize  (vout[119:117]),
      .m_axi_awburst (vout[121:120]),
      .m_axi_awvalid (vout[122]),
      .m_axi_awready (vin[148]),
      .m_axi_wdata   (vout[186:123]),
      .m_axi_wstrb   (vout[194:187]),
      .m_axi_wlast   (vout[195]),
      .m_axi_wvalid  (vout[196]),
      .m_axi_wready  (vin[147]),
      .m_axi_bid     (vin[146:143]),
      .m_axi_bresp   (vin[142:141]),
      .m_axi_bvalid  (vin[140]),
      .m_axi_bready  (vout[197]),
      .m_axi_arid    (vout[201:198]),
      .m_axi_araddr  (vout[265:202]),
      .m_axi_arlen   (vout[273:266]),
      .m_axi_arsize  (vout[276:274]),
      .m_axi_arburst (vout[278:277]),
      .m_axi_arvalid (vout[279]),
      .m_axi_arready (vin[139]),
      .m_axi_rid     (vin[138:135]),
      .m_axi_rdata   (vin[134:71]),
      .m_axi_rresp   (vin[70:69]),
      .m_axi_rlast   (vin[68]),
      .m_axi_rvalid  (vin[67]),
      .m_axi_rready  (vout[280]),
      .m_work_valid  (vout[281]),
      .m_work_ready  (vin[66]),
      .m_work_data   (vout[345:282]),
      .s_evt_valid   (vin[65]),
      .s_evt_ready   (vout[346]),
      .s_evt_data    (vin[64:1]),
      .m_irq_valid   (vout[347]),
      .m_irq_ready   (vin[0]),
      .m_irq_vector  (vout[355:348])
  );

  always_ff @(posedge clk) out <= ^vout;
endmodule
