// The checkers of verif/sva/ on a test top that makes every checker input a
// port: each assertion stays quiet on a legal sequence and fires on a
// broken one (the message names what broke).
#include <gtest/gtest.h>
#include <verilated.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "Vsva_test_top.h"

namespace {

class SvaChecker : public ::testing::Test {
 protected:
  SvaChecker() : top_(std::make_unique<Vsva_test_top>(&context_, "top")) {
    context_.fatalOnError(false);
    context_.errorLimit(1000);
  }
  ~SvaChecker() override { top_->final(); }

  Vsva_test_top& io() { return *top_; }

  // One rising edge with the inputs as set.
  void step() {
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
  }
  // Every checker's inputs idle and legal (16 request slots free; the
  // connection table ready once its kConnTableClear cycles of clearing are
  // over, see run()).
  void reset() {
    sinceReset_ = 0;
    top_->p_req_free_cnt = 16;
    top_->c_cq_limit = 1;  // CQ_HEAD 0 + 2^0 (CQ_SIZE 0)
    top_->rst = 1;
    top_->i_rst_port = 1;
    step();
    top_->rst = 0;
    top_->i_rst_port = 0;
  }
  // Runs `cycles` edges and returns what the checkers printed.
  std::string run(unsigned cycles, const std::function<void(unsigned)>& drive) {
    ::testing::internal::CaptureStdout();
    for (unsigned c = 0; c < cycles; ++c) {
      top_->t_ready = sinceReset_ >= kConnTableClear;  // drive() may override it
      drive(c);
      step();
      ++sinceReset_;
    }
    std::fflush(stdout);
    return ::testing::internal::GetCapturedStdout();
  }
  int errors() const { return context_.errorCount(); }

