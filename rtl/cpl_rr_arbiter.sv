// Round-robin arbiter by rotate-and-mask: the requests at or after the
// priority index are masked in first; the lowest of those wins, else the
// lowest request overall. The lowest set bit of each (a bit set with no set
// bit below it; the bits below come from a prefix OR in log2(N) steps of
// shifts, no carry chain and no priority chain) is the grant in one-hot
// form; its index and the index after it are OR-encoded from that.
// Combinational; the owner keeps the priority index in a register and loads
// next_prio when it takes the grant. (The SQ fetcher forms the same choice
// with cpl_pkg::rr_pick inside its clock edge.)
// Interfaces: req (one bit per requester), prio (first index to consider),
// grant_valid/grant/grant_oh (the winner, as an index and one-hot; grant_oh
// is 0 without a request), next_prio (the index after the winner).
`default_nettype none

module cpl_rr_arbiter #(
    parameter int N = 4,
    parameter int IW = 2
) (
    input  wire  [N-1:0]  req,
    input  wire  [IW-1:0] prio,
    output logic          grant_valid,
    output logic [IW-1:0] grant,
    output logic [N-1:0]  grant_oh,
    output logic [IW-1:0] next_prio
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(N >= 1 && (1 << IW) >= N, g_param_check)
  localparam int STEPS = $clog2(N);   // prefix-OR steps: shifts 1, 2, 4, ...

  // bit i: some bit of x at or below i is set (a prefix OR upwards)
  function automatic logic [N-1:0] upto(input logic [N-1:0] x);
    upto = x;
    for (int k = 0; k < STEPS; k++) upto = upto | (upto << (1 << k));
  endfunction

  always_comb begin : b_pick
    int i;
    logic [N-1:0] masked_l;   // the requests at or after prio
    logic [N-1:0] oh_l;
    logic [IW-1:0] grant_l, next_l;
    masked_l = req & upto(N'(1) << prio);
    // the lowest set bit: set, with no set bit below it
    oh_l = masked_l != '0 ? masked_l & ~(upto(masked_l) << 1) : req & ~(upto(req) << 1);
    grant_l = '0;
    next_l = '0;
    for (i = 0; i < N; i++) begin
      grant_l = grant_l | ({IW{oh_l[i]}} & IW'(i));
      next_l = next_l | ({IW{oh_l[i]}} & IW'((i + 1) % N));   // the winner's successor
    end
    grant_valid = req != '0;
    grant_oh = oh_l;
    grant = grant_l;
    next_prio = next_l;
  end
endmodule

`default_nettype wire
