// CSR block: the AXI4-Lite register file of PRM section 3.
// Interfaces: AXI4-Lite slave (s_axil_*); configuration outputs per queue pair
// (flat buses, queue pair q at [q*W +: W]); event pulses in (DMA errors,
// protocol errors, counter increments); the connection-command handshake to
// the matcher (cmd_valid held until cmd_done).
// Invariants: only aligned 32-bit accesses with wstrb = F reach a register;
// anything else, an unmapped offset, a write to a read-only register, a base or
// size write while the queue pair is enabled, or a size outside 1..15 answers
// SLVERR and changes nothing. Ring sizes reset to 0 (unset); setting
// QP_CTRL.ENABLE while a size is 0 answers SLVERR. Write address and data are
// each taken into a holding register (awready and wready come from those
// registers alone); once both are held, the access check (SLVERR) is
// registered, and the write happens from the next cycle on. A CONN_CMD write
// while a command is busy stays held (no response) until the previous one is
// done, so commands run in order.
// SOFT_RESET: new DMA and output traffic stop (quiesce), the engine waits until
// every started AXI transaction and output message has finished (at most
// SRST_TIMEOUT cycles), then pulses srst for one cycle and only then answers
// the write. The AXI4-Lite channel state itself is only reset by rst.
`default_nettype none

module cpl_csr #(
    parameter int NUM_CONN  = 64,
    parameter int NUM_QP    = 4,
    parameter int REQ_SLOTS = 256
) (
    input  wire         clk,
    input  wire         rst,
    // soft reset sequencing
    output logic        srst,
    output logic        quiesce,
    input  wire         idle,

    // AXI4-Lite slave
    input  wire [15:0]  s_axil_awaddr,
    input  wire         s_axil_awvalid,
    output logic        s_axil_awready,
    input  wire [31:0]  s_axil_wdata,
    input  wire [3:0]   s_axil_wstrb,
    input  wire         s_axil_wvalid,
    output logic        s_axil_wready,
    output logic [1:0]  s_axil_bresp,
    output logic        s_axil_bvalid,
    input  wire         s_axil_bready,
    input  wire [15:0]  s_axil_araddr,
    input  wire         s_axil_arvalid,
    output logic        s_axil_arready,
    output logic [31:0] s_axil_rdata,
    output logic [1:0]  s_axil_rresp,
    output logic        s_axil_rvalid,
    input  wire         s_axil_rready,

    // global configuration
    output logic        ctrl_enable,

    // per queue pair configuration and status
    output logic [NUM_QP*52-1:0] sq_base,
    output logic [NUM_QP*16-1:0] sq_mask,    // ring entries - 1
    output logic [NUM_QP*16-1:0] sq_tail,
    output logic [NUM_QP-1:0]    sq_reset,
    input  wire  [NUM_QP*16-1:0] sq_head,
    output logic [NUM_QP*52-1:0] cq_base,
    output logic [NUM_QP*4-1:0]  cq_size,
    output logic [NUM_QP*16-1:0] cq_mask,    // ring entries - 1
    output logic [NUM_QP*16-1:0] cq_limit,   // CQ_HEAD + ring entries (mod 2^16)
    output logic [NUM_QP-1:0]    cq_reset,
    input  wire  [NUM_QP*16-1:0] cq_tail,
    output logic [NUM_QP-1:0]    arm_set,
    output logic [NUM_QP-1:0]    arm_fire_now,
    input  wire  [NUM_QP-1:0]    armed,
    output logic [NUM_QP*16-1:0] irq_mod_count,
    output logic [NUM_QP*32-1:0] irq_mod_timer,
    output logic [NUM_QP-1:0]    qp_enable,
    output logic [NUM_QP-1:0]    qp_irq_enable,
    output logic [NUM_QP-1:0]    qp_halted,
    input  wire  [NUM_QP-1:0]    halt_rd,
    input  wire  [NUM_QP-1:0]    halt_wr,
    input  wire  [NUM_QP-1:0]    qp_busy,     // QP_STATUS.BUSY: DMA of the queue pair in flight

    // protocol errors reported by the matcher
    input  wire         proto_err,
    input  wire [15:0]  proto_err_conn,

    // connection command to the matcher
    output logic        cmd_valid,
    output logic [15:0] cmd_conn,
    output logic [7:0]  cmd_qp,
    output logic [3:0]  cmd_op,
    output logic [31:0] cmd_arg,
    input  wire         cmd_done,
    input  wire [3:0]   cmd_result,

    // counter increments
    input  wire         inc_req_fetched,
    input  wire [2:0]   inc_cpl_written,
    input  wire         inc_evt,
    input  wire         inc_irq,
    input  wire         inc_proto_err,
    input  wire [1:0]   inc_dma_err,
    input  wire         inc_evt_late,

    // an ERR_STATUS bit rose (error interrupt request)
    output logic        err_irq
);
`include "rtl/cpl_check.svh"
  `CPL_CHECK(NUM_CONN >= 1 && NUM_CONN <= 4096 && NUM_QP >= 1 && NUM_QP <= 16 &&
             REQ_SLOTS >= 16 && REQ_SLOTS <= 4096, g_param_check)

  localparam int QW = NUM_QP > 1 ? $clog2(NUM_QP) : 1;
  localparam int SRST_TIMEOUT = 1024;
  localparam logic [1:0] RESP_OKAY = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;

  // ---------------------------------------------------------------- state
  logic        enable_q;
  logic [4:0]  err_status_q;
  logic [7:0]  err_info_qp_q;
  logic [15:0] err_info_conn_q;
  logic [31:0] cmd_arg_q;
  logic        cmd_busy_q;
  logic [27:0] cmd_word_q;  // [31:28] reserved, ignored
  logic [3:0]  cmd_result_q;
  logic [31:0] cnt_req_fetched_q, cnt_cpl_written_q, cnt_evt_q, cnt_irq_q;
  logic [31:0] cnt_proto_err_q, cnt_dma_err_q, cnt_evt_late_q;
  // Each counter's increment waits a cycle in a register (cnt_*_inc_q) and
  // is added in the next one; the value read is the register plus the
  // waiting increment (cnt_*), the same count an immediate update would
  // show. So the increments, which come late in their cycle (the matcher's
  // step, the R and B channels), reach no carry chain in that cycle.
  logic        cnt_req_fetched_inc_q, cnt_evt_inc_q, cnt_irq_inc_q, cnt_proto_err_inc_q;
  logic        cnt_evt_late_inc_q;
  logic [2:0]  cnt_cpl_written_inc_q;
  logic [1:0]  cnt_dma_err_inc_q;
  logic [31:0] cnt_req_fetched, cnt_cpl_written, cnt_evt, cnt_irq;
  logic [31:0] cnt_proto_err, cnt_dma_err, cnt_evt_late;
  always_comb begin : b_counters
    cnt_req_fetched = cnt_req_fetched_q + 32'(cnt_req_fetched_inc_q);
    cnt_cpl_written = cnt_cpl_written_q + 32'(cnt_cpl_written_inc_q);
    cnt_evt = cnt_evt_q + 32'(cnt_evt_inc_q);
    cnt_irq = cnt_irq_q + 32'(cnt_irq_inc_q);
    cnt_proto_err = cnt_proto_err_q + 32'(cnt_proto_err_inc_q);
    cnt_dma_err = cnt_dma_err_q + 32'(cnt_dma_err_inc_q);
    cnt_evt_late = cnt_evt_late_q + 32'(cnt_evt_late_inc_q);
  end

  // Per-queue-pair registers, stored as the flat buses the other blocks
  // read (queue pair q's field at [q*width +: width]), so the outputs are the
  // registers themselves.
  logic [NUM_QP*52-1:0] sq_base_q;
  logic [NUM_QP*4-1:0]  sq_size_q;
  logic [NUM_QP*16-1:0] sq_tail_q;
  logic [NUM_QP*52-1:0] cq_base_q;
  logic [NUM_QP*4-1:0]  cq_size_q;
  logic [NUM_QP*16-1:0] cq_head_q;
  // Ring masks and the CQ's write limit, formed when a size or CQ_HEAD is
  // written, so the blocks that read them add nothing in their own cycle.
  logic [NUM_QP*16-1:0] sq_mask_q;
  logic [NUM_QP*16-1:0] cq_mask_q;
  logic [NUM_QP*16-1:0] cq_limit_q;
  logic [NUM_QP*16-1:0] irq_count_q;
  logic [NUM_QP*32-1:0] irq_timer_q;
  logic [NUM_QP-1:0]    qp_en_q;
  logic [NUM_QP-1:0]    qp_irq_en_q;
  logic [NUM_QP-1:0]    halted_q;
  // SQ_SIZE and CQ_HEAD under their register names (the CSR checkers bind to
  // them; the other blocks take sq_mask and cq_limit instead)
  logic [NUM_QP*4-1:0]  sq_size;
  logic [NUM_QP*16-1:0] cq_head;
  assign sq_size = sq_size_q;
  assign cq_head = cq_head_q;

  // AXI4-Lite channel state (reset by rst only)
  logic        bvalid_q;
  logic        aw_held_q, w_held_q;   // write address / data taken, write not yet done
  logic [31:0] w_data_q;
  logic [3:0]  w_strb_q;
  logic [1:0]  bresp_q;
  logic        rvalid_q;
  logic [1:0]  rresp_q;
  logic [31:0] rdata_q;
  logic        srst_wait_q;
  logic [10:0] srst_cnt_q;
  logic        srst_q;

  // ---------------------------------------------------------------- decode
  localparam logic [1:0] ACC_BAD = 2'd0;
  localparam logic [1:0] ACC_RO = 2'd2;
  localparam logic [1:0] ACC_WO = 2'd3;

  // ---------------------------------------------------------------- write path
  logic        w_fire;
  logic        w_is_qp;
  logic [QW-1:0] w_qp;
  logic [7:0]  w_off;
  logic [1:0]  w_acc;
  logic        w_is_srst;
  logic        w_ok;           // the write takes effect
  logic        w_slverr;       // the checked write answers SLVERR (registered)
  logic        w_checked_q;    // w_slverr holds the held write's check

  always_comb begin : b_write_check
    logic w_is_cmd_l;
    logic w_is_srst_l;
    logic w_fire_l;
    logic w_ok_l;
    logic s_axil_awready_l;
    logic s_axil_wready_l;
    logic s_axil_bvalid_l;
    logic [1:0] s_axil_bresp_l;
    w_is_cmd_l = !w_is_qp && w_acc == ACC_WO && w_off == 8'(cpl_pkg::REG_CONN_CMD);
    w_is_srst_l = !w_is_qp && w_off == 8'(cpl_pkg::REG_CTRL) && !w_slverr && w_data_q[cpl_pkg::CTRL_SOFT_RESET_BIT];
    w_fire_l = aw_held_q && w_held_q && w_checked_q && !bvalid_q && !srst_wait_q && !srst_q &&
             !(w_is_cmd_l && !w_slverr && cmd_busy_q);
    w_ok_l = w_fire_l && !w_slverr;
    s_axil_awready_l = !aw_held_q;
    s_axil_wready_l = !w_held_q;
    s_axil_bvalid_l = bvalid_q;
    s_axil_bresp_l = bresp_q;
    w_is_srst = w_is_srst_l;
    w_fire = w_fire_l;
    w_ok = w_ok_l;
    s_axil_awready = s_axil_awready_l;
    s_axil_wready = s_axil_wready_l;
    s_axil_bvalid = s_axil_bvalid_l;
    s_axil_bresp = s_axil_bresp_l;
  end

  // Doorbell checks of the held write (PRM 7), formed in the clock edges of
  // the registers a queue-pair write changes (p_regs, p_pulses).
  // An SQ_TAIL may run at most the ring's 2^size entries ahead of SQ_HEAD.
  // (val - head) > 2^size is tested with the ring's mask (2^size - 1), not
  // with a shift and a second compare: a bit above bit `size` is set, or bit
  // `size` and a bit below it.
  function automatic logic sq_tail_bad(input logic [15:0] val, input logic [15:0] head,
                                       input logic [15:0] mask);
    logic [15:0] ahead_l;
    logic [15:0] upto_l;   // bits 0 .. size
    ahead_l = val - head;
    upto_l = {mask[14:0], 1'b1};
    sq_tail_bad = (ahead_l & ~upto_l) != 16'd0 ||
                  ((ahead_l & upto_l & ~mask) != 16'd0 && (ahead_l & mask) != 16'd0);
  endfunction
  // A CQ_HEAD may not pass CQ_TAIL (committed, acknowledged descriptors).
  function automatic logic cq_head_bad(input logic [15:0] val, input logic [15:0] head,
                                       input logic [15:0] tail);
    cq_head_bad = (val - head) > (tail - head);
  endfunction

  // AXI4-Lite write channel holding registers, write response and soft-reset
  // sequencing (rst only).
  always_ff @(posedge clk) begin : p_axil_write
    logic [cpl_pkg::CSR_DEC_W-1:0] aw_dec_l;
    logic slverr_l;
    logic sized_l;
    aw_dec_l = '0;
    slverr_l = 1'b0;
    sized_l = 1'b0;
    if (rst) begin
      aw_held_q <= 1'b0;
      w_is_qp <= 1'b0;   // the fields of address 0 (ID)
      w_qp <= '0;
      w_off <= '0;
      w_acc <= ACC_RO;
      w_held_q <= 1'b0;
      w_data_q <= '0;
      w_strb_q <= '0;
      bvalid_q <= 1'b0;
      bresp_q <= RESP_OKAY;
      srst_wait_q <= 1'b0;
      srst_cnt_q <= '0;
      srst_q <= 1'b0;
      w_checked_q <= 1'b0;
      w_slverr <= 1'b0;
    end else begin
      srst_q <= 1'b0;
      // The SLVERR check of a held write is formed and registered in the
      // cycle after both halves are held; the write happens from the next
      // cycle on. Only the write itself changes what the check reads, so the
      // result holds until it fires (a soft reset in between checks it again).
      if (aw_held_q && w_held_q && !w_checked_q && !srst_wait_q && !srst_q) begin
        w_checked_q <= 1'b1;
        // both rings of the write's queue pair sized
        sized_l = sq_size_q[32'(w_qp)*4 +: 4] != 4'd0 && cq_size_q[32'(w_qp)*4 +: 4] != 4'd0;
        if (w_strb_q != 4'hF || w_acc == ACC_BAD || w_acc == ACC_RO) begin
          slverr_l = 1'b1;
        end else if (w_is_qp) begin
          case (w_off)
            8'(cpl_pkg::REG_SQ_BASE_LO), 8'(cpl_pkg::REG_SQ_BASE_HI), 8'(cpl_pkg::REG_CQ_BASE_LO), 8'(cpl_pkg::REG_CQ_BASE_HI):
              slverr_l = qp_en_q[w_qp];
            8'(cpl_pkg::REG_SQ_SIZE), 8'(cpl_pkg::REG_CQ_SIZE):
              slverr_l = qp_en_q[w_qp] || w_data_q[4:0] < 5'(cpl_pkg::RING_SIZE_MIN) ||
                         w_data_q[4:0] > 5'(cpl_pkg::RING_SIZE_MAX);
            // Enabling a queue pair whose rings were never sized is refused.
            8'(cpl_pkg::REG_QP_CTRL):
              slverr_l = w_data_q[cpl_pkg::QP_CTRL_ENABLE_BIT] && !qp_en_q[w_qp] && !sized_l;
            default: slverr_l = 1'b0;
          endcase
        end
        w_slverr <= slverr_l;
      end
      if (srst_q) w_checked_q <= 1'b0;
      // The write address is decoded on its way into the holding register
      // (in the clock edge that takes it), so the held write starts from the
      // decoded fields.
      if (s_axil_awvalid && !aw_held_q) begin
        aw_dec_l = cpl_pkg::csr_decode(s_axil_awaddr, NUM_QP);
        aw_held_q <= 1'b1;
        w_is_qp <= aw_dec_l[14];
        w_qp <= QW'(aw_dec_l[13:10]);
        w_off <= aw_dec_l[9:2];
        w_acc <= aw_dec_l[1:0];
      end
      if (s_axil_wvalid && !w_held_q) begin
        w_held_q <= 1'b1;
        w_data_q <= s_axil_wdata;
        w_strb_q <= s_axil_wstrb;
      end
      if (bvalid_q && s_axil_bready) bvalid_q <= 1'b0;
      if (w_fire) begin
        aw_held_q <= 1'b0;
        w_held_q <= 1'b0;
        w_checked_q <= 1'b0;
        if (w_ok && w_is_srst) begin
          srst_wait_q <= 1'b1;
          srst_cnt_q <= '0;
        end else begin
          bvalid_q <= 1'b1;
          bresp_q <= w_slverr ? RESP_SLVERR : RESP_OKAY;
        end
      end
      if (srst_wait_q) begin
        srst_cnt_q <= srst_cnt_q + 1'b1;
        if (idle || srst_cnt_q == 11'(SRST_TIMEOUT)) begin
          srst_wait_q <= 1'b0;
          srst_q <= 1'b1;
        end
      end
      if (srst_q) begin
        bvalid_q <= 1'b1;
        bresp_q <= RESP_OKAY;
      end
    end
  end
  assign srst = srst_q;
  assign quiesce = srst_wait_q;

  // ---------------------------------------------------------------- registers
  logic rst_int;
  assign rst_int = rst || srst_q;

  // ERR_STATUS and ERR_INFO are computed in the clock edge (nothing else
  // reads the bits set or rising in a cycle).
  always_ff @(posedge clk) begin : p_regs
    int q;
    logic halt_any_l;
    logic [QW-1:0] halt_qp_l;
    logic [4:0] err_set_l;
    logic [4:0] err_next_l;
    logic [4:0] err_rise_l;
    logic [1:0] db_bad_l;   // {SQ_TAIL, CQ_HEAD} doorbell of the held write is bad
    db_bad_l = '0;
    halt_any_l = 1'b0;
    halt_qp_l = '0;
    err_set_l = 5'd0;
    err_next_l = 5'd0;
    err_rise_l = 5'd0;
    if (rst_int) begin
      enable_q <= 1'b0;
      err_status_q <= '0;
      err_info_qp_q <= '0;
      err_info_conn_q <= '0;
      cmd_arg_q <= '0;
      cmd_busy_q <= 1'b0;
      cmd_word_q <= '0;
      cmd_result_q <= '0;
      cnt_req_fetched_q <= '0;
      cnt_cpl_written_q <= '0;
      cnt_evt_q <= '0;
      cnt_irq_q <= '0;
      cnt_proto_err_q <= '0;
      cnt_dma_err_q <= '0;
      cnt_evt_late_q <= '0;
      cnt_req_fetched_inc_q <= 1'b0;
      cnt_cpl_written_inc_q <= '0;
      cnt_evt_inc_q <= 1'b0;
      cnt_irq_inc_q <= 1'b0;
      cnt_proto_err_inc_q <= 1'b0;
      cnt_dma_err_inc_q <= '0;
      cnt_evt_late_inc_q <= 1'b0;
      err_irq <= 1'b0;
      sq_base_q <= '0;
      sq_size_q <= '0;
      sq_tail_q <= '0;
      cq_base_q <= '0;
      cq_size_q <= '0;
      cq_head_q <= '0;
      sq_mask_q <= '0;
      cq_mask_q <= '0;
      cq_limit_q <= {NUM_QP{16'd1}};
      irq_count_q <= '0;
      irq_timer_q <= '0;
      qp_en_q <= '0;
      qp_irq_en_q <= '0;
      halted_q <= '0;
    end else begin
      for (q = 0; q < NUM_QP; q++) begin
        if (halt_rd[q] || halt_wr[q]) begin
          halt_any_l = 1'b1;
          halt_qp_l = QW'(q);
        end
        if (halt_rd[q]) err_set_l[cpl_pkg::ERR_DMA_RD_BIT] = 1'b1;
        if (halt_wr[q]) err_set_l[cpl_pkg::ERR_DMA_WR_BIT] = 1'b1;
      end
      if (proto_err) err_set_l[cpl_pkg::ERR_PROTO_BIT] = 1'b1;
      if (w_ok && w_is_qp) begin
        db_bad_l = {sq_tail_bad(w_data_q[15:0], sq_head[32'(w_qp)*16 +: 16], sq_mask_q[32'(w_qp)*16 +: 16]),
                    cq_head_bad(w_data_q[15:0], cq_head_q[32'(w_qp)*16 +: 16], cq_tail[32'(w_qp)*16 +: 16])};
        if ((w_off == 8'(cpl_pkg::REG_SQ_TAIL) && db_bad_l[1]) || (w_off == 8'(cpl_pkg::REG_CQ_HEAD) && db_bad_l[0]))
          err_set_l[cpl_pkg::ERR_DOORBELL_BIT] = 1'b1;
      end
      if (cmd_done && cmd_result != 4'(cpl_pkg::CMD_OK)) err_set_l[cpl_pkg::ERR_CMD_BIT] = 1'b1;
      err_next_l = err_status_q;
      if (w_ok && !w_is_qp && w_off == 8'(cpl_pkg::REG_ERR_STATUS)) err_next_l = err_next_l & ~w_data_q[4:0];
      // A bit set in the cycle a write clears it rises again (the clear acts
      // first), so an error is never merged into one already acknowledged.
      err_rise_l = err_set_l & ~err_next_l;
      err_next_l = err_next_l | err_set_l;
      err_status_q <= err_next_l;
      err_irq <= |err_rise_l;
      if (halt_any_l) err_info_qp_q <= 8'(halt_qp_l);
      else if (err_set_l[cpl_pkg::ERR_DOORBELL_BIT]) err_info_qp_q <= 8'(w_qp);
      if (proto_err) err_info_conn_q <= proto_err_conn;
      cnt_req_fetched_q <= cnt_req_fetched;
      cnt_cpl_written_q <= cnt_cpl_written;
      cnt_evt_q <= cnt_evt;
      cnt_irq_q <= cnt_irq;
      cnt_proto_err_q <= cnt_proto_err;
      cnt_dma_err_q <= cnt_dma_err;
      cnt_evt_late_q <= cnt_evt_late;
      cnt_req_fetched_inc_q <= inc_req_fetched;
      cnt_cpl_written_inc_q <= inc_cpl_written;
      cnt_evt_inc_q <= inc_evt;
      cnt_irq_inc_q <= inc_irq;
      cnt_proto_err_inc_q <= inc_proto_err;
      cnt_dma_err_inc_q <= inc_dma_err;
      cnt_evt_late_inc_q <= inc_evt_late;
      for (q = 0; q < NUM_QP; q++) begin
        if (halt_rd[q] || halt_wr[q]) halted_q[q] <= 1'b1;
      end
      if (cmd_done) begin
        cmd_busy_q <= 1'b0;
        cmd_result_q <= cmd_result;
      end
      if (w_ok && !w_is_qp) begin
        case (w_off)
          8'(cpl_pkg::REG_CTRL): if (!w_is_srst) enable_q <= w_data_q[cpl_pkg::CTRL_ENABLE_BIT];
          8'(cpl_pkg::REG_CONN_CMD_ARG): cmd_arg_q <= w_data_q;
          8'(cpl_pkg::REG_CONN_CMD): begin
            cmd_busy_q <= 1'b1;
            cmd_word_q <= w_data_q[27:0];
          end
          default: ;
        endcase
      end
      // (each queue pair's fields written at constant positions: one write
      // enable per queue pair, no shifter; the reads above select by index,
      // a balanced multiplexer)
      if (w_ok && w_is_qp) begin
        for (q = 0; q < NUM_QP; q++) if (w_qp == QW'(q)) begin
          case (w_off)
            8'(cpl_pkg::REG_SQ_BASE_LO): sq_base_q[q*52 +: 20] <= w_data_q[31:12];
            8'(cpl_pkg::REG_SQ_BASE_HI): sq_base_q[q*52 + 20 +: 32] <= w_data_q;
            8'(cpl_pkg::REG_SQ_SIZE): begin
              sq_size_q[q*4 +: 4] <= w_data_q[3:0];
              sq_mask_q[q*16 +: 16] <= ~(16'hFFFF << w_data_q[3:0]);
              sq_tail_q[q*16 +: 16] <= '0;
            end
            8'(cpl_pkg::REG_SQ_TAIL): if (!db_bad_l[1]) sq_tail_q[q*16 +: 16] <= w_data_q[15:0];
            8'(cpl_pkg::REG_CQ_BASE_LO): cq_base_q[q*52 +: 20] <= w_data_q[31:12];
            8'(cpl_pkg::REG_CQ_BASE_HI): cq_base_q[q*52 + 20 +: 32] <= w_data_q;
            8'(cpl_pkg::REG_CQ_SIZE): begin
              cq_size_q[q*4 +: 4] <= w_data_q[3:0];
              cq_mask_q[q*16 +: 16] <= ~(16'hFFFF << w_data_q[3:0]);
              cq_head_q[q*16 +: 16] <= '0;
              cq_limit_q[q*16 +: 16] <= 16'd1 << w_data_q[3:0];
            end
            8'(cpl_pkg::REG_CQ_HEAD): if (!db_bad_l[0]) begin
              cq_head_q[q*16 +: 16] <= w_data_q[15:0];
              cq_limit_q[q*16 +: 16] <= w_data_q[15:0] - ~cq_mask_q[q*16 +: 16];   // + mask + 1
            end
            8'(cpl_pkg::REG_IRQ_MOD_COUNT): irq_count_q[q*16 +: 16] <= w_data_q[15:0];
            8'(cpl_pkg::REG_IRQ_MOD_TIMER): irq_timer_q[q*32 +: 32] <= w_data_q;
            8'(cpl_pkg::REG_QP_CTRL): begin
              qp_en_q[q] <= w_data_q[cpl_pkg::QP_CTRL_ENABLE_BIT];
              qp_irq_en_q[q] <= w_data_q[cpl_pkg::QP_CTRL_IRQ_ENABLE_BIT];
              if (!w_data_q[cpl_pkg::QP_CTRL_ENABLE_BIT]) halted_q[q] <= 1'b0;
            end
            default: ;
          endcase
        end
      end
    end
  end

  // Pulses to the fetch, CQ writer and interrupt blocks, registered: each
  // reaches its block in the cycle after the write, from a flop (the write's
  // queue-pair decode and doorbell compare stay inside this block). A ring
  // size write needs its queue pair disabled, so nothing fetches or writes on
  // that ring in the cycle between. A re-arm's fire-at-once flag is the
  // compare of the written CQ_HEAD with the CQ_TAIL of the write's cycle; the
  // interrupt block adds what committed in that cycle (cpl_irq).
  logic [NUM_QP-1:0] sq_reset_q, cq_reset_q, arm_set_q, arm_fire_now_q;
  always_ff @(posedge clk) begin : p_pulses
    int q;
    logic cq_bad_l;
    logic [15:0] beyond_l;
    cq_bad_l = 1'b0;
    beyond_l = '0;
    sq_reset_q <= '0;
    cq_reset_q <= '0;
    arm_set_q <= '0;
    arm_fire_now_q <= '0;
    if (!rst && w_ok && w_is_qp) begin
      cq_bad_l = cq_head_bad(w_data_q[15:0], cq_head_q[32'(w_qp)*16 +: 16], cq_tail[32'(w_qp)*16 +: 16]);
      beyond_l = cq_tail[32'(w_qp)*16 +: 16] - w_data_q[15:0];   // committed beyond the new CQ_HEAD
      // (one bit per queue pair, decoded by equalities)
      for (q = 0; q < NUM_QP; q++) if (w_qp == QW'(q)) begin
        if (w_off == 8'(cpl_pkg::REG_SQ_SIZE)) sq_reset_q[q] <= 1'b1;
        if (w_off == 8'(cpl_pkg::REG_CQ_SIZE)) cq_reset_q[q] <= 1'b1;
        if (w_off == 8'(cpl_pkg::REG_CQ_HEAD) && !cq_bad_l && w_data_q[cpl_pkg::CQ_HEAD_ARM_BIT]) begin
          arm_set_q[q] <= 1'b1;
          arm_fire_now_q[q] <= beyond_l != 16'd0 && !beyond_l[15];
        end
      end
    end
  end
  assign sq_reset = sq_reset_q;
  assign cq_reset = cq_reset_q;
  assign arm_set = arm_set_q;
  assign arm_fire_now = arm_fire_now_q;

  // The configuration outputs are the registers.
  assign ctrl_enable = enable_q;
  assign cmd_valid = cmd_busy_q;
  assign cmd_conn = cpl_pkg::cmd_conn({4'd0, cmd_word_q});
  assign cmd_qp = cpl_pkg::cmd_qp({4'd0, cmd_word_q});
  assign cmd_op = cpl_pkg::cmd_op({4'd0, cmd_word_q});
  assign cmd_arg = cmd_arg_q;
  assign sq_base = sq_base_q;
  assign sq_mask = sq_mask_q;
  assign sq_tail = sq_tail_q;
  assign cq_base = cq_base_q;
  assign cq_size = cq_size_q;
  assign cq_mask = cq_mask_q;
  assign cq_limit = cq_limit_q;
  assign irq_mod_count = irq_count_q;
  assign irq_mod_timer = irq_timer_q;
  assign qp_enable = qp_en_q;
  assign qp_irq_enable = qp_irq_en_q;
  assign qp_halted = halted_q;

  // ---------------------------------------------------------------- read path
  // The address is decoded and the register chosen in the clock edge that
  // takes the read: nothing else uses them. The register is picked from a
  // table by its word index (a queue pair's register by {qp, offset[5:2]}, a
  // global one by offset[6:2]); an unmapped or write-only offset reads 0.
  localparam int QROWS = 1 << QW;
  always_ff @(posedge clk) begin : p_read
    int q;
    logic [cpl_pkg::CSR_DEC_W-1:0] r_dec_l;
    logic r_is_qp_l;
    logic [QW-1:0] r_qp_l;
    logic [7:0] r_off_l;
    logic [1:0] r_acc_l;
    logic [QROWS*16*32-1:0] q_tbl_l;   // {qp, offset[5:2]} -> register
    logic [32*32-1:0] g_tbl_l;         // offset[6:2] -> register
    logic [QW+3:0] q_idx_l;
    logic [4:0] g_idx_l;
    logic [31:0] r_data_l;
    r_dec_l = '0;
    r_is_qp_l = 1'b0;
    r_qp_l = '0;
    r_off_l = '0;
    r_acc_l = '0;
    r_data_l = 32'd0;
    q_idx_l = '0;
    g_idx_l = '0;
    if (rst) begin
      rvalid_q <= 1'b0;
      rresp_q <= RESP_OKAY;
      rdata_q <= '0;
    end else begin
      if (rvalid_q && s_axil_rready) rvalid_q <= 1'b0;
      if (s_axil_arvalid && !rvalid_q) begin
        r_dec_l = cpl_pkg::csr_decode(s_axil_araddr, NUM_QP);
        r_is_qp_l = r_dec_l[14];
        r_qp_l = QW'(r_dec_l[13:10]);
        r_off_l = r_dec_l[9:2];
        r_acc_l = r_dec_l[1:0];
        // the tables only in the edge that takes a read (unmapped words read 0)
        q_tbl_l = '0;
        g_tbl_l = '0;
        g_tbl_l[(cpl_pkg::REG_ID / 4) * 32 +: 32] = cpl_pkg::CPL_ID_VALUE;
        g_tbl_l[(cpl_pkg::REG_VERSION / 4) * 32 +: 32] = cpl_pkg::CPL_VERSION_VALUE;
        g_tbl_l[(cpl_pkg::REG_CAPS0 / 4) * 32 +: 32] = {8'd0, 8'(NUM_QP), 16'(NUM_CONN)};
        g_tbl_l[(cpl_pkg::REG_CAPS1 / 4) * 32 +: 32] = {16'd0, 16'(REQ_SLOTS)};
        g_tbl_l[(cpl_pkg::REG_CTRL / 4) * 32 +: 32] = {31'd0, enable_q};
        g_tbl_l[(cpl_pkg::REG_ERR_STATUS / 4) * 32 +: 32] = {27'd0, err_status_q};
        g_tbl_l[(cpl_pkg::REG_ERR_INFO / 4) * 32 +: 32] = {err_info_conn_q, 8'd0, err_info_qp_q};
        g_tbl_l[(cpl_pkg::REG_CONN_CMD_ARG / 4) * 32 +: 32] = cmd_arg_q;
        g_tbl_l[(cpl_pkg::REG_CONN_CMD_STATUS / 4) * 32 +: 32] = {24'd0, cmd_result_q, 3'd0, cmd_busy_q};
        g_tbl_l[(cpl_pkg::REG_CNT_REQ_FETCHED / 4) * 32 +: 32] = cnt_req_fetched;
        g_tbl_l[(cpl_pkg::REG_CNT_CPL_WRITTEN / 4) * 32 +: 32] = cnt_cpl_written;
        g_tbl_l[(cpl_pkg::REG_CNT_EVT / 4) * 32 +: 32] = cnt_evt;
        g_tbl_l[(cpl_pkg::REG_CNT_IRQ / 4) * 32 +: 32] = cnt_irq;
        g_tbl_l[(cpl_pkg::REG_CNT_PROTO_ERR / 4) * 32 +: 32] = cnt_proto_err;
        g_tbl_l[(cpl_pkg::REG_CNT_DMA_ERR / 4) * 32 +: 32] = cnt_dma_err;
        g_tbl_l[(cpl_pkg::REG_CNT_EVT_LATE / 4) * 32 +: 32] = cnt_evt_late;
        for (q = 0; q < NUM_QP; q++) begin
          q_tbl_l[(q * 16 + cpl_pkg::REG_SQ_BASE_LO / 4) * 32 +: 32] = {sq_base_q[q*52 +: 20], 12'd0};
          q_tbl_l[(q * 16 + cpl_pkg::REG_SQ_BASE_HI / 4) * 32 +: 32] = sq_base_q[q*52 + 20 +: 32];
          q_tbl_l[(q * 16 + cpl_pkg::REG_SQ_SIZE / 4) * 32 +: 32] = {28'd0, sq_size[q*4 +: 4]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_SQ_TAIL / 4) * 32 +: 32] = {16'd0, sq_tail_q[q*16 +: 16]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_SQ_HEAD / 4) * 32 +: 32] = {16'd0, sq_head[q*16 +: 16]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_CQ_BASE_LO / 4) * 32 +: 32] = {cq_base_q[q*52 +: 20], 12'd0};
          q_tbl_l[(q * 16 + cpl_pkg::REG_CQ_BASE_HI / 4) * 32 +: 32] = cq_base_q[q*52 + 20 +: 32];
          q_tbl_l[(q * 16 + cpl_pkg::REG_CQ_SIZE / 4) * 32 +: 32] = {28'd0, cq_size_q[q*4 +: 4]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_CQ_HEAD / 4) * 32 +: 32] = {armed[q], 15'd0, cq_head[q*16 +: 16]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_CQ_TAIL / 4) * 32 +: 32] = {16'd0, cq_tail[q*16 +: 16]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_IRQ_MOD_COUNT / 4) * 32 +: 32] = {16'd0, irq_count_q[q*16 +: 16]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_IRQ_MOD_TIMER / 4) * 32 +: 32] = irq_timer_q[q*32 +: 32];
          q_tbl_l[(q * 16 + cpl_pkg::REG_QP_CTRL / 4) * 32 +: 32] = {30'd0, qp_irq_en_q[q], qp_en_q[q]};
          q_tbl_l[(q * 16 + cpl_pkg::REG_QP_STATUS / 4) * 32 +: 32] =
              {28'd0, qp_busy[q], armed[q], halted_q[q], qp_en_q[q]};
        end
        // the word offset within the queue pair's block or the global page
        // (beyond both tables the access is unmapped)
        q_idx_l = {r_qp_l, 4'(r_off_l >> 2)};
        g_idx_l = 5'(r_off_l >> 2);
        r_data_l = r_is_qp_l ? q_tbl_l[32'(q_idx_l) * 32 +: 32] : g_tbl_l[32'(g_idx_l) * 32 +: 32];
        rvalid_q <= 1'b1;
        rresp_q <= r_acc_l == ACC_BAD ? RESP_SLVERR : RESP_OKAY;
        rdata_q <= (r_acc_l == ACC_BAD || r_acc_l == ACC_WO) ? 32'd0 : r_data_l;
      end
    end
  end
  always_comb begin : b_read_out
    logic s_axil_arready_l;
    logic s_axil_rvalid_l;
    logic [1:0] s_axil_rresp_l;
    logic [31:0] s_axil_rdata_l;
    s_axil_arready_l = !rvalid_q;
    s_axil_rvalid_l = rvalid_q;
    s_axil_rresp_l = rresp_q;
    s_axil_rdata_l = rdata_q;
    s_axil_arready = s_axil_arready_l;
    s_axil_rvalid = s_axil_rvalid_l;
    s_axil_rresp = s_axil_rresp_l;
    s_axil_rdata = s_axil_rdata_l;
  end
endmodule

`default_nettype wire
