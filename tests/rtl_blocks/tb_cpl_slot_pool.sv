// Self-checking testbench of cpl_slot_pool (free lists): a busy-bit
// reference model. Directed: after reset the request slots come out in
// order 0, 1, ... and the event slots in order REQ_SLOTS, ...; exhaust the
// request slots (the event slots stay available); exhaust the event slots
// (evt_alloc without evt_avail is ignored); hand back records of 1 to 4
// slots (mixed parts) and see them offered again oldest first once drained;
// hand back every slot in records back to back (the short record queue
// fills, s_free_ready falls, refused records are offered again). Then a seeded random phase.
// Checks every cycle: an offered slot is free and of its part, req_free_cnt
// never exceeds the free request slots and equals them once the returned
// records are drained, likewise evt_avail; no slot is handed out twice.
`timescale 1ns / 1ps
`default_nettype none

module tb_cpl_slot_pool;
  localparam int REQ_SLOTS = 16;
  localparam int EVT_SLOTS = 4;
  localparam int SW = 5;
  localparam int TBL = REQ_SLOTS + EVT_SLOTS;
  localparam int SEED = 32'h0051_07a1;
  localparam int TIMEOUT_NS = 500000;
  localparam int FREE_RECS = 2;  // a short record queue, so it fills up
  localparam int DRAIN = 4 * FREE_RECS + 2;  // cycles to drain a full record queue

  logic clk = 1'b0;
  logic rst = 1'b1;
  logic req_alloc = 1'b0;
  logic [SW-1:0] req_slot;
  logic [SW:0] req_free_cnt;
  logic evt_alloc = 1'b0;
  logic [SW-1:0] evt_slot;
  logic evt_avail;
  logic s_free_valid = 1'b0;
  logic s_free_ready;
  logic [2:0] s_free_n = 3'd1;
  logic [4*SW-1:0] s_free_slots = '0;

  cpl_slot_pool #(.REQ_SLOTS(REQ_SLOTS), .EVT_SLOTS(EVT_SLOTS), .SW(SW), .FREE_RECS(FREE_RECS))
      dut (.*);

  `include "tests/rtl_blocks/tb_clock.svh"
  `include "tests/rtl_blocks/tb_common.svh"

  logic busy[TBL];      // handed out and not handed back
  int allocs = 0, frees = 0, cycles = 0, quiet = 0, refused = 0;
  logic taken;          // the last cycle's record was taken

  // One cycle: at the falling edge check the outputs against the model, then
  // drive the requests; the model follows at the rising edge. fl lists up to
  // four busy slots to hand back as one record (-1: none).
  task automatic cycle(input logic ra, input logic ea, input int f0, input int f1, input int f2,
                       input int f3, input int exp_req_slot, input int exp_evt_slot);
    int fl[4];
    int n, free_req, free_evt;
    fl[0] = f0;
    fl[1] = f1;
    fl[2] = f2;
    fl[3] = f3;
    @(negedge clk);
    free_req = 0;
    free_evt = 0;
    for (int i = 0; i < REQ_SLOTS; i++) if (!busy[i]) free_req++;
    for (int i = REQ_SLOTS; i < TBL; i++) if (!busy[i]) free_evt++;
    if (32'(req_free_cnt) > free_req)
      $fatal(1, "tb_cpl_slot_pool: req_free_cnt=%0d but only %0d free", req_free_cnt, free_req);
    if (quiet >= DRAIN && 32'(req_free_cnt) != free_req)
      $fatal(1, "tb_cpl_slot_pool: req_free_cnt=%0d after drain, expected %0d", req_free_cnt, free_req);
    if (evt_avail && free_evt == 0) $fatal(1, "tb_cpl_slot_pool: evt_avail with no event slot free");
    if (quiet >= DRAIN && !evt_avail && free_evt != 0)
      $fatal(1, "tb_cpl_slot_pool: no evt_avail after drain with %0d free", free_evt);
    if (req_free_cnt != 0 && (32'(req_slot) >= REQ_SLOTS || busy[req_slot]))
      $fatal(1, "tb_cpl_slot_pool: req_slot=%0d not a free request slot", req_slot);
    if (evt_avail && (32'(evt_slot) < REQ_SLOTS || 32'(evt_slot) >= TBL || busy[evt_slot]))
      $fatal(1, "tb_cpl_slot_pool: evt_slot=%0d not a free event slot", evt_slot);
    if (exp_req_slot >= 0 && 32'(req_slot) != exp_req_slot)
      $fatal(1, "tb_cpl_slot_pool: req_slot=%0d expected %0d", req_slot, exp_req_slot);
    if (exp_evt_slot >= 0 && 32'(evt_slot) != exp_evt_slot)
      $fatal(1, "tb_cpl_slot_pool: evt_slot=%0d expected %0d", evt_slot, exp_evt_slot);
    req_alloc = ra && req_free_cnt != 0;  // the user's rule: only while req_free_cnt > 0
    evt_alloc = ea;
    n = 0;
    s_free_slots = SW'(rnd(TBL)) * {4{1'b1}};  // unused lanes carry junk
    for (int k = 0; k < 4; k++) if (fl[k] >= 0) begin
      if (!busy[fl[k]]) $fatal(1, "tb_cpl_slot_pool: stimulus frees free slot %0d", fl[k]);
      s_free_slots[n*SW +: SW] = SW'(fl[k]);
      n++;
    end
    s_free_valid = n > 0;
    s_free_n = 3'(n);
    @(posedge clk);
    if (s_free_valid && s_free_ready) begin
      for (int k = 0; k < n; k++) begin
        busy[s_free_slots[k*SW +: SW]] = 1'b0;
        frees++;
      end
      quiet = 0;
    end else begin
      quiet++;
    end
    taken = s_free_valid && s_free_ready;
    if (s_free_valid && !s_free_ready) refused++;
    if (req_alloc) begin
      if (busy[req_slot]) $fatal(1, "tb_cpl_slot_pool: request slot %0d handed out twice", req_slot);
      busy[req_slot] = 1'b1;
      allocs++;
    end
    if (evt_alloc && evt_avail) begin
      if (busy[evt_slot]) $fatal(1, "tb_cpl_slot_pool: event slot %0d handed out twice", evt_slot);
      busy[evt_slot] = 1'b1;
      allocs++;
    end
    cycles++;
  endtask

  task automatic idle(input int n);
    repeat (n) cycle(1'b0, 1'b0, -1, -1, -1, -1, -1, -1);
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
    leave_reset();
    // Exhaust the request slots, in order; event slots untouched.
    for (int i = 0; i < REQ_SLOTS; i++) cycle(1'b1, 1'b0, -1, -1, -1, -1, i, REQ_SLOTS);
    idle(1);
    if (req_free_cnt != 0 || !evt_avail) $fatal(1, "tb_cpl_slot_pool: request part not full");
    // Exhaust the event slots, in order; one more evt_alloc is ignored.
    for (int i = 0; i < EVT_SLOTS; i++) cycle(1'b0, 1'b1, -1, -1, -1, -1, -1, REQ_SLOTS + i);
    cycle(1'b0, 1'b1, -1, -1, -1, -1, -1, -1);
    idle(1);
    if (evt_avail) $fatal(1, "tb_cpl_slot_pool: event slots not exhausted");
    // Records of four and of one slot (request and event slots mixed); once
    // drained they come out oldest first.
    cycle(1'b0, 1'b0, 7, 3, REQ_SLOTS + 2, 12, -1, -1);
    cycle(1'b0, 1'b0, REQ_SLOTS + 1, -1, -1, -1, -1, -1);
    idle(8);
    if (req_free_cnt != 3) $fatal(1, "tb_cpl_slot_pool: req_free_cnt=%0d expected 3", req_free_cnt);
    cycle(1'b1, 1'b1, -1, -1, -1, -1, 7, REQ_SLOTS + 2);
    cycle(1'b1, 1'b1, -1, -1, -1, -1, 3, REQ_SLOTS + 1);
    cycle(1'b1, 1'b0, -1, -1, -1, -1, 12, -1);
    idle(1);
    if (req_free_cnt != 0 || evt_avail) $fatal(1, "tb_cpl_slot_pool: not exhausted again");
    // Every slot back in records queued back to back; all offered again.
    // The short queue fills: s_free_ready falls, refused records are offered
    // again until taken.
    for (int r = 0; r < 4; r++) begin
      taken = 1'b0;
      while (!taken) cycle(1'b0, 1'b0, 4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3, -1, -1);
    end
    if (refused == 0) $fatal(1, "tb_cpl_slot_pool: s_free_ready never fell");
    for (int r = 0; r < EVT_SLOTS; r++) begin
      taken = 1'b0;
      while (!taken) cycle(1'b0, 1'b0, REQ_SLOTS + r, -1, -1, -1, -1, -1);
    end
    idle(REQ_SLOTS + EVT_SLOTS + 1);
    if (32'(req_free_cnt) != REQ_SLOTS || !evt_avail) $fatal(1, "tb_cpl_slot_pool: not all back");
    // Random phase.
    repeat (5000) begin
      random_frees();
      cycle(rnd(2) == 0, rnd(3) == 0, f[0], f[1], f[2], f[3], -1, -1);
    end
    $display("tb_cpl_slot_pool: %0d cycles, %0d allocations, %0d frees", cycles, allocs, frees);
    $display("PASS");
    $finish;
  end
endmodule

`default_nettype wire
