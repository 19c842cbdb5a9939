// Connection-list links: one word per request-table slot, written when a
// request is appended behind the slot (the old tail of its list) and read
// when the slot leaves the head. The word carries what the connection word
// needs about the successor once the slot is gone: its slot number, its
// metadata (failed, fail status, posting sequence number: cpl_matcher's
// req_meta_t) and its length word (NO_PUSH, length: req_len_t). The
// connection word holds the same fields of each list's head, so a matcher
// step reads this memory once, at the head it works on.
// Interfaces: one write port (append behind a tail), one asynchronous read
// port (the worked head). One writer, one reader: Yosys infers a $mem that
// synth_xilinx maps to LUTRAM.
`default_nettype none

module cpl_req_link #(
    parameter int TBL = 288,
    parameter int SW = 9,
    parameter int WIDTH = 62
) (
    input  wire              clk,
    input  wire              we,
    input  wire  [SW-1:0]    waddr,
    input  wire  [WIDTH-1:0] wdata,
    input  wire  [SW-1:0]    raddr,
    output logic [WIDTH-1:0] rdata
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(TBL >= 2 && (1 << SW) >= TBL && WIDTH >= 1, g_param_check)

  logic [WIDTH-1:0] mem[TBL];

  always_ff @(posedge clk) begin : p_write
    if (we) mem[waddr] <= wdata;
  end

  assign rdata = mem[raddr];
endmodule

`default_nettype wire
