// Self-checking testbench of cpl_rr_arbiter: for N = 5 (not a power of two)
// and N = 1, every request pattern at every priority index is compared with
// the round-robin rule written the slow way: the first requester at or after
// prio, wrapping around; next_prio the index after the winner; grant_oh
// the winner's bit alone (0 without a request).
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_rr_arbiter;
  logic [4:0] req5;
  logic [2:0] prio5, grant5, next5;
  logic [4:0] oh5;
  logic valid5;
  logic [0:0] req1;
  logic [0:0] prio1, grant1, next1, oh1;
  logic valid1;
  int checks = 0;

  cpl_rr_arbiter #(.N(5), .IW(3)) dut5 (
      .req(req5), .prio(prio5), .grant_valid(valid5), .grant(grant5), .grant_oh(oh5),
      .next_prio(next5));
  cpl_rr_arbiter #(.N(1), .IW(1)) dut1 (
      .req(req1), .prio(prio1), .grant_valid(valid1), .grant(grant1), .grant_oh(oh1),
      .next_prio(next1));

  task automatic check5(input int r, input int p);
    int exp_grant;
    exp_grant = -1;
    for (int k = 4; k >= 0; k--) if (r[(p + k) % 5]) exp_grant = (p + k) % 5;
    req5 = 5'(r);
    prio5 = 3'(p);
    #1;
    if (valid5 !== (exp_grant >= 0)) $fatal(1, "tb_cpl_rr_arbiter: req=%b prio=%0d valid=%b", req5, p, valid5);
    if (exp_grant >= 0 && 32'(grant5) != exp_grant)
      $fatal(1, "tb_cpl_rr_arbiter: req=%b prio=%0d grant=%0d expected %0d", req5, p, grant5, exp_grant);
    if (oh5 !== (exp_grant >= 0 ? 5'(1 << exp_grant) : 5'd0))
      $fatal(1, "tb_cpl_rr_arbiter: req=%b prio=%0d grant_oh=%b expected grant %0d", req5, p, oh5,
             exp_grant);
    if (exp_grant >= 0 && 32'(next5) != (exp_grant + 1) % 5)
      $fatal(1, "tb_cpl_rr_arbiter: grant=%0d next_prio=%0d", grant5, next5);
    checks++;
  endtask

  initial begin
    for (int p = 0; p < 5; p++)
      for (int r = 0; r < 32; r++) check5(r, p);
    for (int r = 0; r < 2; r++) begin
      req1 = 1'(r);
      prio1 = 1'b0;
      #1;
      if (valid1 !== r[0] || oh1 !== r[0] || (r[0] && (grant1 !== 1'b0 || next1 !== 1'b0)))
        $fatal(1, "tb_cpl_rr_arbiter: N=1 req=%0d valid=%b grant=%b next=%b", r, valid1, grant1, next1);
      checks++;
    end
    $display("tb_cpl_rr_arbiter: %0d patterns", checks);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
