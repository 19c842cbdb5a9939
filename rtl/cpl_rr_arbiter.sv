// Round-robin arbiter by rotate-and-mask: the requests at or after the
// priority index are masked in first; the lowest of those wins, else the
// lowest request overall. Combinational; the owner keeps the priority index
// in a register and loads next_prio when it takes the grant.
// Interfaces: req (one bit per requester), prio (first index to consider),
// grant_valid/grant (the winner), next_prio (the index after the winner).
`default_nettype none

module cpl_rr_arbiter #(
    parameter int N = 4,
    parameter int IW = 2
) (
    input  wire  [N-1:0]  req,
    input  wire  [IW-1:0] prio,
    output logic          grant_valid,
    output logic [IW-1:0] grant,
    output logic [IW-1:0] next_prio
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(N >= 1 && (1 << IW) >= N, g_param_check)

  always_comb begin : b_pick
    int i;
    logic [N-1:0] masked_l;
    logic masked_any_l;
    logic [IW-1:0] first_l;
    logic [IW-1:0] first_masked_l;
    for (i = 0; i < N; i++) masked_l[i] = req[i] && IW'(i) >= prio;
    masked_any_l = masked_l != '0;
    first_l = '0;
    first_masked_l = '0;
    for (i = N - 1; i >= 0; i--) begin
      if (req[i]) first_l = IW'(i);
      if (masked_l[i]) first_masked_l = IW'(i);
    end
    grant_valid = req != '0;
    grant = masked_any_l ? first_masked_l : first_l;
    next_prio = (masked_any_l ? first_masked_l : first_l) == IW'(N - 1) ? '0 :
                (masked_any_l ? first_masked_l : first_l) + 1'b1;
  end
endmodule

`default_nettype wire
