// Self-checking testbench of cpl_rr_arbiter: for N = 5 (not a power of two)
// and N = 1 every request pattern at every priority index, and for N = 16
// and N = 17 (the CQ writer's and the interrupt block's at 16 queue pairs:
// requesters further apart than the prefix OR's shorter steps) 1,000
// patterns at every priority index,
// are compared with the round-robin rule written the slow way: the first
// requester at or after prio, wrapping around; next_prio the index after the
// winner; grant_oh the winner's bit alone (0 without a request).
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
  logic [16:0] req17, oh17;
  logic [4:0] prio17, grant17, next17;
  logic valid17;
  logic [15:0] req16, oh16;
  logic [3:0] prio16, grant16, next16;
  logic valid16;
  int checks = 0;

  cpl_rr_arbiter #(.N(5), .IW(3)) dut5 (
      .req(req5), .prio(prio5), .grant_valid(valid5), .grant(grant5), .grant_oh(oh5),
      .next_prio(next5));
  cpl_rr_arbiter #(.N(16), .IW(4)) dut16 (
      .req(req16), .prio(prio16), .grant_valid(valid16), .grant(grant16), .grant_oh(oh16),
      .next_prio(next16));
  cpl_rr_arbiter #(.N(17), .IW(5)) dut17 (
      .req(req17), .prio(prio17), .grant_valid(valid17), .grant(grant17), .grant_oh(oh17),
      .next_prio(next17));
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


  // N = 16 or 17: r holds the requests in its low N bits
  task automatic check_wide(input int n, input logic [31:0] r, input int p);
    int exp_grant;
    logic valid;
    logic [31:0] oh, grant, next;
    exp_grant = -1;
    for (int k = n - 1; k >= 0; k--) if (r[(p + k) % n]) exp_grant = (p + k) % n;
    if (n == 16) begin
      req16 = r[15:0];
      prio16 = 4'(p);
    end else begin
      req17 = r[16:0];
      prio17 = 5'(p);
    end
    #1;
    valid = n == 16 ? valid16 : valid17;
    oh = n == 16 ? 32'(oh16) : 32'(oh17);
    grant = n == 16 ? 32'(grant16) : 32'(grant17);
    next = n == 16 ? 32'(next16) : 32'(next17);
    if (valid !== (exp_grant >= 0) || oh !== (exp_grant >= 0 ? 32'd1 << exp_grant : 32'd0) ||
        (exp_grant >= 0 && (grant != exp_grant || next != (exp_grant + 1) % n)))
      $fatal(1, "tb_cpl_rr_arbiter: N=%0d req=%b prio=%0d valid=%b grant=%0d oh=%b next=%0d expected %0d",
             n, r, p, valid, grant, oh, next, exp_grant);
    checks++;
  endtask

  initial begin
    logic [31:0] lfsr;
    logic [16:0] pattern;
    lfsr = 32'hACE1_2024;
    for (int p = 0; p < 17; p++)
      for (int n = 0; n < 1000; n++) begin
        // a Galois LFSR; every other pattern keeps about one requester in 8
        lfsr = {1'b0, lfsr[31:1]} ^ (lfsr[0] ? 32'h8020_0003 : 32'd0);
        pattern = n % 2 == 0 ? 17'(lfsr) & 17'(lfsr >> 7) & 17'(lfsr >> 13) : 17'(lfsr);
        check_wide(17, 32'(pattern), p);
        if (p < 16) check_wide(16, 32'(pattern[15:0]), p);
      end
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