  // Passes when a checker has reported an error and `out` (what the checkers
  // printed) names `text`.
  ::testing::AssertionResult fired(const std::string& out, const std::string& text) const {
    if (errors() > 0 && out.find(text) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << errors() << " errors, no \"" << text << "\" in the output: " << out;
  }
  // Passes when no checker has reported an error.
  ::testing::AssertionResult quiet(const std::string& out) const {
    if (errors() == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << errors() << " errors: " << out;
  }
  // reset(), then run(cycles, drive), then fired() or quiet().
  ::testing::AssertionResult firesAfterReset(const std::string& text, unsigned cycles,
                                             const std::function<void(unsigned)>& drive) {
    reset();
    return fired(run(cycles, drive), text);
  }
  ::testing::AssertionResult quietAfterReset(unsigned cycles,
                                             const std::function<void(unsigned)>& drive) {
    reset();
    return quiet(run(cycles, drive));
  }

  static constexpr unsigned kConnTableClear = 4;  // the test top's sva_conn_table: 4 connections

  VerilatedContext context_;
  std::unique_ptr<Vsva_test_top> top_;
  unsigned sinceReset_ = 0;  // edges since reset()
};

// ---------------------------------------------------------------- streams

// The checks themselves: fired() fails on a quiet run and on a message that
// was not printed; quiet() fails once a checker has reported an error.
TEST_F(SvaChecker, FiredAndQuietFailWhenTheyMust) {
  const auto held = [&](unsigned c) {
    io().st_valid = c < 5;
    io().st_ready = c == 4;
    io().st_data = 0x5A;
  };
  const auto dropped = [&](unsigned c) {
    io().st_valid = c < 2;
    io().st_ready = 0;
    io().st_data = 0x5A;
  };
  EXPECT_FALSE(firesAfterReset("test stream", 6, held));
  EXPECT_FALSE(firesAfterReset("no checker prints this", 4, dropped));
  EXPECT_FALSE(quietAfterReset(6, held));  // the error of the run before still counts
}

TEST_F(SvaChecker, StreamHeldUntilReadyIsQuiet) {
  EXPECT_TRUE(quietAfterReset(6, [&](unsigned c) {
    io().st_valid = c < 5;
    io().st_ready = c == 4;
    io().st_data = c < 5 ? 0x5A : 0x11;
  }));
}

TEST_F(SvaChecker, StreamValidDroppedBeforeReadyFires) {
  EXPECT_TRUE(firesAfterReset("test stream: valid dropped before ready", 4, [&](unsigned c) {
    io().st_valid = c < 2;
    io().st_ready = 0;
    io().st_data = 0x5A;
  }));
}

TEST_F(SvaChecker, StreamPayloadChangedWhileStalledFires) {
  EXPECT_TRUE(firesAfterReset("test stream: payload changed while stalled", 4, [&](unsigned c) {
    io().st_valid = 1;
    io().st_ready = 0;
    io().st_data = c < 2 ? 0x5A : 0x5B;
  }));
}

// ---------------------------------------------------------------- FIFO

// Drives the FIFO checker's ports as a FIFO of `depth` words would.
struct FifoDriver {
  uint8_t words[8] = {};
  unsigned count = 0;
};

TEST_F(SvaChecker, FifoLegalTrafficIsQuiet) {
  reset();
  FifoDriver f;
  const std::string out = run(20, [&](unsigned c) {
    io().f_s_valid = c % 3 != 2;
    io().f_s_data = uint8_t(c + 1);
    io().f_s_ready = f.count < 4;
    io().f_m_valid = f.count > 0;
    io().f_m_data = f.words[0];
    io().f_m_ready = c % 2;
    const bool pop = io().f_m_valid && io().f_m_ready;
    const bool push = io().f_s_valid && io().f_s_ready;
    if (pop) {
      for (unsigned i = 0; i + 1 < 8; ++i) f.words[i] = f.words[i + 1];
      --f.count;
    }
    if (push) f.words[f.count++] = io().f_s_data;
  });
  EXPECT_TRUE(quiet(out));
}

TEST_F(SvaChecker, FifoPushIntoFullFires) {
  EXPECT_TRUE(firesAfterReset("test fifo: push into a full FIFO", 6, [&](unsigned c) {
    io().f_s_valid = 1;
    io().f_s_ready = 1;  // a broken FIFO: ready although full
    io().f_s_data = uint8_t(c);
    io().f_m_valid = c > 0;
    io().f_m_data = 0;
    io().f_m_ready = 0;
  }));
}

TEST_F(SvaChecker, FifoValidWhileEmptyFires) {
  EXPECT_TRUE(firesAfterReset("test fifo: m_valid while the FIFO holds no word", 2, [&](unsigned) {
    io().f_s_valid = 0;
    io().f_m_valid = 1;
    io().f_m_ready = 1;
  }));
}

TEST_F(SvaChecker, FifoWordOutOfOrderFires) {
  EXPECT_TRUE(
      firesAfterReset("test fifo: output word is not the oldest word pushed", 3, [&](unsigned c) {
        io().f_s_valid = c < 2;
        io().f_s_ready = 1;
        io().f_s_data = c == 0 ? 0xA1 : 0xB2;
        io().f_m_valid = c == 2;
        io().f_m_ready = 1;
        io().f_m_data = 0xB2;  // the newer word first
      }));
}

// ---------------------------------------------------------------- slot pool

TEST_F(SvaChecker, SlotPoolAllocateAndFreeIsQuiet) {
  EXPECT_TRUE(quietAfterReset(4, [&](unsigned c) {
    io().p_req_free_cnt = c == 0 ? 16 : c == 1 ? 15 : c == 2 ? 15 : 16;
    io().p_req_alloc = c == 0;
    io().p_req_slot = 3;
    io().p_evt_alloc = c == 0;
    io().p_evt_avail = 1;
    io().p_evt_slot = 17;
    io().p_free_valid = c == 2;  // one record of two slots
    io().p_free_ready = 1;
    io().p_free_n = 2;
    io().p_free_slots = (17u << 5) | 3u;
  }));
}

TEST_F(SvaChecker, SlotPoolCompletionForAFreeSlotFires) {
  EXPECT_TRUE(firesAfterReset("completion freed slot 7, which is not in use", 2, [&](unsigned c) {
    io().p_req_free_cnt = 16;
    io().p_free_valid = c == 0;
    io().p_free_ready = 1;
    io().p_free_n = 1;
    io().p_free_slots = 7u;
  }));
}

TEST_F(SvaChecker, SlotPoolSlotHandedOutTwiceFires) {
  EXPECT_TRUE(firesAfterReset("request slot 5 handed out while busy", 2, [&](unsigned c) {
    io().p_req_free_cnt = c == 0 ? 16 : 15;
    io().p_req_alloc = 1;
    io().p_req_slot = 5;
  }));
}

TEST_F(SvaChecker, SlotPoolWrongFreeCountFires) {
  EXPECT_TRUE(firesAfterReset("req_free_cnt 15, 16 request slots free", 2,
                              [&](unsigned) { io().p_req_free_cnt = 15; }));
}

TEST_F(SvaChecker, SlotPoolFreeCountBeyondTheFreeSlotsFires) {
  reset();
  // Slot 4 is handed out, then a record brings it back: while the record
  // drains the count may lag, but it may never exceed the free slots.
  const std::string out = run(3, [&](unsigned c) {
    io().p_req_free_cnt = c == 0 ? 16 : 17;
    io().p_req_alloc = c == 0;
    io().p_req_slot = 4;
    io().p_free_valid = c == 1;
    io().p_free_ready = 1;
    io().p_free_n = 1;
    io().p_free_slots = 4u;
  });
  EXPECT_TRUE(fired(out, "req_free_cnt 17, 16 request slots free"));
}

TEST_F(SvaChecker, SlotPoolRecordOfNoSlotsFires) {
  EXPECT_TRUE(firesAfterReset("record of 0 slots handed back", 2, [&](unsigned c) {
    io().p_req_free_cnt = 16;
    io().p_free_valid = c == 0;
    io().p_free_ready = 1;
    io().p_free_n = 0;
  }));
}

TEST_F(SvaChecker, SlotPoolSlotFreedTwiceInOneCycleFires) {
  EXPECT_TRUE(firesAfterReset("slot 2 freed twice in one cycle", 2, [&](unsigned c) {
    io().p_req_free_cnt = c == 0 ? 16 : 15;
    io().p_req_alloc = c == 0;
    io().p_req_slot = 2;
    io().p_free_valid = c == 1;
    io().p_free_ready = 1;
    io().p_free_n = 2;
    io().p_free_slots = (2u << 5) | 2u;
  }));
}

// ---------------------------------------------------------------- interrupts

TEST_F(SvaChecker, IrqGrantsToRequestersRoundRobinAreQuiet) {
  reset();
  // Error rises with both queue pairs asking; messages 0, error, 1.
  const std::string out = run(8, [&](unsigned c) {
    io().i_irq_enable = 0x3;
    io().i_armed = c < 1 ? 0x3 : c < 4 ? 0x2 : 0x0;
    io().i_err_irq = c == 0;
    io().i_valid = c == 1 || c == 3 || c == 5;
    io().i_ready = 1;
    io().i_vector = c == 1 ? 0 : c == 3 ? 2 : 1;
  });
  EXPECT_TRUE(quiet(out));
}

TEST_F(SvaChecker, IrqGrantWithoutRequestFires) {
  EXPECT_TRUE(firesAfterReset("vector 1 granted without being requested", 2, [&](unsigned c) {
    io().i_irq_enable = 0x3;
    io().i_armed = 0x1;
    io().i_valid = c == 1;
    io().i_ready = 1;
    io().i_vector = 1;  // queue pair 1 never armed
  }));
}

TEST_F(SvaChecker, IrqVectorOutOfRangeFires) {
  EXPECT_TRUE(firesAfterReset("message vector 3 is no vector", 2, [&](unsigned c) {
    io().i_valid = c == 1;
    io().i_ready = 1;
    io().i_vector = 3;
  }));
}

TEST_F(SvaChecker, IrqErrorDroppedWhileThePortWasBusyFires) {
  reset();
  // The error rises while queue pair 0's message is stalled; once the port
  // is free, no error message ever follows.
  const std::string out = run(16, [&](unsigned c) {
    io().i_irq_enable = 0x1;
    io().i_armed = c == 0 ? 0x1 : 0x0;
    io().i_err_irq = c == 2;
    io().i_valid = c >= 1 && c < 6;
    io().i_ready = c == 5;
    io().i_vector = 0;
  });
  EXPECT_TRUE(fired(out, "error interrupt pending while the port stays free"));
}

TEST_F(SvaChecker, IrqArbiterThatNeverServesTheErrorFires) {
  reset();
  // Queue pairs 0 and 1 keep asking and keep being served; the error waits.
  const std::string out = run(12, [&](unsigned c) {
    io().i_irq_enable = 0x3;
    io().i_armed = 0x3;
    io().i_err_irq = c == 0;
    io().i_valid = c >= 1;
    io().i_ready = 1;
    io().i_vector = c % 2;
  });
  EXPECT_TRUE(fired(out, "other messages granted while the error interrupt waits"));
}

TEST_F(SvaChecker, IrqMessageDroppedBeforeReadyFires) {
  EXPECT_TRUE(firesAfterReset("irq message: valid dropped before ready", 3, [&](unsigned c) {
    io().i_irq_enable = 0x1;
    io().i_armed = 0x1;
    io().i_valid = c == 1;
    io().i_ready = 0;
    io().i_vector = 0;
  }));
}

// ---------------------------------------------------------------- CSR

TEST_F(SvaChecker, RingsWithinSizeAndCommandHandshakeAreQuiet) {
  EXPECT_TRUE(quietAfterReset(6, [&](unsigned c) {
    io().c_sq_size = 2;  // 4 entries
    io().c_sq_mask = 3;
    io().c_sq_tail = 0xFFFF + c;
    io().c_sq_head = uint16_t(0xFFFD + c);
    io().c_cq_size = 3;
    io().c_cq_mask = 7;
    io().c_cq_tail = uint16_t(8 + c);
    io().c_cq_head = uint16_t(c);
    io().c_cq_limit = uint16_t(c + 8);
    io().c_cmd_valid = c >= 1 && c <= 3;
    io().c_cmd_conn = 9;
    io().c_cmd_done = c == 3;
    io().c_srst = 0;
  }));
}

TEST_F(SvaChecker, SqPointersBeyondTheRingFire) {
  EXPECT_TRUE(firesAfterReset("SQ_TAIL - SQ_HEAD = 5 beyond the ring", 4, [&](unsigned) {
    io().c_sq_size = 2;
    io().c_sq_tail = 5;
    io().c_sq_head = 0;
  }));
}

TEST_F(SvaChecker, CqPointersBeyondTheRingFire) {
  EXPECT_TRUE(firesAfterReset("CQ_TAIL - CQ_HEAD = 3 beyond the ring", 4, [&](unsigned) {
    io().c_cq_size = 1;
    io().c_cq_tail = 1;
    io().c_cq_head = 0xFFFE;
  }));
}

TEST_F(SvaChecker, SqMaskNotMatchingTheSizeFires) {
  EXPECT_TRUE(
      firesAfterReset("queue pair 0 SQ mask 0007 does not match SQ_SIZE 2", 2, [&](unsigned) {
        io().c_sq_size = 2;
        io().c_sq_mask = 7;
      }));
}

TEST_F(SvaChecker, CqMaskNotMatchingTheSizeFires) {
  EXPECT_TRUE(
      firesAfterReset("queue pair 0 CQ mask 0001 does not match CQ_SIZE 2", 2, [&](unsigned) {
        io().c_cq_size = 2;
        io().c_cq_mask = 1;
        io().c_cq_limit = 4;
      }));
}

TEST_F(SvaChecker, CqLimitNotHeadPlusRingFires) {
  // CQ_HEAD moved without the limit following it
  EXPECT_TRUE(
      firesAfterReset("CQ write limit 0004 is not CQ_HEAD 0001 + 2^CQ_SIZE", 2, [&](unsigned) {
        io().c_cq_size = 2;
        io().c_cq_mask = 3;
        io().c_cq_head = 1;
        io().c_cq_limit = 4;
      }));
}

TEST_F(SvaChecker, CommandDroppedBeforeDoneFires) {
  EXPECT_TRUE(firesAfterReset("connection command dropped or changed before done", 3,
                              [&](unsigned c) { io().c_cmd_valid = c == 0; }));
}

TEST_F(SvaChecker, CommandChangedBeforeDoneFires) {
  EXPECT_TRUE(
      firesAfterReset("connection command dropped or changed before done", 3, [&](unsigned c) {
        io().c_cmd_valid = 1;
        io().c_cmd_op = uint8_t(c);
      }));
}

TEST_F(SvaChecker, DoneWithoutCommandFires) {
  EXPECT_TRUE(
      firesAfterReset("done without a command", 2, [&](unsigned c) { io().c_cmd_done = c == 0; }));
}

TEST_F(SvaChecker, SoftResetLongerThanOneCycleFires) {
  EXPECT_TRUE(
      firesAfterReset("srst longer than one cycle", 3, [&](unsigned c) { io().c_srst = c < 2; }));
}

// ---------------------------------------------------------------- connection table

// Drives the table's ports from cycle 4 on (after the clearing): a write of
// OFFLOADED (1) to connection 1 read at once (forwarded), then a take of
// connection 2 (still CLOSED), then connection 1 again. `stale` breaks the
// forwarded read, `wrongPick` returns the held connection's state on the take.
void driveConnTable(Vsva_test_top& io, unsigned c, bool stale, bool wrongPick) {
  io.t_we = c == 4;
  io.t_waddr = 1;
  io.t_wstate = 1;
  io.t_state_cur = 1;
  io.t_state_cand = 2;
  io.t_state_take = c == 5;
  io.t_rstate = 0;
  if (c == 5) io.t_rstate = stale ? 0 : 1;
  if (c == 6) io.t_rstate = wrongPick ? 1 : 0;
  if (c >= 7) io.t_rstate = 1;
}

TEST_F(SvaChecker, ConnTableClearingThenForwardedAndTakenReadsAreQuiet) {
  EXPECT_TRUE(quietAfterReset(10, [&](unsigned c) { driveConnTable(io(), c, false, false); }));
}

TEST_F(SvaChecker, ConnTableWriteWhileClearingFires) {
  EXPECT_TRUE(firesAfterReset("connection 3 written while clearing", 3, [&](unsigned c) {
    io().t_we = c == 1;
    io().t_waddr = 3;
  }));
}

TEST_F(SvaChecker, ConnTableStepWordWrittenWhileClearingFires) {
  EXPECT_TRUE(firesAfterReset("connection 2's word written while clearing", 3, [&](unsigned c) {
    io().t_main_we = c == 1;
    io().t_main_waddr = 2;
  }));
}

TEST_F(SvaChecker, ConnTableReadyBeforeTheClearingEndsFires) {
  EXPECT_TRUE(firesAfterReset("ready 1 2 cycles after reset (clearing takes 4)", 3,
                              [&](unsigned c) { io().t_ready = c >= 2; }));
}

TEST_F(SvaChecker, ConnTableNotReadyAfterTheClearingFires) {
  EXPECT_TRUE(firesAfterReset("ready 0 4 cycles after reset (clearing takes 4)", 6,
                              [&](unsigned c) { io().t_ready = c >= 5; }));
}

TEST_F(SvaChecker, ConnTableStateReadWithoutTheWriteOfItsCycleFires) {
  EXPECT_TRUE(firesAfterReset("state 0 read, expected 1", 7,
                              [&](unsigned c) { driveConnTable(io(), c, true, false); }));
}

TEST_F(SvaChecker, ConnTableStateOfTheHeldConnectionOnATakeFires) {
  EXPECT_TRUE(firesAfterReset("state 1 read, expected 0", 8,
                              [&](unsigned c) { driveConnTable(io(), c, false, true); }));
}

// sva_halted_dma: queue pair 0's ring is 4 entries of 32 bytes at page 1
// (0x1000..0x107F), queue pair 1's 2 entries at page 2; both enabled unless
// a test says otherwise.
class SvaHaltedDma : public SvaChecker {
 protected:
  void rings() {
    io().h_base[0] = 1;         // page of queue pair 0 in bits [51:0]
    io().h_base[1] = 2u << 20;  // page 2 of queue pair 1 in bits [103:52] (bit 52 = word 1 bit 20)
    io().h_mask = 3u | (1u << 16);
    io().h_enable = 0x3;
    io().h_quiesce = 0;
  }
};

TEST_F(SvaHaltedDma, ANewBurstInTheRingOfAHaltedQueuePairFires) {
  EXPECT_TRUE(
      firesAfterReset("test AR: a new burst at 0x1060 in the ring of queue pair 0, which is halted",
                      3, [&](unsigned c) {
                        rings();
                        io().h_halted = 0x1;
                        io().h_addr = 0x1060;
                        io().h_valid = c == 1;
                        io().h_ready = 1;
                      }));
}

TEST_F(SvaHaltedDma, BurstsOfOtherRingsAndBurstsOfferedBeforeTheHaltAreQuiet) {
  EXPECT_TRUE(quietAfterReset(8, [&](unsigned c) {
    rings();
    // queue pair 1 halted: bursts of queue pair 0, and just past queue pair
    // 1's ring (0x2040), go out
    io().h_halted = c < 4 ? 0x2 : 0x3;
    io().h_addr = c == 1 ? 0x1000 : c == 2 ? 0x2040 : 0x1020;
    io().h_valid = c >= 1;
    // the burst offered in cycle 3 is held over the halt of queue pair 0
    io().h_ready = c != 3 && c != 4 && c != 5;
    if (c > 5) io().h_valid = 0;
  }));
}

// A burst first offered in a cycle whose previous cycle had its queue pair
// disabled was chosen for a disabled queue pair.
TEST_F(SvaHaltedDma, ANewBurstChosenForADisabledQueuePairFires) {
  EXPECT_TRUE(
      firesAfterReset("test AR: a new burst at 0x1060 chosen for a disabled queue pair (rings 0x1)",
                      4, [&](unsigned c) {
                        rings();
                        io().h_enable = c < 1 ? 0x3 : 0x2;  // queue pair 0 disabled from cycle 1 on
                        io().h_addr = 0x1060;
                        io().h_valid = c == 2;
                        io().h_ready = 1;
                      }));
}

TEST_F(SvaHaltedDma, BurstsChosenBeforeTheDisableOrInAnEnabledOverlappingRingAreQuiet) {
  EXPECT_TRUE(quietAfterReset(8, [&](unsigned c) {
    rings();
    // queue pair 0 disabled from cycle 3 on: the burst first offered in
    // cycle 3 was chosen before, and it is held over cycle 4
    io().h_enable = c < 3 ? 0x3 : 0x2;
    io().h_addr = c == 2 ? 0x1020 : c == 6 ? 0x1000 : 0x1040;
    io().h_valid = c >= 2 && c <= 6 && c != 5;
    io().h_ready = c != 3;
    // queue pair 1's ring moved onto page 1 (0x1000..0x103F): the burst in
    // cycle 6 may be its own
    if (c >= 6) io().h_base[1] = 1u << 20;
  }));
}

// SOFT_RESET stops new DMA: no burst is first offered after a cycle with
// quiesce up; one offered in the cycle it rises was chosen before it, and
// stays offered until taken.
TEST_F(SvaHaltedDma, ANewBurstAfterACycleOfQuiesceFires) {
  EXPECT_TRUE(
      firesAfterReset("test AR: a new burst at 0x2020 chosen while quiescing", 4, [&](unsigned c) {
        rings();
        io().h_quiesce = c >= 1;
        io().h_addr = 0x2020;
        io().h_valid = c == 2;
        io().h_ready = 1;
      }));
}

TEST_F(SvaHaltedDma, ABurstOfferedAsQuiesceRisesAndHeldOverItIsQuiet) {
  EXPECT_TRUE(quietAfterReset(6, [&](unsigned c) {
    rings();
    io().h_quiesce = c >= 2;
    io().h_addr = 0x1000;
    io().h_valid = c >= 2 && c <= 4;
    io().h_ready = c == 4;
  }));
}

}  // namespace
