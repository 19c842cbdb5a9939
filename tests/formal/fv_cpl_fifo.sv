// Formal properties of cpl_fifo against a reference count and a watched
// entry: from reset, for every sequence of valid, ready and data,
// - s_ready is low exactly when DEPTH entries are held, m_valid high
//   exactly when one is;
// - m_data is stable while m_valid && !m_ready;
// - an entry chosen at random as it is written (the watched one) leaves
//   the FIFO with the data it was written with, after exactly the entries
//   written before it: nothing is lost, duplicated or reordered.
`default_nettype none

module fv_cpl_fifo #(
    parameter int WIDTH = 3,
    parameter int DEPTH = 4
) (
    input wire             clk,
    input wire             rst,
    input wire             s_valid,
    input wire [WIDTH-1:0] s_data,
    input wire             m_ready,
    input wire             watch   // choose the entry written in this cycle
);
  logic             s_ready;
  logic             m_valid;
  logic [WIDTH-1:0] m_data;

  cpl_fifo #(.WIDTH(WIDTH), .DEPTH(DEPTH)) dut (
      .clk, .rst, .s_valid, .s_ready, .s_data, .m_valid, .m_ready, .m_data);

  localparam int CW = $clog2(DEPTH + 1) + 1;
  logic [CW-1:0]    count = '0;     // entries held
  logic             watching = 1'b0;
  logic [CW-1:0]    ahead = '0;     // entries in front of the watched one
  logic [WIDTH-1:0] watched = '0;
  logic             past_valid = 1'b0;

  wire push = s_valid && s_ready;
  wire pop = m_valid && m_ready;

  always_comb begin : b_reset_first
    if (!past_valid) assume (rst);
  end

  always_ff @(posedge clk) begin : p_ref
    past_valid <= 1'b1;
    if (rst) begin
      count <= '0;
      watching <= 1'b0;
    end else begin
      count <= count + CW'(push) - CW'(pop);
      if (watching && pop) ahead <= ahead - 1'b1;
      if (watching && pop && ahead == '0) watching <= 1'b0;
      if (push && watch && !watching) begin
        watching <= 1'b1;
        watched <= s_data;
        ahead <= count - CW'(pop);
      end
    end
  end

  always_comb begin : b_props
    if (past_valid && !rst) begin
      a_count: assert (32'(count) <= DEPTH);
      a_ready: assert (s_ready == (32'(count) < DEPTH));
      a_valid: assert (m_valid == (count != '0));
      if (watching) begin
        a_ahead: assert (ahead < count);
        if (ahead == '0) a_data: assert (m_data == watched);
      end
    end
  end

  fv_stream_held #(.WIDTH(WIDTH)) u_out_held (
      .clk, .live(past_valid && !rst), .valid(m_valid), .ready(m_ready), .data(m_data));
endmodule

`default_nettype wire
