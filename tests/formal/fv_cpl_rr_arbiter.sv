// Formal properties of cpl_rr_arbiter (combinational): for every request
// vector and every priority index a requester can hand back (prio < N), the
// grant is the first requester at or after prio, cyclically; grant_oh is
// that grant in one-hot form (0 without a request); next_prio is the index
// after the grant. For N <= 16 the arbiter also equals cpl_pkg::rr_pick, the
// same choice as the SQ fetcher forms it in its clock edge.
`default_nettype none

module fv_cpl_rr_arbiter #(
    parameter int N = 5,
    parameter int IW = 3
) (
    input wire [N-1:0]  req,
    input wire [IW-1:0] prio
);
  logic          grant_valid;
  logic [IW-1:0] grant;
  logic [N-1:0]  grant_oh;
  logic [IW-1:0] next_prio;

  cpl_rr_arbiter #(.N(N), .IW(IW)) dut (
      .req, .prio, .grant_valid, .grant, .grant_oh, .next_prio);

  // cyclic distance from prio to requester k (both below N)
  function automatic logic [IW:0] dist(input logic [IW:0] k);
    dist = k >= (IW + 1)'(prio) ? k - (IW + 1)'(prio) : k + (IW + 1)'(N) - (IW + 1)'(prio);
  endfunction

  always_comb begin : b_props
    int k;
    logic [cpl_pkg::RR_W-1:0] ref_l;
    logic earlier_l;
    assume (32'(prio) < N);
    earlier_l = 1'b0;   // a requester between prio and the grant, cyclically
    for (k = 0; k < N; k++) earlier_l = earlier_l | (req[k] && dist((IW + 1)'(k)) < dist((IW + 1)'(grant)));
    ref_l = cpl_pkg::rr_pick(16'(req), 4'(prio), N);
    a_valid: assert (grant_valid == (req != '0));
    if (req != '0) begin
      a_range: assert (32'(grant) < N);
      a_requester: assert (req[grant]);
      a_onehot: assert (grant_oh == (N'(1) << grant));
      a_next: assert (32'(next_prio) == (32'(grant) == N - 1 ? 0 : 32'(grant) + 1));
      a_first: assert (!earlier_l);
    end else begin
      a_none: assert (grant_oh == '0);
    end
    if (N <= 16) begin
      a_pkg_valid: assert (ref_l[8] == grant_valid);
      if (grant_valid) a_pkg_pick: assert (ref_l[7:0] == {4'(grant), 4'(next_prio)});
    end
  end
endmodule

`default_nettype wire
