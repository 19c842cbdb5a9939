// Checker of a valid/ready FIFO (cpl_fifo ports): keeps its own count and
// copy of the words in flight. No overflow (a push only while fewer than
// DEPTH words are held, counting a pop in the same cycle), no underflow
// (m_valid only while a word is held), words leave in the order they came,
// and the output side keeps valid and data while stalled.
`default_nettype none

module sva_fifo #(
    parameter int WIDTH = 64,
    parameter int DEPTH = 4,
    parameter string NAME = "fifo"
) (
    input wire             clk,
    input wire             rst,
    input wire             s_valid,
    input wire             s_ready,
    input wire [WIDTH-1:0] s_data,
    input wire             m_valid,
    input wire             m_ready,
    input wire [WIDTH-1:0] m_data
);
  localparam int CW = $clog2(DEPTH + 2) + 1;
  logic [CW-1:0]    count_q;
  logic [WIDTH-1:0] copy_q[DEPTH + 1];
  logic             push, pop;
  logic [WIDTH-1:0] oldest;
  assign oldest = copy_q[0];
  assign push = s_valid && s_ready;
  assign pop = m_valid && m_ready;

  always_ff @(posedge clk) begin
    if (rst) begin
      count_q <= '0;
    end else begin
      count_q <= count_q + CW'(push) - CW'(pop);
    end
  end
  // copy_q[0] is the oldest word held.
  always_ff @(posedge clk) begin : p_copy
    int i;
    if (!rst) begin
      for (i = 0; i < DEPTH; i++) begin
        if (pop) copy_q[i] <= copy_q[i + 1];
      end
      if (push) copy_q[32'(count_q) - 32'(pop)] <= s_data;
    end
  end

  a_no_overflow : assert property (@(posedge clk) disable iff (rst)
      push |-> 32'(count_q) - 32'(pop) < DEPTH)
    else $error("SVA %s: push into a full FIFO (%0d words held)", NAME, count_q);
  a_no_underflow : assert property (@(posedge clk) disable iff (rst)
      m_valid |-> count_q != '0)
    else $error("SVA %s: m_valid while the FIFO holds no word", NAME);
  a_order : assert property (@(posedge clk) disable iff (rst)
      m_valid && count_q != '0 |-> m_data == oldest)
    else $error("SVA %s: output word is not the oldest word pushed", NAME);

  sva_stream #(.W(WIDTH), .NAME(NAME)) u_out (
      .clk, .rst, .valid(m_valid), .ready(m_ready), .data(m_data));
endmodule

`default_nettype wire
