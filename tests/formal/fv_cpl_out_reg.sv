// Formal properties of cpl_out_reg, the work port's output register: from
// reset, for every sequence of valid, ready and data, the port shows
// exactly the words taken from its input, each once and in order (a
// one-word reference stage), and a word offered stays offered, unchanged,
// until it is taken. The reference holds the whole state of the stage, so
// the proof is by induction: it holds in every reachable state, not only
// for a number of cycles.
`default_nettype none

module fv_cpl_out_reg #(
    parameter int WIDTH = 3
) (
    input wire             clk,
    input wire             rst,
    input wire             s_valid,
    input wire [WIDTH-1:0] s_data,
    input wire             m_ready
);
  logic             s_ready;
  logic             m_valid;
  logic [WIDTH-1:0] m_data;

  cpl_out_reg #(.WIDTH(WIDTH)) dut (
      .clk, .rst, .s_valid, .s_ready, .s_data, .m_valid, .m_ready, .m_data);

  logic             held = 1'b0;   // a word is offered
  logic [WIDTH-1:0] word = '0;     // ... this one
  logic             past_valid = 1'b0;

  always_comb begin : b_reset_first
    if (!past_valid) assume (rst);
  end

  always_ff @(posedge clk) begin : p_ref
    past_valid <= 1'b1;
    if (rst) begin
      held <= 1'b0;
    end else begin
      if (m_valid && m_ready) held <= 1'b0;
      if (s_valid && s_ready) begin
        held <= 1'b1;
        word <= s_data;
      end
    end
  end

  always_comb begin : b_props
    if (past_valid && !rst) begin
      a_valid: assert (m_valid == held);
      if (held) a_data: assert (m_data == word);
      // a new word is taken only when the offered one leaves now or none is
      a_ready: assert (s_ready == (!held || m_ready));
    end
  end

  fv_stream_held #(.WIDTH(WIDTH)) u_out_held (
      .clk, .live(past_valid && !rst), .valid(m_valid), .ready(m_ready), .data(m_data));
endmodule

`default_nettype wire
