// Shared by the testbenches of the valid/ready stages (cpl_fifo,
// cpl_out_reg); included inside the module body (from the repository root:
// `include "tests/rtl_blocks/tb_stream_stage.svh") after the localparams
// WIDTH and FIRST_WORD. The stage's ports, a source that offers the words
// FIRST_WORD, FIRST_WORD + 1, ... and keeps each offered until taken, and
// the valid/ready rule on the output: m_valid && !m_ready holds m_valid and
// m_data into the next cycle.
  logic clk = 1'b0;
  logic rst = 1'b1;
  logic s_valid = 1'b0;
  logic s_ready;
  logic [WIDTH-1:0] s_data = '0;
  logic m_valid;
  logic m_ready = 1'b0;
  logic [WIDTH-1:0] m_data;

  logic [WIDTH-1:0] next_word = FIRST_WORD;
  logic held_valid = 1'b0;
  logic src_waiting = 1'b0;
  logic [WIDTH-1:0] held_data;

  // At the falling edge: the source offers its next word if `push` and none
  // is waiting, the sink takes if `pop`; then the outputs settle.
  task automatic drive(input logic push, input logic pop);
    @(negedge clk);
    if (!src_waiting) begin
      s_valid = push;
      if (push) begin
        s_data = next_word;
        next_word = next_word + 1'b1;
      end
    end
    m_ready = pop;
    #1;
  endtask

  // Checks the output against the last cycle's (valid && !ready holds it),
  // then keeps this cycle's handshake state for the next.
  task automatic hold_rule;
    if (held_valid && (!m_valid || m_data !== held_data))
      $fatal(1, "%m: output changed while valid && !ready");
    held_valid = m_valid && !m_ready;
    src_waiting = s_valid && !s_ready;
    held_data = m_data;
  endtask
