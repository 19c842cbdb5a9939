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
    input  wire  [NUM_QP*16-1:0] cq_head,
    input  wire  [NUM_QP-1:0]    cq_reset,
    output logic [NUM_QP*16-1:0] cq_tail,
    output logic [NUM_QP-1:0]    halt_wr,
    output logic                 inc_dma_err,
    output logic                 commit_valid,
    output logic [QW-1:0]        commit_qp,
    output logic [2:0]           commit_n,
    output logic                 idle,

    input  wire                  app_valid,
    input  wire  [QW-1:0]        app_qp,
    input  wire  [SW-1:0]        app_slot,

    output logic [SW-1:0]        tag_raddr,
    input  wire  [63:0]          tag_rdata,
    output logic [SW-1:0]        cpl_raddr,
    input  wire  [54:0]          cpl_rdata,
    output logic [SW-1:0]        nxt_raddr_w,
    input  wire  [SW-1:0]        nxt_rdata_w,
    output logic [SW-1:0]        nxt_raddr_c,
    input  wire  [SW-1:0]        nxt_rdata_c,
    output logic                 nxt_we,        // link an appended slot
    output logic [SW-1:0]        nxt_waddr,
    output logic [SW-1:0]        nxt_wdata,
    output logic [3:0]           free_valid,
    output logic [4*SW-1:0]      free_slot,

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
`include "rtl/cpl_defs.svh"
  localparam int OW = $clog2(MAX_OUT);
  localparam int NW = SW + 1;   // list counts
  `CPL_CHECK(NUM_QP >= 1 && NUM_QP <= 16 && (1 << OW) == MAX_OUT && MAX_OUT >= 2, g_param_check)

  // per queue pair
  logic [SW-1:0] l_head[NUM_QP], l_wcur[NUM_QP], l_tail[NUM_QP];
  logic [NW-1:0] n_total[NUM_QP], n_unwalked[NUM_QP], n_unissued[NUM_QP];
  logic [15:0]   wptr_q[NUM_QP], tail_q[NUM_QP];
  logic [OW:0]   inflight[NUM_QP];
  logic          rewind_q[NUM_QP];

  // bursts from AW selection to write response
  logic [QW-1:0]   rec_qp[MAX_OUT];
  logic [2:0]      rec_n[MAX_OUT];
  logic [15:0]     rec_ptr[MAX_OUT];
  logic [4*SW-1:0] rec_slots[MAX_OUT];
  logic [OW:0]     rec_wr, rec_a, rec_w, rec_b;

  logic          aw_valid_q;
  logic [63:0]   aw_addr_q;
  logic [7:0]    aw_len_q;
  logic [QW-1:0] rr_q;
  logic [5:0]    beats_pend_q;    // W beats owed for selected bursts
  logic [1:0]    w_idx_q;
  logic          w_beat_q;

  // ------------------------------------------------------------ AW select
  logic [15:0]   used[NUM_QP];
  logic [16:0]   space[NUM_QP];
  logic [2:0]    n_align[NUM_QP];
  logic [2:0]    n_can[NUM_QP];
  logic [NUM_QP-1:0] can_issue;
  logic          w_low;
  logic          sel_valid;
  logic [QW-1:0] sel_qp;
  logic [2:0]    sel_n;

  always_comb begin
    w_low = beats_pend_q <= 6'd2;
    for (int q = 0; q < NUM_QP; q++) begin
      used[q] = wptr_q[q] - cq_head[q*16 +: 16];
      space[q] = (17'd1 << cq_size[q*4 +: 4]) - {1'b0, used[q]};
      if ({1'b0, used[q]} > (17'd1 << cq_size[q*4 +: 4])) space[q] = '0;
      n_align[q] = cq_size[q*4 +: 4] == 4'd1 ? 3'd2 - {2'd0, wptr_q[q][0]} : 3'd4 - {1'b0, wptr_q[q][1:0]};
      n_can[q] = n_align[q];
      if (n_unissued[q] < NW'(n_can[q])) n_can[q] = 3'(n_unissued[q]);
      if (space[q] < 17'(n_can[q])) n_can[q] = 3'(space[q]);
      can_issue[q] = !quiesce && qp_enable[q] && !qp_halted[q] && !rewind_q[q] && !cq_reset[q] &&
                     n_can[q] != 3'd0 && (n_can[q] == n_align[q] || w_low);
    end
    sel_valid = 1'b0;
    sel_qp = '0;
    for (int k = NUM_QP - 1; k >= 0; k--) begin
      if (can_issue[(32'(rr_q) + k) % NUM_QP]) begin
        sel_valid = 1'b1;
        sel_qp = QW'((32'(rr_q) + k) % NUM_QP);
      end
    end
    sel_n = n_can[sel_qp];
    sel_valid = sel_valid && (!aw_valid_q || m_axi_awready) &&
                (rec_wr - rec_b) != (OW + 1)'(MAX_OUT);
  end

  // ------------------------------------------------------------ W walker
  logic          w_active;
  logic [OW-1:0] wr_i;
  logic [QW-1:0] w_q;
  logic [SW-1:0] w_slot;
  logic [15:0]   w_ptr;
  logic          w_phase;
  logic          w_fire;
  logic          w_desc_done;   // second beat of a descriptor accepted
  logic          w_burst_done;

  always_comb begin
    w_active = rec_w != rec_a;
    wr_i = rec_w[OW-1:0];
    w_q = rec_qp[wr_i];
    w_slot = l_wcur[w_q];
    w_ptr = rec_ptr[wr_i] + {14'd0, w_idx_q};
    w_phase = ((w_ptr >> cq_size[32'(w_q)*4 +: 4]) & 16'd1) == 16'd0;
    tag_raddr = w_slot;
    cpl_raddr = w_slot;
    nxt_raddr_w = w_slot;
  end

  always_comb begin
    m_axi_wvalid = w_active;
    m_axi_wstrb = 8'hFF;
    m_axi_wlast = w_beat_q && ({1'b0, w_idx_q} == rec_n[wr_i] - 3'd1);
    if (!w_beat_q)
      m_axi_wdata = cpl_rdata[38:35] >= 4'(CPL_TYPE_RX_INDICATE) ? 64'd0 : tag_rdata;
    else
      m_axi_wdata = {w_phase, 8'd0, cpl_rdata[34:32], cpl_rdata[38:35], cpl_rdata[54:39],
                     cpl_rdata[31:0]};
    w_fire = m_axi_wvalid && m_axi_wready;
    w_desc_done = w_fire && w_beat_q;
    w_burst_done = w_fire && m_axi_wlast;
  end

  // ------------------------------------------------------------ B
  logic          b_have;
  logic [OW-1:0] br_i;
  logic [QW-1:0] b_q;
  logic [2:0]    b_n;
  logic          b_fire;
  logic          b_commit;
  logic          b_error;

  always_comb begin
    b_have = rec_b != rec_w;
    br_i = rec_b[OW-1:0];
    b_q = rec_qp[br_i];
    b_n = rec_n[br_i];
    m_axi_bready = 1'b1;       // responses with no burst outstanding are ignored
    b_fire = m_axi_bvalid && b_have;
    b_error = b_fire && m_axi_bresp != 2'b00 && !rewind_q[b_q];
    b_commit = b_fire && m_axi_bresp == 2'b00 && !rewind_q[b_q];
    nxt_raddr_c = rec_slots[br_i][(32'(b_n) - 1) * SW +: SW];
    inc_dma_err = b_fire && m_axi_bresp != 2'b00;
    halt_wr = '0;
    if (b_error) halt_wr[b_q] = 1'b1;
    commit_valid = b_commit;
    commit_qp = b_q;
    commit_n = b_n;
    for (int k = 0; k < 4; k++) begin
      free_valid[k] = b_commit && k < 32'(b_n);
      free_slot[k*SW +: SW] = rec_slots[br_i][k*SW +: SW];
    end
    idle = rec_wr == rec_b && !aw_valid_q;
  end

  always_comb begin
    m_axi_awid = 4'd0;
    m_axi_awaddr = aw_addr_q;
    m_axi_awlen = aw_len_q;
    m_axi_awsize = 3'd3;
    m_axi_awburst = 2'b01;
    m_axi_awvalid = aw_valid_q;
    for (int q = 0; q < NUM_QP; q++) cq_tail[q*16 +: 16] = tail_q[q];
  end

  // ------------------------------------------------------------ list update
  logic [SW-1:0] x_head[NUM_QP], x_wcur[NUM_QP], x_tail[NUM_QP];
  logic [NW-1:0] x_total[NUM_QP], x_unwalked[NUM_QP], x_unissued[NUM_QP];
  logic          ev_a[NUM_QP], ev_i[NUM_QP], ev_w[NUM_QP], ev_c[NUM_QP], ev_r[NUM_QP], ev_b[NUM_QP];

  always_comb begin
    nxt_we = app_valid && n_total[app_qp] != '0;
    nxt_waddr = l_tail[app_qp];
    nxt_wdata = app_slot;
  end

  always_comb begin
    for (int q = 0; q < NUM_QP; q++) begin
      ev_a[q] = app_valid && app_qp == QW'(q);
      ev_i[q] = sel_valid && sel_qp == QW'(q);
      ev_w[q] = w_desc_done && w_q == QW'(q);
      ev_c[q] = b_commit && b_q == QW'(q);
      ev_b[q] = b_fire && b_q == QW'(q);
      ev_r[q] = rewind_q[q] && inflight[q] == '0;
      x_tail[q] = ev_a[q] ? app_slot : l_tail[q];
      x_total[q] = n_total[q] + NW'(ev_a[q]) - (ev_c[q] ? NW'(b_n) : '0);
      // oldest unacknowledged
      x_head[q] = l_head[q];
      if (n_total[q] - (ev_c[q] ? NW'(b_n) : '0) == '0) begin
        if (ev_a[q]) x_head[q] = app_slot;
      end else if (ev_c[q]) begin
        x_head[q] = nxt_rdata_c;
      end
      if (ev_r[q]) begin
        x_unwalked[q] = x_total[q];
        x_unissued[q] = x_total[q];
        x_wcur[q] = n_total[q] == '0 ? x_head[q] : l_head[q];
      end else begin
        x_unwalked[q] = n_unwalked[q] + NW'(ev_a[q]) - NW'(ev_w[q]);
        x_unissued[q] = n_unissued[q] + NW'(ev_a[q]) - (ev_i[q] ? NW'(sel_n) : '0);
        x_wcur[q] = l_wcur[q];
        if (n_unwalked[q] - NW'(ev_w[q]) == '0) begin
          if (ev_a[q]) x_wcur[q] = app_slot;
        end else if (ev_w[q]) begin
          x_wcur[q] = nxt_rdata_w;
        end
      end
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      for (int q = 0; q < NUM_QP; q++) begin
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
      end
      for (int i = 0; i < MAX_OUT; i++) begin
        rec_qp[i] <= '0;
        rec_n[i] <= '0;
        rec_ptr[i] <= '0;
        rec_slots[i] <= '0;
      end
      rec_wr <= '0;
      rec_a <= '0;
      rec_w <= '0;
      rec_b <= '0;
      aw_valid_q <= 1'b0;
      aw_addr_q <= '0;
      aw_len_q <= '0;
      rr_q <= '0;
      beats_pend_q <= '0;
      w_idx_q <= '0;
      w_beat_q <= 1'b0;
    end else begin
      for (int q = 0; q < NUM_QP; q++) begin
        l_head[q] <= x_head[q];
        l_wcur[q] <= x_wcur[q];
        l_tail[q] <= x_tail[q];
        n_total[q] <= x_total[q];
        n_unwalked[q] <= x_unwalked[q];
        n_unissued[q] <= x_unissued[q];
        inflight[q] <= inflight[q] + (OW + 1)'(ev_i[q]) - (OW + 1)'(ev_b[q]);
        if (ev_i[q]) wptr_q[q] <= wptr_q[q] + {13'd0, sel_n};
        if (ev_c[q]) tail_q[q] <= tail_q[q] + {13'd0, b_n};
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
      if (m_axi_awvalid && m_axi_awready) begin
        aw_valid_q <= 1'b0;
        rec_a <= rec_a + 1'b1;
      end
      if (sel_valid) begin
        aw_valid_q <= 1'b1;
        aw_addr_q <= {cq_base[32'(sel_qp)*52 +: 52], 12'd0} +
                     {44'd0, wptr_q[sel_qp] & ((16'd1 << cq_size[32'(sel_qp)*4 +: 4]) - 16'd1), 4'd0};
        aw_len_q <= {4'd0, sel_n, 1'b0} - 8'd1;
        rr_q <= QW'((32'(sel_qp) + 1) % NUM_QP);
        rec_qp[rec_wr[OW-1:0]] <= sel_qp;
        rec_n[rec_wr[OW-1:0]] <= sel_n;
        rec_ptr[rec_wr[OW-1:0]] <= wptr_q[sel_qp];
        rec_wr <= rec_wr + 1'b1;
      end
      beats_pend_q <= beats_pend_q + (sel_valid ? {2'd0, sel_n, 1'b0} : 6'd0) - {5'd0, w_fire};
      if (w_fire) begin
        w_beat_q <= !w_beat_q;
        if (w_desc_done) begin
          rec_slots[wr_i][32'(w_idx_q) * SW +: SW] <= w_slot;
          w_idx_q <= w_burst_done ? 2'd0 : w_idx_q + 2'd1;
        end
        if (w_burst_done) rec_w <= rec_w + 1'b1;
      end
      if (b_fire) rec_b <= rec_b + 1'b1;
    end
  end

  logic unused_ok;
  assign unused_ok = ^{m_axi_bid, 1'b0};
endmodule

`default_nettype wire
