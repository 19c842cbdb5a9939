// Replays a port recording of the Verilated cpl_engine (bench/port_recorder.h)
// on the same RTL under Icarus Verilog and compares the outputs cycle by
// cycle.
//
//   iverilog -g2012 -I<repo> -s replay_tb -o replay.vvp bench/replay_tb.sv rtl/*.sv
//   vvp -n replay.vvp +rec=FILE [+show=N]
//
// Each line of FILE holds the inputs driven in one cycle and the outputs
// seen after that cycle's rising edge (two hex numbers, ports concatenated
// MSB first in port_recorder.cpp's order). Before the first line the bench
// holds rst high with every input 0 for RESET_CYCLES edges, as EngineModel
// does. Handshake signals (valid, ready) are compared every cycle, payloads
// only while their valid is high in the recording (payloads are don't-care
// otherwise, and registers without reset are X under Icarus). Any
// difference, X or Z included, is a mismatch. Prints
// "replay: cycles N mismatches M" at the end.
`timescale 1ns / 1ps
`default_nettype none

module replay_tb;

  localparam int IN_W = 223;
  localparam int OUT_W = 356;
  localparam int RESET_CYCLES = 4;

  logic clk = 1'b0;
  logic [IN_W-1:0] vin = '0;
  logic [OUT_W-1:0] expected = '0;

  // Inputs, unpacked from vin.
  wire rst;
  wire [15:0] s_axil_awaddr;
  wire s_axil_awvalid;
  wire [31:0] s_axil_wdata;
  wire [3:0] s_axil_wstrb;
  wire s_axil_wvalid;
  wire s_axil_bready;
  wire [15:0] s_axil_araddr;
  wire s_axil_arvalid;
  wire s_axil_rready;
  wire m_axi_awready;
  wire m_axi_wready;
  wire [3:0] m_axi_bid;
  wire [1:0] m_axi_bresp;
  wire m_axi_bvalid;
  wire m_axi_arready;
  wire [3:0] m_axi_rid;
  wire [63:0] m_axi_rdata;
  wire [1:0] m_axi_rresp;
  wire m_axi_rlast;
  wire m_axi_rvalid;
  wire m_work_ready;
  wire s_evt_valid;
  wire [63:0] s_evt_data;
  wire m_irq_ready;
  assign {rst, s_axil_awaddr, s_axil_awvalid, s_axil_wdata, s_axil_wstrb, s_axil_wvalid, s_axil_bready, s_axil_araddr, s_axil_arvalid, s_axil_rready, m_axi_awready, m_axi_wready, m_axi_bid, m_axi_bresp, m_axi_bvalid, m_axi_arready, m_axi_rid, m_axi_rdata, m_axi_rresp, m_axi_rlast, m_axi_rvalid, m_work_ready, s_evt_valid, s_evt_data, m_irq_ready} = vin;

  // Outputs of the design under replay.
  wire s_axil_awready;
  wire s_axil_wready;
  wire [1:0] s_axil_bresp;
  wire s_axil_bvalid;
  wire s_axil_arready;
  wire [31:0] s_axil_rdata;
  wire [1:0] s_axil_rresp;
  wire s_axil_rvalid;
  wire [3:0] m_axi_awid;
  wire [63:0] m_axi_awaddr;
  wire [7:0] m_axi_awlen;
  wire [2:0] m_axi_awsize;
  wire [1:0] m_axi_awburst;
  wire m_axi_awvalid;
  wire [63:0] m_axi_wdata;
  wire [7:0] m_axi_wstrb;
  wire m_axi_wlast;
  wire m_axi_wvalid;
  wire m_axi_bready;
  wire [3:0] m_axi_arid;
  wire [63:0] m_axi_araddr;
  wire [7:0] m_axi_arlen;
  wire [2:0] m_axi_arsize;
  wire [1:0] m_axi_arburst;
  wire m_axi_arvalid;
  wire m_axi_rready;
  wire m_work_valid;
  wire [63:0] m_work_data;
  wire s_evt_ready;
  wire m_irq_valid;
  wire [7:0] m_irq_vector;

  // Outputs of the recording.
  wire e_s_axil_awready;
  wire e_s_axil_wready;
  wire [1:0] e_s_axil_bresp;
  wire e_s_axil_bvalid;
  wire e_s_axil_arready;
  wire [31:0] e_s_axil_rdata;
  wire [1:0] e_s_axil_rresp;
  wire e_s_axil_rvalid;
  wire [3:0] e_m_axi_awid;
  wire [63:0] e_m_axi_awaddr;
  wire [7:0] e_m_axi_awlen;
  wire [2:0] e_m_axi_awsize;
  wire [1:0] e_m_axi_awburst;
  wire e_m_axi_awvalid;
  wire [63:0] e_m_axi_wdata;
  wire [7:0] e_m_axi_wstrb;
  wire e_m_axi_wlast;
  wire e_m_axi_wvalid;
  wire e_m_axi_bready;
  wire [3:0] e_m_axi_arid;
  wire [63:0] e_m_axi_araddr;
  wire [7:0] e_m_axi_arlen;
  wire [2:0] e_m_axi_arsize;
  wire [1:0] e_m_axi_arburst;
  wire e_m_axi_arvalid;
  wire e_m_axi_rready;
  wire e_m_work_valid;
  wire [63:0] e_m_work_data;
  wire e_s_evt_ready;
  wire e_m_irq_valid;
  wire [7:0] e_m_irq_vector;
  assign {e_s_axil_awready, e_s_axil_wready, e_s_axil_bresp, e_s_axil_bvalid, e_s_axil_arready, e_s_axil_rdata, e_s_axil_rresp, e_s_axil_rvalid, e_m_axi_awid, e_m_axi_awaddr, e_m_axi_awlen, e_m_axi_awsize, e_m_axi_awburst, e_m_axi_awvalid, e_m_axi_wdata, e_m_axi_wstrb, e_m_axi_wlast, e_m_axi_wvalid, e_m_axi_bready, e_m_axi_arid, e_m_axi_araddr, e_m_axi_arlen, e_m_axi_arsize, e_m_axi_arburst, e_m_axi_arvalid, e_m_axi_rready, e_m_work_valid, e_m_work_data, e_s_evt_ready, e_m_irq_valid, e_m_irq_vector} = expected;

  cpl_engine dut (
      .clk(clk),
      .rst(rst),
      .s_axil_awaddr(s_axil_awaddr),
      .s_axil_awvalid(s_axil_awvalid),
      .s_axil_wdata(s_axil_wdata),
      .s_axil_wstrb(s_axil_wstrb),
      .s_axil_wvalid(s_axil_wvalid),
      .s_axil_bready(s_axil_bready),
      .s_axil_araddr(s_axil_araddr),
      .s_axil_arvalid(s_axil_arvalid),
      .s_axil_rready(s_axil_rready),
      .m_axi_awready(m_axi_awready),
      .m_axi_wready(m_axi_wready),
      .m_axi_bid(m_axi_bid),
      .m_axi_bresp(m_axi_bresp),
      .m_axi_bvalid(m_axi_bvalid),
      .m_axi_arready(m_axi_arready),
      .m_axi_rid(m_axi_rid),
      .m_axi_rdata(m_axi_rdata),
      .m_axi_rresp(m_axi_rresp),
      .m_axi_rlast(m_axi_rlast),
      .m_axi_rvalid(m_axi_rvalid),
      .m_work_ready(m_work_ready),
      .s_evt_valid(s_evt_valid),
      .s_evt_data(s_evt_data),
      .m_irq_ready(m_irq_ready),
      .s_axil_awready(s_axil_awready),
      .s_axil_wready(s_axil_wready),
      .s_axil_bresp(s_axil_bresp),
      .s_axil_bvalid(s_axil_bvalid),
      .s_axil_arready(s_axil_arready),
      .s_axil_rdata(s_axil_rdata),
      .s_axil_rresp(s_axil_rresp),
      .s_axil_rvalid(s_axil_rvalid),
      .m_axi_awid(m_axi_awid),
      .m_axi_awaddr(m_axi_awaddr),
      .m_axi_awlen(m_axi_awlen),
      .m_axi_awsize(m_axi_awsize),
      .m_axi_awburst(m_axi_awburst),
      .m_axi_awvalid(m_axi_awvalid),
      .m_axi_wdata(m_axi_wdata),
      .m_axi_wstrb(m_axi_wstrb),
      .m_axi_wlast(m_axi_wlast),
      .m_axi_wvalid(m_axi_wvalid),
      .m_axi_bready(m_axi_bready),
      .m_axi_arid(m_axi_arid),
      .m_axi_araddr(m_axi_araddr),
      .m_axi_arlen(m_axi_arlen),
      .m_axi_arsize(m_axi_arsize),
      .m_axi_arburst(m_axi_arburst),
      .m_axi_arvalid(m_axi_arvalid),
      .m_axi_rready(m_axi_rready),
      .m_work_valid(m_work_valid),
      .m_work_data(m_work_data),
      .s_evt_ready(s_evt_ready),
      .m_irq_valid(m_irq_valid),
      .m_irq_vector(m_irq_vector)
  );

  longint cycles = 0;
  longint mismatches = 0;
  int show = 10;

  task automatic check(input string name, input logic [63:0] got, input logic [63:0] want,
                       input logic qualified);
    if (qualified && got !== want) begin
      mismatches++;
      if (mismatches <= show)
        $display("replay: cycle %0d %s = %h, recorded %h", cycles, name, got, want);
    end
  endtask

  task automatic compare;
    check("s_axil_awready", 64'(s_axil_awready), 64'(e_s_axil_awready), 1'b1);
    check("s_axil_wready", 64'(s_axil_wready), 64'(e_s_axil_wready), 1'b1);
    check("s_axil_bresp", 64'(s_axil_bresp), 64'(e_s_axil_bresp), e_s_axil_bvalid === 1'b1);
    check("s_axil_bvalid", 64'(s_axil_bvalid), 64'(e_s_axil_bvalid), 1'b1);
    check("s_axil_arready", 64'(s_axil_arready), 64'(e_s_axil_arready), 1'b1);
    check("s_axil_rdata", 64'(s_axil_rdata), 64'(e_s_axil_rdata), e_s_axil_rvalid === 1'b1);
    check("s_axil_rresp", 64'(s_axil_rresp), 64'(e_s_axil_rresp), e_s_axil_rvalid === 1'b1);
    check("s_axil_rvalid", 64'(s_axil_rvalid), 64'(e_s_axil_rvalid), 1'b1);
    check("m_axi_awid", 64'(m_axi_awid), 64'(e_m_axi_awid), e_m_axi_awvalid === 1'b1);
    check("m_axi_awaddr", 64'(m_axi_awaddr), 64'(e_m_axi_awaddr), e_m_axi_awvalid === 1'b1);
    check("m_axi_awlen", 64'(m_axi_awlen), 64'(e_m_axi_awlen), e_m_axi_awvalid === 1'b1);
    check("m_axi_awsize", 64'(m_axi_awsize), 64'(e_m_axi_awsize), e_m_axi_awvalid === 1'b1);
    check("m_axi_awburst", 64'(m_axi_awburst), 64'(e_m_axi_awburst), e_m_axi_awvalid === 1'b1);
    check("m_axi_awvalid", 64'(m_axi_awvalid), 64'(e_m_axi_awvalid), 1'b1);
    check("m_axi_wdata", 64'(m_axi_wdata), 64'(e_m_axi_wdata), e_m_axi_wvalid === 1'b1);
    check("m_axi_wstrb", 64'(m_axi_wstrb), 64'(e_m_axi_wstrb), e_m_axi_wvalid === 1'b1);
    check("m_axi_wlast", 64'(m_axi_wlast), 64'(e_m_axi_wlast), e_m_axi_wvalid === 1'b1);
    check("m_axi_wvalid", 64'(m_axi_wvalid), 64'(e_m_axi_wvalid), 1'b1);
    check("m_axi_bready", 64'(m_axi_bready), 64'(e_m_axi_bready), 1'b1);
    check("m_axi_arid", 64'(m_axi_arid), 64'(e_m_axi_arid), e_m_axi_arvalid === 1'b1);
    check("m_axi_araddr", 64'(m_axi_araddr), 64'(e_m_axi_araddr), e_m_axi_arvalid === 1'b1);
    check("m_axi_arlen", 64'(m_axi_arlen), 64'(e_m_axi_arlen), e_m_axi_arvalid === 1'b1);
    check("m_axi_arsize", 64'(m_axi_arsize), 64'(e_m_axi_arsize), e_m_axi_arvalid === 1'b1);
    check("m_axi_arburst", 64'(m_axi_arburst), 64'(e_m_axi_arburst), e_m_axi_arvalid === 1'b1);
    check("m_axi_arvalid", 64'(m_axi_arvalid), 64'(e_m_axi_arvalid), 1'b1);
    check("m_axi_rready", 64'(m_axi_rready), 64'(e_m_axi_rready), 1'b1);
    check("m_work_valid", 64'(m_work_valid), 64'(e_m_work_valid), 1'b1);
    check("m_work_data", 64'(m_work_data), 64'(e_m_work_data), e_m_work_valid === 1'b1);
    check("s_evt_ready", 64'(s_evt_ready), 64'(e_s_evt_ready), 1'b1);
    check("m_irq_valid", 64'(m_irq_valid), 64'(e_m_irq_valid), 1'b1);
    check("m_irq_vector", 64'(m_irq_vector), 64'(e_m_irq_vector), e_m_irq_valid === 1'b1);
  endtask

  // One cycle as EngineModel::tick() steps it: inputs applied with clk low,
  // rising edge, outputs sampled after it, clk low again.
  task automatic edge_cycle;
    #1 clk = 1'b1;
    #1;
  endtask

  initial begin
    string path;
    int fd;
    int n;
    logic [IN_W-1:0] next_in;
    logic [OUT_W-1:0] next_out;
    if (!$value$plusargs("rec=%s", path)) begin
      $display("replay: error: no recording given (+rec=FILE)");
      $finish;
    end
    if ($value$plusargs("show=%d", n)) show = n;
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("replay: error: cannot open %s", path);
      $finish;
    end
    vin = '0;
    vin[IN_W-1] = 1'b1;  // rst
    repeat (RESET_CYCLES) begin
      #1;
      edge_cycle();
      clk = 1'b0;
    end
    vin = '0;
    n = $fscanf(fd, "%h %h\n", next_in, next_out);
    while (n == 2) begin
      vin = next_in;
      expected = next_out;
      #1;
      edge_cycle();
      compare();
      clk = 1'b0;
      cycles++;
      n = $fscanf(fd, "%h %h\n", next_in, next_out);
    end
    $fclose(fd);
    $display("replay: cycles %0d mismatches %0d", cycles, mismatches);
    $finish;
  end
endmodule

`default_nettype wire
