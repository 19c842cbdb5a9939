// Checker of one valid/ready channel (a stream or an AXI channel): once
// valid is raised it stays raised until ready, and the payload does not
// change while the transfer is stalled. Instantiated by the port checkers
// of this folder; compiled only into the Verilated libraries (--assert).
`default_nettype none

module sva_stream #(
    parameter int W = 1,
    parameter string NAME = "stream"
) (
    input wire         clk,
    input wire         rst,
    input wire         valid,
    input wire         ready,
    input wire [W-1:0] data
);
  a_valid_held : assert property (@(posedge clk) disable iff (rst)
      valid && !ready |=> valid)
    else $error("SVA %s: valid dropped before ready", NAME);

  a_payload_stable : assert property (@(posedge clk) disable iff (rst)
      valid && !ready |=> $stable(data))
    else $error("SVA %s: payload changed while stalled", NAME);
endmodule

`default_nettype wire
