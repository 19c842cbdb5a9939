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
  // Every checker's inputs idle and legal (16 request slots free).
  void reset() {
    top_->p_req_free_cnt = 16;
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
      drive(c);
      step();
    }
    std::fflush(stdout);
    return ::testing::internal::GetCapturedStdout();
  }
  int errors() const { return context_.errorCount(); }

  VerilatedContext context_;
  std::unique_ptr<Vsva_test_top> top_;
};

#define EXPECT_FIRES(out, text)                                            \
  do {                                                                     \
    EXPECT_GT(errors(), 0);                                                \
    EXPECT_NE((out).find(text), std::string::npos) << "output: " << (out); \
  } while (0)

// ---------------------------------------------------------------- streams

TEST_F(SvaChecker, StreamHeldUntilReadyIsQuiet) {
  reset();
  const std::string out = run(6, [&](unsigned c) {
    io().st_valid = c < 5;
    io().st_ready = c == 4;
    io().st_data = c < 5 ? 0x5A : 0x11;
  });
  EXPECT_EQ(errors(), 0) << out;
}

TEST_F(SvaChecker, StreamValidDroppedBeforeReadyFires) {
  reset();
  const std::string out = run(4, [&](unsigned c) {
    io().st_valid = c < 2;
    io().st_ready = 0;
    io().st_data = 0x5A;
  });
  EXPECT_FIRES(out, "test stream: valid dropped before ready");
}

TEST_F(SvaChecker, StreamPayloadChangedWhileStalledFires) {
  reset();
  const std::string out = run(4, [&](unsigned c) {
    io().st_valid = 1;
    io().st_ready = 0;
    io().st_data = c < 2 ? 0x5A : 0x5B;
  });
  EXPECT_FIRES(out, "test stream: payload changed while stalled");
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
  EXPECT_EQ(errors(), 0) << out;
}

TEST_F(SvaChecker, FifoPushIntoFullFires) {
  reset();
  const std::string out = run(6, [&](unsigned c) {
    io().f_s_valid = 1;
    io().f_s_ready = 1;  // a broken FIFO: ready although full
    io().f_s_data = uint8_t(c);
    io().f_m_valid = c > 0;
    io().f_m_data = 0;
    io().f_m_ready = 0;
  });
  EXPECT_FIRES(out, "test fifo: push into a full FIFO");
}

TEST_F(SvaChecker, FifoValidWhileEmptyFires) {
  reset();
  const std::string out = run(2, [&](unsigned) {
    io().f_s_valid = 0;
    io().f_m_valid = 1;
    io().f_m_ready = 1;
  });
  EXPECT_FIRES(out, "test fifo: m_valid while the FIFO holds no word");
}

TEST_F(SvaChecker, FifoWordOutOfOrderFires) {
  reset();
  const std::string out = run(3, [&](unsigned c) {
    io().f_s_valid = c < 2;
    io().f_s_ready = 1;
    io().f_s_data = c == 0 ? 0xA1 : 0xB2;
    io().f_m_valid = c == 2;
    io().f_m_ready = 1;
    io().f_m_data = 0xB2;  // the newer word first
  });
  EXPECT_FIRES(out, "test fifo: output word is not the oldest word pushed");
}

// ---------------------------------------------------------------- slot pool

TEST_F(SvaChecker, SlotPoolAllocateAndFreeIsQuiet) {
  reset();
  const std::string out = run(4, [&](unsigned c) {
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
  });
  EXPECT_EQ(errors(), 0) << out;
}

TEST_F(SvaChecker, SlotPoolCompletionForAFreeSlotFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) {
    io().p_req_free_cnt = 16;
    io().p_free_valid = c == 0;
    io().p_free_ready = 1;
    io().p_free_n = 1;
    io().p_free_slots = 7u;
  });
  EXPECT_FIRES(out, "completion freed slot 7, which is not in use");
}

TEST_F(SvaChecker, SlotPoolSlotHandedOutTwiceFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) {
    io().p_req_free_cnt = c == 0 ? 16 : 15;
    io().p_req_alloc = 1;
    io().p_req_slot = 5;
  });
  EXPECT_FIRES(out, "request slot 5 handed out while busy");
}

TEST_F(SvaChecker, SlotPoolWrongFreeCountFires) {
  reset();
  const std::string out = run(2, [&](unsigned) { io().p_req_free_cnt = 15; });
  EXPECT_FIRES(out, "req_free_cnt 15, 16 request slots free");
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
  EXPECT_FIRES(out, "req_free_cnt 17, 16 request slots free");
}

