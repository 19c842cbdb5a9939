// CQ writer: writes finished descriptors into the completion queues by AXI4
// (PRM 5) and commits them (CQ_TAIL) once their write is acknowledged.
// Each queue pair keeps its finished slots on a completion list (linked
// through the request table's nxt field) from the oldest unacknowledged
// descriptor (head) over the next one to put on the W channel (wcur) to the
// newest (tail), with counts of slots not yet walked by W and not yet covered
// by an AW burst.
// Interfaces: app_* appends a finished slot (never refused: the slot itself
// is the storage, so a full CQ stalls only its own queue pair); AXI4 write
// master; per queue pair ring configuration; request-table reads; slot frees
// after the write response; commit pulses for the interrupt block.
// Invariants:
// - a burst covers 1..4 descriptors inside one 64-byte aligned group of the
//   ring (never crossing 4 KiB or the ring end), full strobes;
// - at low load a descriptor leaves at once; while the W channel is busy,
//   bursts are filled up to their 64-byte group (several per burst);
// - AWID is 0 for every burst, so write responses return in issue order and
//   CQ_TAIL advances over acknowledged descriptors in ring order;
// - no AW for a queue pair that is disabled, halted or has no room;
// - a write error halts the queue pair; its later responses are ignored and,
//   once none is outstanding, the walk restarts from the oldest
//   unacknowledged descriptor at CQ_TAIL, so nothing is lost.
`default_nettype none

module cpl_cq_writer #(
    parameter int NUM_QP = 4,
    parameter int QW = 2,
    parameter int SW = 9,
    parameter int MAX_OUT = 8
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  quiesce,
    input  wire  [NUM_QP-1:0]    qp_enable,
    input  wire  [NUM_QP-1:0]    qp_halted,
    input  wire  [NUM_QP*52-1:0] cq_base,
    input  wire  [NUM_QP*4-1:0]  cq_size,
    input  wire  [NUM_QP*16-1:0] cq_mask,     // ring entries - 1
    input  wire  [NUM_QP*16-1:0] cq_limit,    // CQ_HEAD + ring entries (mod 2^16)
    input  wire  [NUM_QP-1:0]    cq_reset,
    output logic [NUM_QP*16-1:0] cq_tail,
    output logic [NUM_QP-1:0]    halt_wr,
    output logic                 wr_err_now,  // the B channel shows an error response
    input  wire                  rd_err_now,  // the fetcher's R channel shows an error
    output logic                 inc_dma_err,
    output logic                 commit_valid,
    output logic [QW-1:0]        commit_qp,
    output logic [2:0]           commit_n,
    output logic                 idle,
    output logic [NUM_QP-1:0]    qp_busy,     // a burst of the queue pair offered on AW or not yet answered on B

    input  wire                  app_valid,
    input  wire  [QW-1:0]        app_qp,
    input  wire  [SW-1:0]        app_slot,

    // request-table reads are registered: the address given in one cycle is
    // the slot whose words arrive in the next (the walker's and the commit's
    // slot of that next cycle)
    output logic [SW-1:0]        walk_raddr,    // tag, descriptor and link of the walked slot
    input  wire  [63:0]          tag_rdata,
    input  wire  [cpl_pkg::DESC_W-1:0] cpl_rdata,
    input  wire  [SW-1:0]        nxt_rdata_w,
    output logic [SW-1:0]        nxt_raddr_c,   // link of the last slot of the committed burst
    input  wire  [SW-1:0]        nxt_rdata_c,
    output logic                 nxt_we,        // link an appended slot
    output logic [SW-1:0]        nxt_waddr,
    output logic [SW-1:0]        nxt_wdata,
    output logic                 m_free_valid,  // a committed burst's slots go back
    input  wire                  m_free_ready,
    output logic [2:0]           m_free_n,
    output logic [4*SW-1:0]      m_free_slots,

    output logic [3:0]  m_axi_awid,
    output logic [63:0] m_axi_awaddr,
    output logic [7:0]  m_axi_awlen,
    output logic [2:0]  m_axi_awsize,
    output logic [1:0]  m_axi_awburst,
    output logic        m_axi_awvalid,
    input  wire         m_axi_awready,
    output logic [63:0] m_axi_wdata,
    output logic [7:0]  m_axi_wstrb,
    output logic        m_axi_wlast,
    output logic        m_axi_wvalid,
    input  wire         m_axi_wready,
    input  wire  [3:0]  m_axi_bid,
    input  wire  [1:0]  m_axi_bresp,
    input  wire         m_axi_bvalid,
    output logic        m_axi_bready
);
`include "rtl/cpl_check.svh"
  localparam int OW = $clog2(MAX_OUT);
  localparam int NW = SW + 1;   // list counts
  `CPL_CHECK(NUM_QP >= 1 && NUM_QP <= 16 && (1 << OW) == MAX_OUT && MAX_OUT >= 2 && NW <= 16, g_param_check)

  // per queue pair
  logic [SW-1:0] l_head[NUM_QP], l_wcur[NUM_QP], l_tail[NUM_QP];
  logic [NW-1:0] n_total[NUM_QP], n_unwalked[NUM_QP], n_unissued[NUM_QP];
  logic [15:0]   wptr_q[NUM_QP], tail_q[NUM_QP];
  logic [OW:0]   inflight[NUM_QP];
  logic [NUM_QP-1:0] rewind_q;

  // bursts from AW selection to write response
  logic [QW-1:0]   rec_qp[MAX_OUT];
  logic [2:0]      rec_n[MAX_OUT];
  logic [15:0]     rec_ptr[MAX_OUT];
  logic [SW-1:0]   rec_slot[MAX_OUT*4];   // record i's descriptor k at 4*i + k
  logic [OW:0]     rec_wr, rec_w, rec_b;
  // The records W and B work on (at rec_w and rec_b), copied into registers
  // as those indices move or the record is written, so neither channel reads
  // its queue pair, size or pointer through the record multiplexer.
  logic [QW-1:0]   w_rec_qp, b_rec_qp;
  logic [2:0]      w_rec_n, b_rec_n;
  logic [2:0]      b1_rec_n;   // the size of the record after B's (at rec_b + 1)
  logic [15:0]     w_rec_ptr;

  logic          aw_valid_q;
  logic [63:0]   aw_addr_q;
  logic [7:0]    aw_len_q;
  logic [QW-1:0] rr_q;
  logic [5:0]    beats_pend_q;    // W beats owed for selected bursts
  logic [1:0]    w_idx_q;
  logic          w_beat_q;

  // ------------------------------------------------------------ AW select
  // In two stages. The pick (the round robin over the registered
  // candidates) is registered (pk_*); the issue in the next cycle starts the
  // picked queue pair's burst, whose size is that queue pair's candidate
  // size of the pick's cycle (cand_n_d), after checking again SOFT_RESET's
  // quiesce and the queue pair's enable and halt. A pick whose queue pair may
  // no longer issue is dropped (its pointers did not move: it is picked
  // again from a later candidate). A pick that waits for the AW register, a
  // free burst record or a cycle without a DMA error is held: picked again
  // in that cycle from its queue pair's candidate of the cycle (as many or
  // more descriptors), and no other pick is made meanwhile.
  logic          sel_valid;      // a burst issues in this cycle (from the pick register)
  logic [QW-1:0] sel_qp;
  logic [2:0]    sel_n;
  logic [NUM_QP-1:0] sel_oh;
  logic [NUM_QP-1:0] can_issue;
  logic          arb_valid;
  logic [QW-1:0] arb_qp, arb_next;
  logic [NUM_QP-1:0] arb_oh;     // the chosen queue pair, one-hot (its per-queue-pair enables)
  logic          pk_valid_q;     // a pick waits for its issue
  logic [QW-1:0] pk_qp_q;
  logic [NUM_QP-1:0] pk_oh_q;
  logic          pk_hold;        // the pick waits in its register

  // The candidates are registered: each queue pair's burst size and whether
  // it may issue are formed in one cycle from that cycle's pointers and
  // counts, and used in the next, so the AW choice starts from flops. A
  // candidate is formed after the issue of its cycle (the burst taken off
  // the pointers and counts); one formed before its queue pair's pointers
  // moved otherwise (a rewind, a ring reset in the cycle it was formed) is
  // not used: such a queue pair waits one cycle for a fresh one. Nor is the
  // candidate of the queue pair whose pick issues now (formed before that
  // issue). Everything else that moves in between only adds room (a CQ_HEAD
  // write) or descriptors (an append), so a candidate one cycle old, and a
  // pick made from it, never promise too much.
  logic [2:0]        cand_n_q[NUM_QP];   // descriptors the next burst takes
  logic [2:0]        cand_n_d[NUM_QP];   // ... as it was a cycle ago: a pick's size when it issues
  logic [NUM_QP-1:0] cand_ok_q;          // something to write and room for it
  logic [NUM_QP-1:0] cand_full_q;        // a burst up to its 64-byte group
  logic [NUM_QP-1:0] cand_fresh_q;       // formed after the pointers' last move
  logic              w_low_q;            // at most three W beats are owed (beats_pend_q <= 3)

  always_comb begin : b_aw_candidates
    int q;
    logic [NUM_QP-1:0] can_issue_l;
    // a burst of cand_n != 0, when it fills its group or W runs low
    for (q = 0; q < NUM_QP; q++)
      can_issue_l[q] = !quiesce && qp_enable[q] && !qp_halted[q] && !rewind_q[q] && !cq_reset[q] &&
                       cand_fresh_q[q] && !(pk_valid_q && pk_oh_q[q]) && cand_ok_q[q] &&
                       (cand_full_q[q] || w_low_q);
    can_issue = can_issue_l;
  end

  cpl_rr_arbiter #(.N(NUM_QP), .IW(QW)) u_aw_arb (
      .req(can_issue), .prio(rr_q), .grant_valid(arb_valid), .grant(arb_qp), .grant_oh(arb_oh),
      .next_prio(arb_next));

  logic          b_error;       // a write error response is taken (B below)

  always_comb begin : b_aw_select
    logic sel_valid_l;
    logic still_l;   // the picked queue pair may still issue
    // (A rewind starts with a write error, which halts the queue pair in the
    // next cycle; a ring reset needs the queue pair disabled: both show in
    // enable and halt.)
    still_l = !quiesce && (pk_oh_q & qp_enable & ~qp_halted) != '0;
    // Nothing issues in a cycle that may bring a DMA error (whichever queue
    // pair's, read or write): a queue pair it halts must not see another AW
    // (PRM 7). Each side is one bit from its channel.
    sel_valid_l = pk_valid_q && still_l && !wr_err_now && !rd_err_now &&
                  (!aw_valid_q || m_axi_awready) && rec_wr != {~rec_b[OW], rec_b[OW-1:0]};
    sel_valid = sel_valid_l;
    // A held pick's candidate stays one that may issue: nothing issues while
    // it waits, so the W beats owed only fall, and its counts and room only
    // grow.
    pk_hold = pk_valid_q && still_l && !sel_valid_l;
    sel_qp = pk_qp_q;
    sel_n = cand_n_d[pk_qp_q];
    sel_oh = pk_oh_q;
  end

  // ------------------------------------------------------------ W walker
  logic          w_active;
  logic [OW-1:0] wr_i;
  logic [QW-1:0] w_q;
  logic [SW-1:0] w_slot;
  logic          w_phase;
  logic          w_fire;
  logic          w_desc_done;   // second beat of a descriptor accepted
  logic          w_burst_done;

  always_comb begin : b_w_cursor
    logic w_active_l;
    logic [OW-1:0] wr_i_l;
    logic [QW-1:0] w_q_l;
    logic [SW-1:0] w_slot_l;
    logic [15:0] w_ptr_l;
    logic w_phase_l;
    w_active_l = rec_w != rec_wr;  // W may lead its AW (AXI4 allows it)
    wr_i_l = rec_w[OW-1:0];
    w_q_l = w_rec_qp;
    w_slot_l = l_wcur[w_q_l];
    w_ptr_l = w_rec_ptr + {14'd0, w_idx_q};
    w_phase_l = !w_ptr_l[cq_size[32'(w_q_l)*4 +: 4]];
    w_active = w_active_l;
    wr_i = wr_i_l;
    w_q = w_q_l;
    w_slot = w_slot_l;
    w_phase = w_phase_l;
  end

  // The walker puts beats into a two-entry W FIFO (the port comes from its
  // registers); its state advances when a beat enters the FIFO.
  logic        wq_s_ready, wq_m_valid;
  logic [64:0] wq_s_data, wq_m_data;   // {last, data}
  logic        w_port_fire;            // a beat accepted on the W channel

  always_comb begin : b_w_data
    logic w_last_l;
    logic [63:0] w_data_l;
    logic w_fire_l;
    w_last_l = w_beat_q && ({1'b0, w_idx_q} == w_rec_n - 3'd1);
    // word 0 is the tag (0 for engine descriptors), word 1 the fields
    if (!w_beat_q) w_data_l = cpl_pkg::desc_is_engine(cpl_rdata) ? 64'd0 : tag_rdata;
    else w_data_l = cpl_pkg::cpl_word1(cpl_rdata, w_phase);
    w_fire_l = w_active && wq_s_ready;
    wq_s_data = {w_last_l, w_data_l};
    w_fire = w_fire_l;
    w_desc_done = w_fire_l && w_beat_q;
    w_burst_done = w_fire_l && w_last_l;
  end

  cpl_fifo #(.WIDTH(65), .DEPTH(2)) u_w_fifo (
      .clk, .rst,
      .s_valid(w_active), .s_ready(wq_s_ready), .s_data(wq_s_data),
      .m_valid(wq_m_valid), .m_ready(m_axi_wready), .m_data(wq_m_data));

  assign m_axi_wvalid = wq_m_valid;
  assign m_axi_wlast = wq_m_data[64];
  assign m_axi_wdata = wq_m_data[63:0];
  assign m_axi_wstrb = 8'hFF;
  assign w_port_fire = wq_m_valid && m_axi_wready;

  // ------------------------------------------------------------ B
  logic [QW-1:0] b_q;
  logic [2:0]    b_n;
  logic          b_fire;
  logic          b_commit;

  // The B path in two parts: the head burst's record (b_b_head, from
  // registers) and what the response on the B channel does with it (b_b_resp),
  // so a simulator evaluates only the second when the inputs move.
  logic          b_have;         // a burst waits for its response
  always_comb begin : b_b_head
    int k;
    logic [OW-1:0] br_i_l;
    br_i_l = rec_b[OW-1:0];
    b_have = rec_b != rec_w;
    b_q = b_rec_qp;
    b_n = b_rec_n;
    // Ready while the slot pool can take a record back (from its state
    // alone); responses with no burst outstanding are accepted and ignored.
    m_axi_bready = m_free_ready;
    for (k = 0; k < 4; k++) m_free_slots[k*SW +: SW] = rec_slot[{br_i_l, 2'(k)}];
    idle = rec_wr == rec_b && !aw_valid_q && !pk_valid_q;
  end
  // the committing burst is the head burst
  assign commit_qp = b_q;
  assign commit_n = b_n;
  assign m_free_n = b_n;

  always_comb begin : b_b_resp
    int q;
    logic b_fire_l;
    logic b_ok_l;      // taken, and its queue pair is not rewinding
    logic bad_l;       // the response is an error
    bad_l = m_axi_bresp != 2'b00;
    b_fire_l = m_axi_bvalid && m_free_ready && b_have;
    b_ok_l = b_fire_l && !rewind_q[b_q];
    b_fire = b_fire_l;
    b_error = b_ok_l && bad_l;
    b_commit = b_ok_l && !bad_l;
    inc_dma_err = b_fire_l && bad_l;
    for (q = 0; q < NUM_QP; q++) halt_wr[q] = b_ok_l && bad_l && b_q == QW'(q);
    wr_err_now = m_axi_bvalid && bad_l;
  end
  assign commit_valid = b_commit;
  assign m_free_valid = b_commit;

  // The slots of the bursts on their way (a memory: written by the walker,
  // read by the commit; a record is written before it is read, so it needs
  // no reset).
  always_ff @(posedge clk) begin : p_rec_slot
    if (!rst && w_fire && w_desc_done) rec_slot[{wr_i, w_idx_q}] <= w_slot;
  end

  // The address channel: one burst at a time, its fields from the package.
  assign {m_axi_awid, m_axi_awaddr, m_axi_awlen, m_axi_awsize, m_axi_awburst} =
      cpl_pkg::axi_incr64(aw_addr_q, aw_len_q);
  assign m_axi_awvalid = aw_valid_q;

  always_comb begin : b_tail_out
    int q;
    for (q = 0; q < NUM_QP; q++) cq_tail[q*16 +: 16] = tail_q[q];
    for (q = 0; q < NUM_QP; q++) qp_busy[q] = inflight[q] != '0;
  end

  // ------------------------------------------------------------ append register
  // The matcher's append is registered here before it reaches the lists:
  // the slot joins its queue pair's list one cycle after the matcher
  // finished it (its descriptor is in the request table since that cycle),
  // so no list update or walk address follows the matcher's step.
  logic          a_valid;
  logic [QW-1:0] a_qp;
  logic [SW-1:0] a_slot;

  always_ff @(posedge clk) begin : p_append
    if (rst) begin
      a_valid <= 1'b0;
      a_qp <= '0;
      a_slot <= '0;
    end else begin
      a_valid <= app_valid;
      if (app_valid) begin
        a_qp <= app_qp;
        a_slot <= app_slot;
      end
    end
  end

  // ------------------------------------------------------------ list update
  // The walk cursor is computed here (the next cycle's walked slot is read
  // with it); the head, the counts and the tail in the clock edge (p_state),
  // where alone they are used. A queue pair that rewinds commits nothing (a
  // write response of a rewinding queue pair is ignored), so its new cursor
  // needs no write response: no logic between edges on the B channel here.
  logic [SW-1:0] x_wcur[NUM_QP];
  logic [NUM_QP-1:0] ev_r;

  always_comb begin : b_nxt_link
    logic nxt_we_l;
    logic [SW-1:0] nxt_waddr_l;
    logic [SW-1:0] nxt_wdata_l;
    nxt_we_l = a_valid && n_total[a_qp] != '0;
    nxt_waddr_l = l_tail[a_qp];
    nxt_wdata_l = a_slot;
    nxt_we = nxt_we_l;
    nxt_waddr = nxt_waddr_l;
    nxt_wdata = nxt_wdata_l;
  end

  always_comb begin : b_lists
    int q, k;
    logic [NUM_QP-1:0] ev_a_l;
    logic [NUM_QP-1:0] ev_w_l;
    logic [NUM_QP-1:0] ev_r_l;
    logic [SW-1:0] x_wcur_l [NUM_QP];
    for (q = 0; q < NUM_QP; q++) begin
      ev_a_l[q] = a_valid && a_qp == QW'(q);
      ev_w_l[q] = w_desc_done && w_q == QW'(q);
      ev_r_l[q] = rewind_q[q] && inflight[q] == '0;
      if (ev_r_l[q]) begin
        // from the oldest unacknowledged slot, the appended one if none
        x_wcur_l[q] = n_total[q] == '0 && ev_a_l[q] ? a_slot : l_head[q];
      end else begin
        x_wcur_l[q] = l_wcur[q];
        if (n_unwalked[q] == NW'(ev_w_l[q])) begin   // none left unwalked after this beat
          if (ev_a_l[q]) x_wcur_l[q] = a_slot;
        end else if (ev_w_l[q]) begin
          x_wcur_l[q] = nxt_rdata_w;
        end
      end
    end
    for (k = 0; k < NUM_QP; k++) ev_r[k] = ev_r_l[k];
    for (k = 0; k < NUM_QP; k++) x_wcur[k] = x_wcur_l[k];
  end

  // Read addresses: the next cycle's walked slot and committed burst's last
  // slot, from this cycle's next state (a descriptor written into the burst
  // record this cycle is forwarded). Both candidates of each address are
  // formed from registers (b_next_cands); the AW choice and the B response of
  // this cycle pick one (b_next_reads).
  logic [SW-1:0] walk_rec, walk_sel;   // the walk cursor of the next record's / the chosen queue pair
  logic          walk_sel_hit;         // the next record is the one chosen now
  logic [SW-1:0] c_slot_stay, c_slot_next;   // last slot of burst rec_b / rec_b + 1
  always_comb begin : b_next_cands
    int i;
    logic [OW-1:0] rec_w_n_l;   // record index only
    logic [OW-1:0] rec_c_l;
    logic [2:0] n_l;
    logic [SW-1:0] slot_l [2];
    // the record W works on next: this one, or the next when this beat
    // ends its burst; both looked up from registers, the beat picks
    rec_w_n_l = rec_w[OW-1:0] + OW'(1);
    walk_rec = w_burst_done ? x_wcur[rec_qp[rec_w_n_l]] : x_wcur[w_rec_qp];
    walk_sel = x_wcur[sel_qp];
    walk_sel_hit = w_burst_done ? rec_wr[OW-1:0] == rec_w_n_l : rec_wr[OW-1:0] == rec_w[OW-1:0];
    for (i = 0; i < 2; i++) begin
      rec_c_l = rec_b[OW-1:0] + OW'(i);
      n_l = i == 0 ? b_rec_n : b1_rec_n;
      slot_l[i] = rec_slot[{rec_c_l, 2'(n_l - 3'd1)}];
      if (w_desc_done && wr_i == rec_c_l && {1'b0, w_idx_q} == n_l - 3'd1) slot_l[i] = w_slot;
    end
    c_slot_stay = slot_l[0];
    c_slot_next = slot_l[1];
  end
  always_comb begin : b_next_reads
    walk_raddr = rst ? '0 : (sel_valid && walk_sel_hit) ? walk_sel : walk_rec;
    nxt_raddr_c = b_fire ? c_slot_next : c_slot_stay;
  end

  // The selected queue pair's write pointer and ring slot, the committing
  // one's tail (one adder each, not one per queue pair).
  logic [15:0] sel_wptr, sel_slot, b_tail;
  always_comb begin : b_shared
    logic [15:0] mask_l;
    mask_l = cq_mask[32'(sel_qp)*16 +: 16];   // ring entries - 1
    sel_wptr = wptr_q[sel_qp];
    sel_slot = sel_wptr & mask_l;
    b_tail = tail_q[b_q];
  end

  // A queue pair's burst candidate {n[2:0], ok, full}: a burst takes what
  // its 64-byte group (two entries in a ring of two) still holds, no more
  // than waits and fits; full when that is the whole rest of the group.
  // Free entries are CQ_HEAD + ring - wptr (wptr never passes that limit:
  // the fill below CQ_HEAD + ring is at most the ring), so the difference is
  // the room itself, 0 to 2^15. Counts enter saturated at 7 (more than a
  // group), with a burst's size k taken off first: a count of 16 or more
  // stays at least 12, so only its low four bits are subtracted (the caller
  // takes off no more than the count holds).
  function automatic logic [2:0] sat7_less(input logic [15:0] v, input logic [2:0] k);
    logic [3:0] d;
    d = v[3:0] - {1'b0, k};
    sat7_less = v[15:4] != '0 || d[3] ? 3'd7 : d[2:0];
  endfunction
  function automatic logic [4:0] burst_cand(input logic [2:0] space, input logic [2:0] waiting,
                                            input logic [1:0] wptr_low, input logic ring_of_two);
    logic [2:0] n_align;
    logic [2:0] n;
    n_align = ring_of_two ? 3'd2 - {2'd0, wptr_low[0]} : 3'd4 - {1'b0, wptr_low};
    n = n_align;
    if (waiting < n) n = waiting;
    if (space < n) n = space;
    burst_cand = {n, waiting != 3'd0 && space != 3'd0, waiting >= n_align && space >= n_align};
  endfunction

  // Each queue pair's next candidate as it stays, and as it is when the
  // pick register's burst issues now (only the picked queue pair's is used;
  // its burst's size is the queue pair's own candidate size of a cycle ago):
  // both from registers, one room subtraction each.
  logic [4:0] cand_kept[NUM_QP], cand_issued[NUM_QP];
  always_comb begin : b_next_cands_aw
    int q;
    logic [15:0] room_l;
    logic [15:0] unissued_l;
    logic two_l;
    for (q = 0; q < NUM_QP; q++) begin
      room_l = cq_limit[q*16 +: 16] - wptr_q[q];
      unissued_l = 16'(n_unissued[q]);
      two_l = cq_size[q*4 +: 4] == 4'd1;
      cand_kept[q] = burst_cand(sat7_less(room_l, 3'd0), sat7_less(unissued_l, 3'd0), wptr_q[q][1:0], two_l);
      cand_issued[q] = burst_cand(sat7_less(room_l, cand_n_d[q]), sat7_less(unissued_l, cand_n_d[q]),
                                  wptr_q[q][1:0] + cand_n_d[q][1:0], two_l);
    end
  end

  always_ff @(posedge clk) begin : p_state
    int q, i;
    logic ev_a_l;
    logic ev_i_l;
    logic ev_w_l;
    logic ev_c_l;
    logic ev_b_l;
    logic [NW-1:0] x_total_l;
    logic [NW-1:0] x_kept_l;       // the count if no burst of the queue pair commits now
    logic [NW-1:0] x_committed_l;  // ... if the head burst commits now
    logic [4:0] cand_l;
    logic [51:0] sel_base_l;
    logic [5:0] beats_pend_l;
    sel_base_l = '0;
    beats_pend_l = '0;
    ev_a_l = 1'b0;
    ev_i_l = 1'b0;
    ev_w_l = 1'b0;
    ev_c_l = 1'b0;
    ev_b_l = 1'b0;
    x_total_l = '0;
    x_kept_l = '0;
    x_committed_l = '0;
    cand_l = '0;
    if (rst) begin
      for (q = 0; q < NUM_QP; q++) begin
        l_head[q] <= '0;
        l_wcur[q] <= '0;
        l_tail[q] <= '0;
        n_total[q] <= '0;
        n_unwalked[q] <= '0;
        n_unissued[q] <= '0;
        wptr_q[q] <= '0;
        tail_q[q] <= '0;
        inflight[q] <= '0;
        rewind_q[q] <= 1'b0;
        cand_n_q[q] <= '0;
        cand_n_d[q] <= '0;
      end
      cand_ok_q <= '0;
      cand_full_q <= '0;
      cand_fresh_q <= '0;
      w_low_q <= 1'b1;
      for (i = 0; i < MAX_OUT; i++) begin
        rec_qp[i] <= '0;
        rec_n[i] <= '0;
        rec_ptr[i] <= '0;
      end
      rec_wr <= '0;
      rec_w <= '0;
      rec_b <= '0;
      w_rec_qp <= '0;
      w_rec_n <= '0;
      w_rec_ptr <= '0;
      b_rec_qp <= '0;
      b_rec_n <= '0;
      b1_rec_n <= '0;
      aw_valid_q <= 1'b0;
      aw_addr_q <= '0;
      aw_len_q <= '0;
      rr_q <= '0;
      pk_valid_q <= 1'b0;
      pk_qp_q <= '0;
      pk_oh_q <= '0;
      beats_pend_q <= '0;
      w_idx_q <= '0;
      w_beat_q <= 1'b0;
    end else begin
      for (q = 0; q < NUM_QP; q++) begin
        ev_a_l = a_valid && a_qp == QW'(q);
        ev_i_l = sel_valid && sel_oh[q];
        ev_w_l = w_desc_done && w_q == QW'(q);
        ev_c_l = b_commit && b_q == QW'(q);
        ev_b_l = b_fire && b_q == QW'(q);
        // both counts from registers; the commit, decided late in the cycle
        // (the B channel and the slot pool's ready), only picks one
        x_kept_l = n_total[q] + NW'(ev_a_l);
        x_committed_l = x_kept_l - NW'(b_n);
        x_total_l = ev_c_l ? x_committed_l : x_kept_l;
        // oldest unacknowledged
        // (the count after the commit is 0: compared, not subtracted, so
        // the compare of the counts runs beside the commit decision)
        if (ev_c_l ? n_total[q] == NW'(b_n) : n_total[q] == '0) begin
          if (ev_a_l) l_head[q] <= a_slot;
        end else if (ev_c_l) begin
          l_head[q] <= nxt_rdata_c;
        end
        l_wcur[q] <= x_wcur[q];
        if (ev_a_l) l_tail[q] <= a_slot;
        n_total[q] <= x_total_l;
        if (ev_r[q]) begin
          n_unwalked[q] <= x_total_l;
          n_unissued[q] <= x_total_l;
        end else begin
          n_unwalked[q] <= n_unwalked[q] + NW'(ev_a_l) - NW'(ev_w_l);
          n_unissued[q] <= n_unissued[q] + NW'(ev_a_l) - (ev_i_l ? NW'(cand_n_d[q]) : '0);
        end
        inflight[q] <= inflight[q] + (OW + 1)'(ev_i_l) - (OW + 1)'(ev_b_l);
        // the next cycle's candidate, from this cycle's pointers and counts
        // after this cycle's issue (its burst taken off: the queue pair
        // picks again from it in the next cycle); both forms are made from
        // registers, the issue chooses
        cand_l = ev_i_l ? cand_issued[q] : cand_kept[q];
        cand_n_q[q] <= cand_l[4:2];
        cand_n_d[q] <= cand_n_q[q];
        cand_ok_q[q] <= cand_l[1];
        cand_full_q[q] <= cand_l[0];
        cand_fresh_q[q] <= !ev_r[q] && !cq_reset[q];
        if (ev_i_l) wptr_q[q] <= sel_wptr + {13'd0, sel_n};
        if (ev_c_l) tail_q[q] <= b_tail + {13'd0, b_n};
        if (b_error && b_q == QW'(q)) rewind_q[q] <= 1'b1;
        if (ev_r[q]) begin
          rewind_q[q] <= 1'b0;
          wptr_q[q] <= tail_q[q];
        end
        if (cq_reset[q]) begin
          wptr_q[q] <= '0;
          tail_q[q] <= '0;
        end
      end
      if (m_axi_awvalid && m_axi_awready) aw_valid_q <= 1'b0;
      if (sel_valid) begin
        aw_valid_q <= 1'b1;
        // base (4 KiB aligned) + 16 * ring slot: the slot's low 8 bits fill
        // the page offset, only its upper bits are added to the base
        for (q = 0; q < NUM_QP; q++) if (sel_qp == QW'(q)) sel_base_l = cq_base[q*52 +: 52];
        aw_addr_q <= {sel_base_l + 52'(sel_slot[15:8]), sel_slot[7:0], 4'd0};
        aw_len_q <= {4'd0, sel_n, 1'b0} - 8'd1;
        rec_qp[rec_wr[OW-1:0]] <= sel_qp;
        rec_n[rec_wr[OW-1:0]] <= sel_n;
        rec_ptr[rec_wr[OW-1:0]] <= sel_wptr;
        rec_wr <= rec_wr + 1'b1;
      end
      // the next pick (a round robin turn is spent on it)
      pk_valid_q <= pk_hold || arb_valid;
      if (!pk_hold && arb_valid) begin
        pk_qp_q <= arb_qp;
        pk_oh_q <= arb_oh;
        rr_q <= arb_next;
      end
      beats_pend_l = beats_pend_q + (sel_valid ? {2'd0, sel_n, 1'b0} : 6'd0) - {5'd0, w_port_fire};
      beats_pend_q <= beats_pend_l;
      // W runs low: a burst picked now is accepted on AW (pick, issue, AW
      // register) before the beats owed are out, so W does not idle
      w_low_q <= beats_pend_l <= 6'd3;
      if (w_fire) begin
        w_beat_q <= !w_beat_q;
        if (w_desc_done) begin
          w_idx_q <= w_burst_done ? 2'd0 : w_idx_q + 2'd1;
        end
        if (w_burst_done) rec_w <= rec_w + 1'b1;
      end
      if (b_fire) rec_b <= rec_b + 1'b1;
      // The records at the next rec_w and rec_b (and the size of the one
      // after rec_b): the one written now if it lands there, else the
      // record there when the index moves (written in an earlier cycle, or
      // not yet written: then it is copied when it is); otherwise the copy
      // stays. A record is written only at rec_wr, and rec_wr - rec_b <
      // MAX_OUT when it is, so the full indices compare.
      if (sel_valid && rec_wr == rec_w + (OW + 1)'(w_burst_done)) begin
        w_rec_qp <= sel_qp;
        w_rec_n <= sel_n;
        w_rec_ptr <= sel_wptr;
      end else if (w_burst_done) begin
        w_rec_qp <= rec_qp[OW'(rec_w[OW-1:0] + OW'(1))];
        w_rec_n <= rec_n[OW'(rec_w[OW-1:0] + OW'(1))];
        w_rec_ptr <= rec_ptr[OW'(rec_w[OW-1:0] + OW'(1))];
      end
      if (sel_valid && rec_wr == rec_b + (OW + 1)'(b_fire)) begin
        b_rec_qp <= sel_qp;
        b_rec_n <= sel_n;
      end else if (b_fire) begin
        b_rec_qp <= rec_qp[OW'(rec_b[OW-1:0] + OW'(1))];
        b_rec_n <= rec_n[OW'(rec_b[OW-1:0] + OW'(1))];
      end
      if (sel_valid && rec_wr == rec_b + (OW + 1)'(1) + (OW + 1)'(b_fire)) b1_rec_n <= sel_n;
      else if (b_fire) b1_rec_n <= rec_n[OW'(rec_b[OW-1:0] + OW'(2))];
    end
  end

  logic unused_ok;
  assign unused_ok = ^{m_axi_bid, 1'b0};
endmodule

`default_nettype wire
