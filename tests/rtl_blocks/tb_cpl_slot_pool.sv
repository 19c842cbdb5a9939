// Self-checking testbench of cpl_slot_pool: a busy-bit reference model.
// Directed: exhaust the request slots (the event slots stay available),
// exhaust the event slots (evt_alloc without evt_avail is ignored), free
// four slots in one cycle, free and allocate in the same cycle. Then a
// seeded random phase. Checks every cycle: req_slot is the lowest free
// request slot, req_free_cnt the number of free request slots, evt_avail
// and evt_slot the lowest free event slot, and no slot is handed out twice.
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_slot_pool;
  localparam int REQ_SLOTS = 16;
  localparam int EVT_SLOTS = 4;
  localparam int SW = 5;
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  localparam int SEED = 32'h0051_07a1;

  logic clk = 1'b0;
  logic rst = 1'b1;
  logic req_alloc = 1'b0;
  logic [SW-1:0] req_slot;
  logic [SW:0] req_free_cnt;
  logic evt_alloc = 1'b0;
  logic [SW-1:0] evt_slot;
  logic evt_avail;
  logic [3:0] free_valid = '0;
  logic [4*SW-1:0] free_slot = '0;

  cpl_slot_pool #(.REQ_SLOTS(REQ_SLOTS), .EVT_SLOTS(EVT_SLOTS), .SW(SW)) dut (.*);

  always #5 clk = !clk;
  initial begin
    #500000;
    $fatal(1, "tb_cpl_slot_pool: timeout");
  end

  integer seed = SEED;
  function automatic int unsigned rnd(input int unsigned n);  // 0 .. n-1
    return $urandom(seed) % n;
  endfunction

  logic busy[TBL];
  int allocs = 0, frees = 0, cycles = 0;

  // One cycle: at the falling edge check the outputs against the model, then
  // drive the requests; the model follows at the rising edge. frees lists up
  // to four busy slots to return (-1: lane idle).
  task automatic cycle(input logic ra, input logic ea, input int f0, input int f1, input int f2,
                       input int f3);
    int fl[4];
    int exp_req, exp_evt, exp_cnt;
    fl[0] = f0;
    fl[1] = f1;
    fl[2] = f2;
    fl[3] = f3;
    @(negedge clk);
    exp_req = -1;
    exp_evt = -1;
    exp_cnt = 0;
    for (int i = REQ_SLOTS - 1; i >= 0; i--) if (!busy[i]) begin
      exp_req = i;
      exp_cnt++;
    end
    for (int i = TBL - 1; i >= REQ_SLOTS; i--) if (!busy[i]) exp_evt = i;
    if (32'(req_free_cnt) != exp_cnt)
      $fatal(1, "tb_cpl_slot_pool: req_free_cnt=%0d expected %0d", req_free_cnt, exp_cnt);
    if (exp_req >= 0 && 32'(req_slot) != exp_req)
      $fatal(1, "tb_cpl_slot_pool: req_slot=%0d expected lowest free %0d", req_slot, exp_req);
    if (evt_avail !== (exp_evt >= 0))
      $fatal(1, "tb_cpl_slot_pool: evt_avail=%b expected %b", evt_avail, exp_evt >= 0);
    if (exp_evt >= 0 && 32'(evt_slot) != exp_evt)
      $fatal(1, "tb_cpl_slot_pool: evt_slot=%0d expected lowest free %0d", evt_slot, exp_evt);
    req_alloc = ra && exp_cnt > 0;  // the user's rule: only while req_free_cnt > 0
    evt_alloc = ea;
    for (int k = 0; k < 4; k++) begin
      free_valid[k] = fl[k] >= 0;
      free_slot[k*SW+:SW] = fl[k] >= 0 ? SW'(fl[k]) : SW'(rnd(TBL));  // idle lanes carry junk
      if (fl[k] >= 0 && !busy[fl[k]]) $fatal(1, "tb_cpl_slot_pool: stimulus frees free slot %0d", fl[k]);
    end
    @(posedge clk);
    for (int k = 0; k < 4; k++) if (fl[k] >= 0) begin
      busy[fl[k]] = 1'b0;
      frees++;
    end
    if (req_alloc) begin
      if (busy[req_slot]) $fatal(1, "tb_cpl_slot_pool: request slot %0d handed out twice", req_slot);
      busy[req_slot] = 1'b1;
      allocs++;
    end
    if (evt_alloc && exp_evt >= 0) begin
      if (busy[evt_slot]) $fatal(1, "tb_cpl_slot_pool: event slot %0d handed out twice", evt_slot);
      busy[evt_slot] = 1'b1;
      allocs++;
    end
    cycles++;
  endtask

  // Up to four distinct busy slots, each lane used with probability 1/3.
  int f[4];
  task automatic random_frees;
    for (int k = 0; k < 4; k++) begin
      f[k] = -1;
      if (rnd(3) == 0) begin
        int s;
        s = int'(rnd(TBL));
        if (busy[s]) begin
          f[k] = s;
          for (int j = 0; j < k; j++) if (f[j] == s) f[k] = -1;
        end
      end
    end
  endtask

  initial begin
    for (int i = 0; i < TBL; i++) busy[i] = 1'b0;
    repeat (3) @(posedge clk);
    @(negedge clk) rst = 1'b0;
    // Exhaust the request slots: lowest first, event slots untouched.
    repeat (REQ_SLOTS) cycle(1'b1, 1'b0, -1, -1, -1, -1);
    cycle(1'b0, 1'b0, -1, -1, -1, -1);
    if (req_free_cnt != 0 || !evt_avail) $fatal(1, "tb_cpl_slot_pool: request part not full");
    // Exhaust the event slots; one more evt_alloc is ignored.
    repeat (EVT_SLOTS + 2) cycle(1'b0, 1'b1, -1, -1, -1, -1);
    cycle(1'b0, 1'b0, -1, -1, -1, -1);
    if (evt_avail) $fatal(1, "tb_cpl_slot_pool: event slots not exhausted");
    // Four returns in one cycle (request and event slots mixed).
    cycle(1'b0, 1'b0, 7, 3, REQ_SLOTS + 2, 12);
    // Free and allocate in the same cycle (the freed slot is not yet offered).
    cycle(1'b1, 1'b1, 0, REQ_SLOTS + 1, -1, -1);
    repeat (3) cycle(1'b1, 1'b1, -1, -1, -1, -1);
    // Random phase.
    repeat (5000) begin
      random_frees();
      cycle(rnd(2) == 0, rnd(3) == 0, f[0], f[1], f[2], f[3]);
    end
    $display("tb_cpl_slot_pool: %0d cycles, %0d allocations, %0d frees", cycles, allocs, frees);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
