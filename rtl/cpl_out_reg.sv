// Output register of a valid/ready stream that a soft reset does not clear:
// a word already offered (valid && !ready) stays offered until it is taken,
// so a soft reset never breaks the valid/ready rule on the port. Only the
// hard reset clears it.
// Interfaces: s_* in (from a FIFO), m_* out (the port).
`default_nettype none

module cpl_out_reg #(
    parameter int WIDTH = 64
) (
    input  wire              clk,
    input  wire              rst,      // hard reset only
    input  wire              s_valid,
    output logic             s_ready,
    input  wire [WIDTH-1:0]  s_data,
    output logic             m_valid,
    input  wire              m_ready,
    output logic [WIDTH-1:0] m_data
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(WIDTH >= 1, g_param_check)

  logic             valid_q;
  logic [WIDTH-1:0] data_q;

  assign s_ready = !valid_q || m_ready;
  assign m_valid = valid_q;
  assign m_data = data_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= 1'b0;
      data_q <= '0;
    end else if (s_ready) begin
      valid_q <= s_valid;
      if (s_valid) data_q <= s_data;
    end
  end
endmodule

`default_nettype wire
