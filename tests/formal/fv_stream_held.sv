// The valid/ready rule on one stream, for the property modules: while
// `live` (past the first cycle and out of reset) in this cycle and the one
// before, a word offered and not taken in the cycle before is offered
// again, unchanged.
`default_nettype none

module fv_stream_held #(
    parameter int WIDTH = 1
) (
    input wire             clk,
    input wire             live,
    input wire             valid,
    input wire             ready,
    input wire [WIDTH-1:0] data
);
  always_ff @(posedge clk) begin : p_held
    if (live && $past(live) && $past(valid && !ready))
      a_held: assert (valid && data == $past(data));
  end
endmodule

`default_nettype wire
