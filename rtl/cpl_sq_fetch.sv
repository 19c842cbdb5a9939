// SQ fetcher: reads request descriptors from the submission queues by AXI4
// (PRM 2, 4) and hands each one, with its request-table slot, to the matcher.
// Interfaces: AXI4 read master (m_axi_ar*/r*); per queue pair ring
// configuration from the CSR block (flat buses); SQ_HEAD out; the request
// stream m_req_* ({slot, qp, opcode, flags, conn, length}); slot allocation
// and tag write into the request table.
// Invariants:
// - bursts are INCR, size 3, one or two 32-byte entries (4 or 8 beats) and
//   never cross a 64-byte boundary (so never 4 KiB, never the ring end);
// - a burst is only issued when a request slot is reserved for each entry,
//   so a full request table stalls fetching and nothing is dropped;
// - ARID is 0 for every burst, so read data returns in issue order;
// - SQ_HEAD advances only over entries received without error; a read error
//   halts that queue pair, drops its other in-flight entries and rewinds its
//   fetch pointer to SQ_HEAD (they are fetched again after re-enable);
// - up to MAX_OUT bursts outstanding; queue pairs served round robin.
`default_nettype none

module cpl_sq_fetch #(
    parameter int NUM_QP = 4,
    parameter int QW = 2,
    parameter int SW = 9,
    parameter int MAX_OUT = 8
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  enable,      // CTRL.ENABLE and not quiescing
    input  wire                  quiesce,     // soft reset pending: drain reads, keep nothing
    input  wire  [NUM_QP-1:0]    qp_enable,
    input  wire  [NUM_QP-1:0]    qp_halted,
    input  wire  [NUM_QP*52-1:0] sq_base,
    input  wire  [NUM_QP*16-1:0] sq_mask,     // ring entries - 1
    input  wire  [NUM_QP*16-1:0] sq_tail,
    input  wire  [NUM_QP-1:0]    sq_reset,
    output logic [NUM_QP*16-1:0] sq_head,
    output logic [NUM_QP-1:0]    halt_rd,
    output logic                 rd_err_now,  // an R beat with an error, or of an entry that erred
    input  wire                  wr_err_now,  // the CQ writer's B channel shows an error
    output logic                 inc_fetched,
    output logic                 inc_dma_err,
    output logic                 idle,
    output logic [NUM_QP-1:0]    qp_busy,     // a burst of the queue pair offered on AR or not yet all read

    // AXI4 read master
    output logic [3:0]  m_axi_arid,
    output logic [63:0] m_axi_araddr,
    output logic [7:0]  m_axi_arlen,
    output logic [2:0]  m_axi_arsize,
    output logic [1:0]  m_axi_arburst,
    output logic        m_axi_arvalid,
    input  wire         m_axi_arready,
    input  wire  [3:0]  m_axi_rid,
    input  wire  [63:0] m_axi_rdata,
    input  wire  [1:0]  m_axi_rresp,
    input  wire         m_axi_rlast,
    input  wire         m_axi_rvalid,
    output logic        m_axi_rready,

    // slot allocation and tag write
    input  wire  [SW:0]   req_free_cnt,
    input  wire  [SW-1:0] req_slot,
    output logic          req_alloc,
    output logic          tag_we,
    output logic [63:0]   tag_wdata,

    // fetched requests to the matcher
    output logic        m_req_valid,
    input  wire         m_req_ready,
    output logic [SW+QW+63:0] m_req_data
);
`include "rtl/cpl_check.svh"
  localparam int OW = $clog2(MAX_OUT);
  `CPL_CHECK(NUM_QP >= 1 && NUM_QP <= 16 && (1 << OW) == MAX_OUT && MAX_OUT >= 2, g_param_check)

  // per queue pair pointers
  logic [15:0] head_q[NUM_QP];
  logic [15:0] fptr_q[NUM_QP];

  // outstanding bursts per queue pair, from the AR offer to the last R beat
  logic [OW:0] out_q[NUM_QP];

  // outstanding bursts, oldest first
  logic [QW-1:0] rec_qp[MAX_OUT];
  logic [MAX_OUT-1:0] rec_two;   // two entries (8 beats), else one
  logic [MAX_OUT-1:0] rec_drop;
  logic [OW:0]   rec_wr, rec_rd;
  logic [SW:0]   reserved_q;         // slots promised to in-flight entries

  // AR register
  logic          ar_valid_q;
  logic [63:0]   ar_addr_q;
  logic          ar_two_q;
  logic [QW-1:0] rr_q;

  // R assembly
  logic [2:0]    beat_q;             // beat within the burst
  logic [63:0]   tag_q;
  logic [63:0]   w1_q;
  logic          ent_err_q;          // error seen in the current entry
  logic          burst_err_q;        // error seen in the current burst

  // R path state of the burst at the head of the outstanding list
  logic [QW-1:0] cur_qp;
  logic          r_fire;
  logic          ent_end;
  logic          burst_end;
  logic          beat_err;
  logic          ent_ok;
  logic          ent_fail;     // entry lost to a read error (halts the queue pair)

  // ------------------------------------------------------------ AR select
  // The queue pair to fetch from, the burst and the reservation are chosen
  // in the clock edge (p_state): nothing else reads them.

  // ------------------------------------------------------------ R path

  // The R path in two parts: what the head burst's record and the registers
  // give (b_r_head), and what the beat on the R channel adds (b_r_path). The
  // first does not read the channel, so a simulator evaluates the second alone
  // when the inputs move.
  logic          rec_any;      // a burst is outstanding
  logic          cur_two;
  logic          cur_drop;
  always_comb begin : b_r_head
    logic rec_any_l;
    rec_any_l = rec_wr != rec_rd;
    cur_qp = rec_qp[rec_rd[OW-1:0]];
    cur_two = rec_two[rec_rd[OW-1:0]];
    // Entries of bursts issued before a halt still arrive and count as
    // fetched, except after a read error, which drops them explicitly.
    cur_drop = rec_drop[rec_rd[OW-1:0]];
    // Beats with no burst outstanding are accepted and ignored.
    m_axi_rready = !rec_any_l || m_req_ready || quiesce;
    tag_wdata = tag_q;
    // {slot, qp, length, conn, flags, opcode} from bytes 8..15 of the entry
    m_req_data = {req_slot, cur_qp, w1_q};
    idle = !rec_any_l && !ar_valid_q;
    rec_any = rec_any_l;
  end

  always_comb begin : b_r_path
    int q;
    logic r_fire_l;
    logic beat_err_l;
    logic ent_end_l;
    logic ent_ok_l;
    logic ent_fail_l;
    r_fire_l = m_axi_rvalid && m_axi_rready && rec_any;
    beat_err_l = m_axi_rresp != 2'b00;
    ent_end_l = r_fire_l && beat_q[1:0] == 2'd3;
    ent_ok_l = ent_end_l && !cur_drop && !ent_err_q && !beat_err_l && !quiesce;
    ent_fail_l = ent_end_l && !cur_drop && (ent_err_q || beat_err_l) && !quiesce;
    r_fire = r_fire_l;
    beat_err = beat_err_l;
    ent_end = ent_end_l;
    burst_end = ent_end_l && (beat_q[2] || !cur_two);
    ent_ok = ent_ok_l;
    ent_fail = ent_fail_l;
    m_req_valid = ent_ok_l;
    req_alloc = ent_ok_l;
    tag_we = ent_ok_l;
    inc_fetched = ent_ok_l;
    inc_dma_err = ent_end_l && (beat_q[2] || !cur_two) && (burst_err_q || beat_err_l);
    // (a decode by equalities: a bit written at a variable index synthesizes
    // with an offset adder in front of it)
    for (q = 0; q < NUM_QP; q++) halt_rd[q] = ent_fail_l && cur_qp == QW'(q);
    // Every cycle that may halt a queue pair (and some that do not, such as a
    // dropped entry's error): one bit from the R channel and a register, for
    // the AR choice here and the CQ writer's AW choice (PRM 7).
    rd_err_now = m_axi_rvalid && (beat_err_l || ent_err_q);
  end

  // The address channel: one burst at a time, its fields from the package.
  assign {m_axi_arid, m_axi_araddr, m_axi_arlen, m_axi_arsize, m_axi_arburst} =
      cpl_pkg::axi_incr64(ar_addr_q, ar_two_q ? 8'd7 : 8'd3);
  assign m_axi_arvalid = ar_valid_q;

  always_comb begin : b_head_out
    int q;
    for (q = 0; q < NUM_QP; q++) sq_head[q*16 +: 16] = head_q[q];
    for (q = 0; q < NUM_QP; q++) qp_busy[q] = out_q[q] != '0;
  end


  // AR candidates, registered: each queue pair's "has an entry to fetch" and
  // "a two-entry burst fits" are formed from one cycle's pointers and used in
  // the next, and so is the reservation check against the free request
  // slots. After a burst is chosen the next cycle chooses none (its fetch
  // pointer and the reservation moved), which costs nothing: the R channel
  // takes at least four cycles a burst. The other moves of a fetch pointer
  // leave its queue pair unable to fetch in the next cycle anyway: a read
  // error halts it (HALTED is set at the same edge) and a ring reset needs
  // it disabled. Whatever else moves in between (an SQ_TAIL write, slots
  // freed) only adds entries or room, or is indistinguishable from a write
  // that came one cycle later.
  logic [NUM_QP-1:0] cand_one_q;      // at least one entry to fetch
  logic [NUM_QP-1:0] cand_two_q;      // a second one, in the same 64-byte group
  logic              room_one_q;      // a free slot beyond the reserved ones
  logic              room_two_q;      // two
  logic              chose_q;         // a burst was chosen in the cycle before
  logic              fail_q;          // a read error in the cycle before
  logic [QW-1:0]     fail_qp_q;       // ... on this queue pair

  always_ff @(posedge clk) begin : p_state
    int q, i;
    logic [15:0] avail_m1_l [NUM_QP];   // entries to fetch - 1
    logic [15:0] mask_l [NUM_QP];       // ring entries - 1
    logic [15:0] sel_fptr_l;
    logic [15:0] sel_slot_l;
    logic [15:0] can_fetch_l;
    logic [cpl_pkg::RR_W-1:0] pick_l;
    logic sel_valid_l;
    logic [QW-1:0] sel_qp_l;
    logic sel_two_l;
    logic [51:0] sel_base_l;
    logic [63:0] sel_addr_l;
    logic [SW:0] res_inc_l;
    logic [SW:0] res_dec_l;
    for (q = 0; q < NUM_QP; q++) begin
      avail_m1_l[q] = '0;
      mask_l[q] = '0;
    end
    sel_fptr_l = '0;
    sel_slot_l = '0;
    can_fetch_l = '0;
    pick_l = '0;
    sel_valid_l = 1'b0;
    sel_qp_l = '0;
    sel_two_l = 1'b0;
    sel_base_l = '0;
    sel_addr_l = '0;
    res_inc_l = '0;
    res_dec_l = '0;
    if (rst) begin
      for (q = 0; q < NUM_QP; q++) begin
        head_q[q] <= '0;
        fptr_q[q] <= '0;
        out_q[q] <= '0;
      end
      for (i = 0; i < MAX_OUT; i++) begin
        rec_qp[i] <= '0;
        rec_two[i] <= 1'b0;
        rec_drop[i] <= 1'b0;
      end
      rec_wr <= '0;
      rec_rd <= '0;
      reserved_q <= '0;
      ar_valid_q <= 1'b0;
      ar_addr_q <= '0;
      ar_two_q <= 1'b0;
      rr_q <= '0;
      beat_q <= '0;
      tag_q <= '0;
      w1_q <= '0;
      ent_err_q <= 1'b0;
      burst_err_q <= 1'b0;
      cand_one_q <= '0;
      cand_two_q <= '0;
      room_one_q <= 1'b0;
      room_two_q <= 1'b0;
      chose_q <= 1'b0;
      fail_q <= 1'b0;
      fail_qp_q <= '0;
    end else begin
      // The next cycle's candidates, from this cycle's pointers.
      for (q = 0; q < NUM_QP; q++) begin
        // 1 <= tail - fptr <= ring entries: tail - fptr - 1 (0xFFFF when
        // nothing is to fetch) has no bit above the ring mask
        avail_m1_l[q] = sq_tail[q*16 +: 16] + ~fptr_q[q];
        mask_l[q] = sq_mask[q*16 +: 16];
        cand_one_q[q] <= (avail_m1_l[q] & ~mask_l[q]) == 16'd0;
        cand_two_q[q] <= avail_m1_l[q] != 16'd0 && !(fptr_q[q][0] && mask_l[q][0]);
      end
      room_one_q <= reserved_q < req_free_cnt;
      room_two_q <= (reserved_q + 2) <= req_free_cnt;
      // AR select: round robin over the queue pairs that may fetch
      for (q = 0; q < NUM_QP; q++)
        can_fetch_l[q] = enable && qp_enable[q] && !qp_halted[q] && !sq_reset[q] &&
                         cand_one_q[q];
      pick_l = cpl_pkg::rr_pick(can_fetch_l, 4'(rr_q), NUM_QP);
      sel_qp_l = QW'(pick_l[7:4]);
      sel_fptr_l = fptr_q[sel_qp_l];
      sel_slot_l = sel_fptr_l & sq_mask[32'(sel_qp_l)*16 +: 16];
      sel_two_l = cand_two_q[sel_qp_l] && room_two_q;
      // Nothing is chosen in the cycle of a DMA error (whichever queue
      // pair's, read or write): a queue pair it halts must not see another AR.
      sel_valid_l = pick_l[8] && room_one_q && !chose_q && !rd_err_now && !wr_err_now &&
                    (!ar_valid_q || m_axi_arready) &&
                    rec_wr != {~rec_rd[OW], rec_rd[OW-1:0]};   // MAX_OUT not outstanding
      chose_q <= sel_valid_l;
      res_inc_l = sel_valid_l ? (sel_two_l ? (SW + 1)'(2) : (SW + 1)'(1)) : '0;
      res_dec_l = ent_end ? (SW + 1)'(1) : '0;
      reserved_q <= reserved_q + res_inc_l - res_dec_l;
      if (ar_valid_q && m_axi_arready) ar_valid_q <= 1'b0;
      if (sel_valid_l) begin
        ar_valid_q <= 1'b1;
        // base (4 KiB aligned) + 32 * ring slot: the slot's low 7 bits fill the
        // page offset, only its upper bits are added to the base
        for (q = 0; q < NUM_QP; q++) if (sel_qp_l == QW'(q)) sel_base_l = sq_base[q*52 +: 52];
        sel_addr_l = {sel_base_l + 52'(sel_slot_l[15:7]), sel_slot_l[6:0], 5'd0};
        ar_addr_q <= sel_addr_l;
        ar_two_q <= sel_two_l;
        rr_q <= QW'(pick_l[3:0]);
        fptr_q[sel_qp_l] <= sel_fptr_l + (sel_two_l ? 16'd2 : 16'd1);
        rec_qp[rec_wr[OW-1:0]] <= sel_qp_l;
        for (i = 0; i < MAX_OUT; i++) if (rec_wr[OW-1:0] == OW'(i)) begin
          rec_two[i] <= sel_two_l;
          rec_drop[i] <= 1'b0;
        end
        rec_wr <= rec_wr + 1'b1;
      end
      if (r_fire) begin
        beat_q <= burst_end ? 3'd0 : beat_q + 3'd1;
        if (beat_q[1:0] == 2'd0) tag_q <= m_axi_rdata;
        if (beat_q[1:0] == 2'd1) w1_q <= m_axi_rdata;
        ent_err_q <= ent_end ? 1'b0 : (ent_err_q || beat_err);
        burst_err_q <= burst_end ? 1'b0 : (burst_err_q || beat_err);
        if (burst_end) rec_rd <= rec_rd + 1'b1;
      end
      if (ent_ok) head_q[cur_qp] <= head_q[cur_qp] + 16'd1;
      // (the outer test only spares a simulator the loop in quiet cycles)
      if (sel_valid_l || burst_end)
        for (q = 0; q < NUM_QP; q++)
          out_q[q] <= out_q[q] + (OW + 1)'(sel_valid_l && sel_qp_l == QW'(q)) -
                      (OW + 1)'(burst_end && cur_qp == QW'(q));
      // A read error: fetch again from SQ_HEAD once the queue pair is
      // re-enabled, and drop its other in-flight entries. The drop is marked
      // in the cycle after the error, from a register: the earliest entry it
      // concerns ends four beats later, so it is marked in time (no burst is
      // chosen in the cycle of the error, and none for the halted queue pair
      // after it). A ring reset drops the bursts outstanding before it.
      fail_q <= ent_fail;
      if (ent_fail) fail_qp_q <= cur_qp;
      // Record i is live (describes an outstanding burst) when its distance
      // from the oldest record, modulo MAX_OUT (a power of two), is below the
      // count. (The outer test is implied by the inner one: it only spares a
      // simulator the per-record compares in the cycles without either.)
      if (fail_q || sq_reset != '0)
        for (i = 0; i < MAX_OUT; i++)
          if ({1'b0, OW'(i) - rec_rd[OW-1:0]} < (rec_wr - rec_rd) &&
              ((fail_q && rec_qp[i] == fail_qp_q) || sq_reset[rec_qp[i]]))
            rec_drop[i] <= 1'b1;
      if (ent_fail || sq_reset != '0)   // (implied by the test inside, as above)
        for (q = 0; q < NUM_QP; q++) begin
          if ((ent_fail && cur_qp == QW'(q)) || sq_reset[q]) begin
            fptr_q[q] <= sq_reset[q] ? 16'd0 : head_q[q];
            if (sq_reset[q]) head_q[q] <= 16'd0;
          end
        end
    end
  end

  // Only the in-order single-ID contract is used; the response ID and the
  // beat-level rlast are not needed to track bursts.
  logic unused_ok;
  assign unused_ok = ^{m_axi_rid, m_axi_rlast};
endmodule

`default_nettype wire