TEST_F(SvaChecker, SlotPoolRecordOfNoSlotsFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) {
    io().p_req_free_cnt = 16;
    io().p_free_valid = c == 0;
    io().p_free_ready = 1;
    io().p_free_n = 0;
  });
  EXPECT_FIRES(out, "record of 0 slots handed back");
}

TEST_F(SvaChecker, SlotPoolSlotFreedTwiceInOneCycleFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) {
    io().p_req_free_cnt = c == 0 ? 16 : 15;
    io().p_req_alloc = c == 0;
    io().p_req_slot = 2;
    io().p_free_valid = c == 1;
    io().p_free_ready = 1;
    io().p_free_n = 2;
    io().p_free_slots = (2u << 5) | 2u;
  });
  EXPECT_FIRES(out, "slot 2 freed twice in one cycle");
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
  EXPECT_EQ(errors(), 0) << out;
}

TEST_F(SvaChecker, IrqGrantWithoutRequestFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) {
    io().i_irq_enable = 0x3;
    io().i_armed = 0x1;
    io().i_valid = c == 1;
    io().i_ready = 1;
    io().i_vector = 1;  // queue pair 1 never armed
  });
  EXPECT_FIRES(out, "vector 1 granted without being requested");
}

TEST_F(SvaChecker, IrqVectorOutOfRangeFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) {
    io().i_valid = c == 1;
    io().i_ready = 1;
    io().i_vector = 3;
  });
  EXPECT_FIRES(out, "message vector 3 is no vector");
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
  EXPECT_FIRES(out, "error interrupt pending while the port stays free");
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
  EXPECT_FIRES(out, "other messages granted while the error interrupt waits");
}

TEST_F(SvaChecker, IrqMessageDroppedBeforeReadyFires) {
  reset();
  const std::string out = run(3, [&](unsigned c) {
    io().i_irq_enable = 0x1;
    io().i_armed = 0x1;
    io().i_valid = c == 1;
    io().i_ready = 0;
    io().i_vector = 0;
  });
  EXPECT_FIRES(out, "irq message: valid dropped before ready");
}

// ---------------------------------------------------------------- CSR

TEST_F(SvaChecker, RingsWithinSizeAndCommandHandshakeAreQuiet) {
  reset();
  const std::string out = run(6, [&](unsigned c) {
    io().c_sq_size = 2;  // 4 entries
    io().c_sq_tail = 0xFFFF + c;
    io().c_sq_head = uint16_t(0xFFFD + c);
    io().c_cq_size = 3;
    io().c_cq_tail = uint16_t(8 + c);
    io().c_cq_head = uint16_t(c);
    io().c_cmd_valid = c >= 1 && c <= 3;
    io().c_cmd_conn = 9;
    io().c_cmd_done = c == 3;
    io().c_srst = 0;
  });
  EXPECT_EQ(errors(), 0) << out;
}

TEST_F(SvaChecker, SqPointersBeyondTheRingFire) {
  reset();
  const std::string out = run(4, [&](unsigned) {
    io().c_sq_size = 2;
    io().c_sq_tail = 5;
    io().c_sq_head = 0;
  });
  EXPECT_FIRES(out, "SQ_TAIL - SQ_HEAD = 5 beyond the ring");
}

TEST_F(SvaChecker, CqPointersBeyondTheRingFire) {
  reset();
  const std::string out = run(4, [&](unsigned) {
    io().c_cq_size = 1;
    io().c_cq_tail = 1;
    io().c_cq_head = 0xFFFE;
  });
  EXPECT_FIRES(out, "CQ_TAIL - CQ_HEAD = 3 beyond the ring");
}

TEST_F(SvaChecker, CommandDroppedBeforeDoneFires) {
  reset();
  const std::string out = run(3, [&](unsigned c) { io().c_cmd_valid = c == 0; });
  EXPECT_FIRES(out, "connection command dropped or changed before done");
}

TEST_F(SvaChecker, CommandChangedBeforeDoneFires) {
  reset();
  const std::string out = run(3, [&](unsigned c) {
    io().c_cmd_valid = 1;
    io().c_cmd_op = uint8_t(c);
  });
  EXPECT_FIRES(out, "connection command dropped or changed before done");
}

TEST_F(SvaChecker, DoneWithoutCommandFires) {
  reset();
  const std::string out = run(2, [&](unsigned c) { io().c_cmd_done = c == 0; });
  EXPECT_FIRES(out, "done without a command");
}

TEST_F(SvaChecker, SoftResetLongerThanOneCycleFires) {
  reset();
  const std::string out = run(3, [&](unsigned c) { io().c_srst = c < 2; });
  EXPECT_FIRES(out, "srst longer than one cycle");
}

}  // namespace
