// Checker of PRM 7 "a halted queue pair issues no DMA", on the address
// channel of one DMA master (cpl_sq_fetch's AR, cpl_cq_writer's AW): a burst
// presented for the first time (valid, and not held over from a cycle where
// it was not taken) may not fall in the ring of a queue pair that is halted
// in that cycle. Nor may it fall only in rings of queue pairs that were
// disabled in the cycle before (when the burst was chosen: a queue pair
// disabled at the edge after its burst's choice still sees that burst; a
// disabled queue pair's ring may overlap an enabled one's, whose burst it
// then is). Nor may any new burst be offered after a cycle with quiesce up
// (SOFT_RESET: no new DMA). The ring of queue pair q is [base, base +
// ENTRY_BYTES * (mask + 1)), base a 4 KiB page number as the CSR block gives
// it.
`default_nettype none

module sva_halted_dma #(
    parameter int    NUM_QP = 4,
    parameter int    ENTRY_BYTES = 32,
    parameter string NAME = "dma"
) (
    input wire                  clk,
    input wire                  rst,
    input wire [NUM_QP-1:0]     qp_halted,
    input wire [NUM_QP-1:0]     qp_enable,
    input wire                  quiesce,
    input wire [NUM_QP*52-1:0]  base,
    input wire [NUM_QP*16-1:0]  mask,     // ring entries - 1
    input wire [63:0]           addr,
    input wire                  valid,
    input wire                  ready
);
  logic held_q;   // the burst on the channel was offered and not taken last cycle
  logic [NUM_QP-1:0] enable_q;   // qp_enable of the cycle before
  logic              quiesce_q;  // quiesce of the cycle before
  always_ff @(posedge clk) begin : p_held
    if (rst) held_q <= 1'b0;
    else held_q <= valid && !ready;
    enable_q <= qp_enable;
    quiesce_q <= quiesce;
  end

  always_ff @(posedge clk) begin : p_check
    int q;
    logic [63:0] lo_l;
    logic [63:0] hi_l;
    logic [NUM_QP-1:0] in_l;   // the burst falls in queue pair q's ring
    if (!rst && valid && !held_q) begin
      for (q = 0; q < NUM_QP; q++) begin
        lo_l = {base[q*52 +: 52], 12'd0};
        hi_l = lo_l + 64'(ENTRY_BYTES) * (64'(mask[q*16 +: 16]) + 64'd1);
        in_l[q] = addr >= lo_l && addr < hi_l;
        a_halted_no_dma: assert (!(qp_halted[q] && in_l[q]))
          else $error("SVA %s: a new burst at 0x%0h in the ring of queue pair %0d, which is halted",
                      NAME, addr, q);
      end
      a_disabled_no_dma: assert (!(in_l != '0 && (in_l & enable_q) == '0))
        else $error("SVA %s: a new burst at 0x%0h chosen for a disabled queue pair (rings 0x%0h)",
                    NAME, addr, in_l);
      a_quiesce_no_dma: assert (!quiesce_q)
        else $error("SVA %s: a new burst at 0x%0h chosen while quiescing", NAME, addr);
    end
  end
endmodule

`default_nettype wire
