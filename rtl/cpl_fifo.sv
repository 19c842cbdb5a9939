// Small synchronous FIFO between two valid/ready streams.
// Interfaces: s_* in, m_* out. m_data comes straight from storage, so it is
// stable while m_valid && !m_ready. DEPTH is a power of two.
`default_nettype none

module cpl_fifo #(
    parameter int WIDTH = 64,
    parameter int DEPTH = 4
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              s_valid,
    output logic             s_ready,
    input  wire [WIDTH-1:0]  s_data,
    output logic             m_valid,
    input  wire              m_ready,
    output logic [WIDTH-1:0] m_data
);
`include "rtl/cpl_check.svh"
  localparam int AW = $clog2(DEPTH);
  `CPL_CHECK(DEPTH >= 2 && (1 << AW) == DEPTH && WIDTH >= 1, g_param_check)

  logic [WIDTH-1:0] mem[DEPTH];
  logic [AW:0] wr_ptr, rd_ptr;

  always_comb begin : b_flags
    logic s_ready_l;
    logic m_valid_l;
    logic [WIDTH-1:0] m_data_l;
    // full: the write pointer is a lap ahead (same index, other wrap bit);
    // an equality, not a subtraction, so no carry chain
    s_ready_l = wr_ptr != {~rd_ptr[AW], rd_ptr[AW-1:0]};
    m_valid_l = wr_ptr != rd_ptr;
    m_data_l  = mem[rd_ptr[AW-1:0]];
    s_ready = s_ready_l;
    m_valid = m_valid_l;
    m_data = m_data_l;
  end

  always_ff @(posedge clk) begin
    if (s_valid && s_ready) mem[wr_ptr[AW-1:0]] <= s_data;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      wr_ptr <= '0;
      rd_ptr <= '0;
    end else begin
      if (s_valid && s_ready) wr_ptr <= wr_ptr + 1'b1;
      if (m_valid && m_ready) rd_ptr <= rd_ptr + 1'b1;
    end
  end
endmodule

`default_nettype wire
