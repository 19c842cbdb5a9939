// The interrupt port under back-pressure (PRM 6): m_irq_ready held low for
// many cycles with every queue-pair vector and the error vector requesting;
// no request is lost, the error vector included, and vectors are served round
// robin (one that asks again at once waits for every other one asking).
#include <set>

#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class IrqBackpressure : public RtlTest {
 protected:
  static constexpr uint16_t kNoConn = 0xFFFF;  // beyond any table: a protocol error

  unsigned vectors() { return bench_.numQp() + 1; }

  // Every queue pair with IRQ_ENABLE, moderation 1, armed, one descriptor
  // committed beyond CQ_HEAD (never advanced here).
  void everyQueuePairCompletes(uint64_t& tag) {
    for (unsigned q = 0; q < bench_.numQp(); ++q) {
      QueuePair& p = qpair(q);
      p.setAutoHead(false);
      bench_.writeReg(qp(q, kIrqModCount), 1);
      p.setEnabled(true, true);
      bench_.writeReg(qp(q, kCqHead), prm::kCqHeadArm);
      p.post(sendReq(tag++, closedConn(), 1));
      p.ring();
      p.wait(1);
    }
  }
  void raiseError() {
    bench_.writeReg(kErrStatus, 0x1F);
    push(evt(EventType::kAck, kNoConn, 1));
    flushEvents();
  }
  // Asks again for vector v: re-arm with descriptors beyond CQ_HEAD (fires
  // at once), or a new error.
  void askAgain(unsigned v) {
    if (v == errorVector()) {
      raiseError();
    } else {
      bench_.writeReg(qp(v, kCqHead), prm::kCqHeadArm);
    }
  }
  // Lets exactly one message through.
  unsigned takeOne() {
    const size_t before = bench_.irq().messages().size();
    bench_.irq().setReadyPercent(100);
    bench_.runUntil([&] { return bench_.irq().messages().size() > before; }, 200, "a message");
    bench_.irq().setReadyPercent(0);
    bench_.run(1);
    EXPECT_EQ(bench_.irq().messages().size(), before + 1);
    return bench_.irq().messages().back().vector;
  }
};

TEST_F(IrqBackpressure, LongStallLosesNoVectorAndTheErrorWaitsItsTurn) {
  bench_.irq().setReadyPercent(0);
  uint64_t tag = 1;
  everyQueuePairCompletes(tag);
  raiseError();
  bench_.run(800);  // everything asks; the port holds one message
  EXPECT_TRUE(bench_.irq().messages().empty());
  bench_.irq().setReadyPercent(100);
  bench_.run(20 * vectors());
  std::map<unsigned, unsigned> seen;
  for (const IrqMessage& m : bench_.irq().messages()) ++seen[m.vector];
  for (unsigned v = 0; v < vectors(); ++v) EXPECT_EQ(seen[v], 1u) << "vector " << v;
  EXPECT_EQ(bench_.irq().messages().size(), vectors());
  EXPECT_EQ(reg(kCntIrq), vectors());
}

TEST_F(IrqBackpressure, VectorsThatAskAgainAtOnceAreServedRoundRobin) {
  bench_.irq().setReadyPercent(0);
  uint64_t tag = 1;
  everyQueuePairCompletes(tag);
  raiseError();
  bench_.run(50);
  std::vector<unsigned> order;
  for (unsigned i = 0; i < 3 * vectors(); ++i) {
    const unsigned v = takeOne();
    order.push_back(v);
    askAgain(v);
    bench_.run(10);
  }
  // Every window of `vectors()` messages serves every vector once.
  for (size_t i = 0; i + vectors() <= order.size(); ++i) {
    const std::set<unsigned> window(order.begin() + long(i), order.begin() + long(i + vectors()));
    std::string seq;
    for (unsigned v : order) seq += std::to_string(v) + " ";
    EXPECT_EQ(window.size(), vectors()) << "messages from " << i << ": " << seq;
  }
}

}  // namespace
}  // namespace chimney::rtltest
