// Differential check of the RTL against the behavioural device
// (reference_device/behavioural_device.*), the C++ reference of the PRM. The same
// seeded random requests (valid and malformed), events (including protocol
// errors and late ones) and connection commands go to both, in phases: a
// batch of requests, a batch of events, or one command, each run until both
// are quiet. After every phase each queue pair's new descriptors, each
// connection's work and every command result must be identical; at the end
// the counters and ERR_STATUS too. Phases make the comparison independent of
// timing; 12 connections keep the request table from filling up (where the
// order of fetching across queue pairs is each implementation's own choice).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "behavioural_device.h"
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

constexpr unsigned kQueuePairs = 3;
constexpr unsigned kConns = 12;  // conn c is bound to queue pair c % kQueuePairs
constexpr unsigned kSqLog2 = 6;
constexpr unsigned kCqLog2 = 9;
constexpr uint64_t kPhaseCycles = 600;  // RTL cycles that let one phase settle

// The driver's view of one queue pair of the behavioural device: the same
// ring layout as the RTL's QueuePair, SQ entries written at the tail, the CQ
// read by phase bit up to CQ_TAIL.
class ReferenceQueuePair {
 public:
  ReferenceQueuePair(BehaviouralDevice& dev, unsigned q, const RingLayout& layout)
      : dev_(dev), q_(q), layout_(layout) {
    dev_.sparseMemory().mapWindow(layout_.sqBase, uint64_t{prm::kSqEntryBytes} << layout_.sqLog2);
    dev_.sparseMemory().mapWindow(layout_.cqBase, uint64_t{prm::kCqEntryBytes} << layout_.cqLog2);
    dev_.write32(qp(q_, kSqBaseLo), uint32_t(layout_.sqBase));
    dev_.write32(qp(q_, kSqBaseHi), uint32_t(layout_.sqBase >> 32));
    dev_.write32(qp(q_, kSqSize), layout_.sqLog2);
    dev_.write32(qp(q_, kCqBaseLo), uint32_t(layout_.cqBase));
    dev_.write32(qp(q_, kCqBaseHi), uint32_t(layout_.cqBase >> 32));
    dev_.write32(qp(q_, kCqSize), layout_.cqLog2);
    dev_.write32(qp(q_, kQpCtrl), prm::qpctrl::kEnable);
  }

  uint16_t sqTail() const { return sqTail_; }
  void post(const prm::Request& r) {
    const auto bytes = prm::encodeRequest(r);
    const uint64_t slot = sqTail_ & ((1u << layout_.sqLog2) - 1);
    dev_.sparseMemory().write(layout_.sqBase + slot * prm::kSqEntryBytes, bytes.data(),
                              bytes.size());
    ++sqTail_;
  }
  void ring() { dev_.write32(qp(q_, kSqTail), sqTail_); }

  std::vector<prm::Completion> poll() {
    std::vector<prm::Completion> out;
    const auto tail = uint16_t(dev_.read32(qp(q_, kCqTail)).value);
    while (cqHead_ != tail) {
      uint8_t raw[prm::kCqEntryBytes];
      const uint64_t slot = cqHead_ & ((1u << layout_.cqLog2) - 1);
      dev_.sparseMemory().read(layout_.cqBase + slot * prm::kCqEntryBytes, raw, sizeof raw);
      const prm::Completion c = prm::decodeCompletion(raw);
      if (c.phase != prm::phaseFor(cqHead_, layout_.cqLog2)) break;
      out.push_back(c);
      ++cqHead_;
    }
    dev_.write32(qp(q_, kCqHead), cqHead_);
    return out;
  }

 private:
  BehaviouralDevice& dev_;
  unsigned q_;
  RingLayout layout_;
  uint16_t sqTail_ = 0;
  uint16_t cqHead_ = 0;
};

prm::CmdResult referenceCommand(BehaviouralDevice& dev, uint16_t conn, uint8_t q, prm::ConnOp op,
                                uint32_t arg) {
  dev.write32(kConnCmdArg, arg);
  dev.write32(kConnCmd, prm::encodeConnCmd(conn, q, op));
  return prm::cmdResult(dev.read32(kConnCmdStatus).value);
}

std::string describeAll(const std::vector<prm::Completion>& v) {
  std::string s;
  for (const auto& c : v) s += "    " + describe(c) + "\n";
  return s.empty() ? "    (none)\n" : s;
}

bool sameCompletion(const prm::Completion& a, const prm::Completion& b) {
  return a.tag == b.tag && a.conn == b.conn && a.type == b.type && a.status == b.status &&
         a.bytes == b.bytes;
}

// One random request for queue pair q: mostly valid traffic on its own
// connections, some malformed, some for a closed connection or another
// queue pair's connection.
prm::Request randomRequest(std::mt19937_64& rng, unsigned q, uint64_t tag) {
  auto pick = [&](unsigned lo, unsigned hi) { return lo + unsigned(rng() % (hi - lo + 1)); };
  prm::Request r{tag, 0, 0, 0, 0, 0};
  unsigned conn = pick(0, kConns / kQueuePairs - 1) * kQueuePairs + q;
  const unsigned p = pick(0, 99);
  using prm::Opcode;
  if (p < 30) {
    r.opcode = uint8_t(Opcode::kSend);
    r.length = pick(1, 300);
  } else if (p < 55) {
    r.opcode = uint8_t(Opcode::kRecv);
    r.length = pick(0, 300);
    if (pick(0, 4) == 0) r.flags = prm::reqflag::kNoPush;
  } else if (p < 65) {
    r.opcode = uint8_t(Opcode::kDisconnect);
    r.length = pick(0, 100);
  } else if (p < 68) {
    r.opcode = uint8_t(Opcode::kDisconnect);
    r.flags = prm::reqflag::kAbortive;
  } else if (p < 85) {
    r.opcode = uint8_t(Opcode::kForward);
    r.length = pick(1, 200);
  } else if (p < 88) {
    r.opcode = pick(0, 1) ? 0 : 7;  // unknown opcode
    r.length = 5;
  } else if (p < 91) {
    r.opcode = uint8_t(Opcode::kSend);  // zero-length SEND
  } else if (p < 94) {
    r.opcode = uint8_t(pick(1, 4));
    r.flags = 4;  // a flag of no opcode
    r.length = 5;
  } else if (p < 97) {
    r.opcode = uint8_t(Opcode::kSend);
    r.length = 5;
    conn = 40;  // never offloaded
  } else {
    r.opcode = uint8_t(Opcode::kSend);
    r.length = 5;
    conn = (conn + 1) % kConns;  // bound to another queue pair
  }
  r.conn = uint16_t(conn);
  return r;
}

prm::Event randomEvent(std::mt19937_64& rng) {
  auto pick = [&](unsigned lo, unsigned hi) { return lo + unsigned(rng() % (hi - lo + 1)); };
  prm::Event e{};
  e.conn = uint16_t(pick(0, kConns - 1));
  const unsigned p = pick(0, 99);
  if (p < 30) {
    e.type = EventType::kAck;
    e.bytes = pick(0, 400);
  } else if (p < 60) {
    e.type = EventType::kData;
    e.bytes = pick(0, 400);
    e.flags = uint8_t(pick(0, 1));
  } else if (p < 68) {
    e.type = EventType::kFinAck;
  } else if (p < 70) {
    e.type = EventType::kRst;
  } else if (p < 74) {
    e.type = EventType::kFin;
  } else if (p < 94) {
    e.type = EventType::kFwdDone;
  } else if (p < 97) {
    e.type = EventType(7);  // unknown type
  } else {
    e.type = EventType::kAck;  // conn out of range
    e.conn = 100;
    e.bytes = 5;
  }
  return e;
}

// Both implementations side by side, fed the same input.
class DifferentialBase : public RtlTest {
 protected:
  explicit DifferentialBase(uint64_t seed) : RtlTest(BenchConfig{seed, {}, 4000}) {}

  // Both engines enabled, kQueuePairs queue pairs, kConns connections offloaded.
  void start() {
    dev_ = std::make_unique<BehaviouralDevice>(
        BehaviouralDevice::Config{bench_.numConn(), bench_.numQp(), bench_.reqSlots(), 0, 0, 0, 0});
    for (unsigned q = 0; q < kQueuePairs; ++q) {
      const RingLayout layout = defaultLayout(q, kSqLog2, kCqLog2);
      qpair(q, layout);
      ref_.emplace_back(*dev_, q, layout);
    }
    dev_->write32(kCtrl, prm::ctrl::kEnable);
    for (unsigned c = 0; c < kConns; ++c) command(uint16_t(c), prm::ConnOp::kOffload, 0);
  }

  // SQ entries queue pair q can take on both sides.
  unsigned room(unsigned q) {
    const auto rtlHead = uint16_t(reg(qp(q, kSqHead)));
    const auto refHead = uint16_t(dev_->read32(qp(q, kSqHead)).value);
    const unsigned used = std::max(unsigned(uint16_t(qps_[q]->sqTail() - rtlHead)),
                                   unsigned(uint16_t(ref_[q].sqTail() - refHead)));
    return (1u << kSqLog2) - used;
  }
  void post(unsigned q, const prm::Request& r) {
    qps_[q]->post(r);
    ref_[q].post(r);
  }
  void ring(unsigned q) {
    qps_[q]->ring();
    ref_[q].ring();
  }
  void event(const prm::Event& e) {
    push(e);
    dev_->pushEvent(e);
  }
  // A CONN_CMD on conn (its own queue pair); both must answer the same.
  void command(uint16_t conn, prm::ConnOp op, uint32_t arg) {
    const auto q = uint8_t(conn % kQueuePairs);
    prm::CmdResult got;
    switch (op) {
      case prm::ConnOp::kOffload:
        got = bench_.offload(conn, q);
        break;
      case prm::ConnOp::kTerminate:
        got = bench_.terminate(conn, q);
        break;
      default:
        got = bench_.rxConsumed(conn, q, arg);
        break;
    }
    const prm::CmdResult want = referenceCommand(*dev_, conn, q, op, arg);
    EXPECT_EQ(unsigned(got), unsigned(want)) << "CONN_CMD " << unsigned(op) << " on conn " << conn;
  }

  // Lets both settle, then compares the new descriptors of every queue pair
  // and the work of every connection so far.
  ::testing::AssertionResult settleAndCompare(const std::string& what) {
    flushEvents();
    bench_.run(kPhaseCycles);
    dev_->runUntilIdle(100'000);
    for (unsigned q = 0; q < kQueuePairs; ++q) {
      const std::vector<prm::Completion> got = qps_[q]->drain(0);
      const std::vector<prm::Completion> want = ref_[q].poll();
      descriptors_ += got.size();
      if (got.size() != want.size() ||
          !std::equal(got.begin(), got.end(), want.begin(), sameCompletion)) {
        return ::testing::AssertionFailure() << what << ", queue pair " << q << "\n  RTL:\n"
                                             << describeAll(got) << "  behavioural device:\n"
                                             << describeAll(want);
      }
    }
    const auto& items = bench_.work().items();
    for (; rtlWorkSeen_ < items.size(); ++rtlWorkSeen_)
      rtlWork_[items[rtlWorkSeen_].work.conn].push_back(items[rtlWorkSeen_].work);
    while (auto w = dev_->popWork()) refWork_[w->conn].push_back(*w);
    for (uint16_t c = 0; c < kConns; ++c) {
      const auto r = areWork(rtlWork_[c], refWork_[c]);
      if (!r)
        return ::testing::AssertionFailure()
               << what << ", work of conn " << c << ": " << r.message();
    }
    return ::testing::AssertionSuccess();
  }

  void expectSameCounters() {
    const auto& counters = dev_->counters();
    EXPECT_EQ(reg(kCntReqFetched), counters.reqFetched);
    EXPECT_EQ(reg(kCntCplWritten), counters.cplWritten);
    EXPECT_EQ(reg(kCntEvt), counters.evt);
    EXPECT_EQ(reg(kCntProtoErr), counters.protoErr);
    EXPECT_EQ(reg(kCntEvtLate), counters.evtLate);
    EXPECT_EQ(reg(kCntDmaErr), counters.dmaErr);
    EXPECT_EQ(reg(kErrStatus), dev_->errStatus());
  }

  std::unique_ptr<BehaviouralDevice> dev_;
  std::vector<ReferenceQueuePair> ref_;
  size_t descriptors_ = 0;

 private:
  size_t rtlWorkSeen_ = 0;
  std::map<uint16_t, std::vector<prm::Work>> rtlWork_, refWork_;
};

class Differential : public DifferentialBase, public ::testing::WithParamInterface<uint64_t> {
 protected:
  Differential() : DifferentialBase(GetParam()) {}
};

TEST_P(Differential, DescriptorsWorkAndCountersMatchTheBehaviouralDevice) {
  std::mt19937_64 rng(GetParam() * 0xD1B54A32D192ED03ull);
  auto pick = [&](unsigned lo, unsigned hi) { return lo + unsigned(rng() % (hi - lo + 1)); };
  start();

  constexpr int kPhases = 150;
  uint64_t tag = 1;
  for (int phase = 0; phase < kPhases; ++phase) {
    const unsigned kind = pick(0, 99);
    std::string what;
    if (kind < 45) {
      what = "requests";
      for (unsigned q = 0; q < kQueuePairs; ++q) {
        const unsigned n = std::min(pick(0, 6), room(q));
        for (unsigned k = 0; k < n; ++k) post(q, randomRequest(rng, q, tag++));
        if (n != 0) ring(q);
      }
    } else if (kind < 90) {
      what = "events";
      for (unsigned n = pick(1, 8); n > 0; --n) event(randomEvent(rng));
    } else {
      what = "a connection command";
      const auto c = uint16_t(pick(0, kConns - 1));
      const unsigned p = pick(0, 99);
      if (p < 40) {
        command(c, prm::ConnOp::kTerminate, 0);
      } else if (p < 70) {
        command(c, prm::ConnOp::kOffload, 0);
      } else {
        command(c, prm::ConnOp::kRxConsumed, pick(0, uint32_t(dev_->conn(c).buffered) + 20));
      }
    }
    ASSERT_TRUE(settleAndCompare("phase " + std::to_string(phase) + " (" + what + ")"));
  }
  expectSameCounters();
  EXPECT_GT(descriptors_, 300u) << "too little traffic to compare";
  RecordProperty("descriptors", int(descriptors_));
}

// Requests that fail a check while earlier requests of their opcode wait on
// the connection: each completes, with its own status, when it reaches the
// head; a failed DISCONNECT once no earlier SEND is left, also in the middle
// of one ACK finishing several SENDs; flushes take them in posting order.
class DifferentialScripted : public DifferentialBase {
 protected:
  DifferentialScripted() : DifferentialBase(1) {}
};

TEST_F(DifferentialScripted, RequestsWaitingInLineMatchTheBehaviouralDevice) {
  using prm::Opcode;
  start();
  auto req = [](uint64_t tag, Opcode op, uint16_t conn, uint32_t len, uint8_t flags = 0) {
    return prm::Request{tag, uint8_t(op), flags, conn, len, 0};
  };
  // conn 0 (qp 0): SEND, DISCONNECT with a foreign flag, SEND; one ACK for both SENDs.
  post(0, req(1, Opcode::kSend, 0, 100));
  post(0, req(2, Opcode::kDisconnect, 0, 0, 4));
  post(0, req(3, Opcode::kSend, 0, 50));
  // conn 3 (qp 0): SEND, zero-length SEND, SEND, graceful DISCONNECT, second DISCONNECT.
  post(0, req(4, Opcode::kSend, 3, 10));
  post(0, req(5, Opcode::kSend, 3, 0));
  post(0, req(6, Opcode::kSend, 3, 20));
  post(0, req(7, Opcode::kDisconnect, 3, 5));
  post(0, req(8, Opcode::kDisconnect, 3, 5));
  ring(0);
  // conn 1 (qp 1): RECV, RECV with a foreign flag, zero-length RECV, RECV.
  post(1, req(9, Opcode::kRecv, 1, 100));
  post(1, req(10, Opcode::kRecv, 1, 100, 1));
  post(1, req(11, Opcode::kRecv, 1, 0));
  post(1, req(12, Opcode::kRecv, 1, 100));
  ring(1);
  // conn 2 (qp 2): FORWARD, FORWARD of length 0, SEND, RECV with a foreign flag behind a RECV.
  post(2, req(13, Opcode::kForward, 2, 10));
  post(2, req(14, Opcode::kForward, 2, 0));
  post(2, req(15, Opcode::kSend, 2, 30));
  post(2, req(16, Opcode::kRecv, 2, 30));
  post(2, req(17, Opcode::kRecv, 2, 30, 1));
  ring(2);
  ASSERT_TRUE(settleAndCompare("requests"));

  event(evt(EventType::kAck, 0, 150));
  event(evt(EventType::kAck, 3, 30));
  event(evt(EventType::kData, 1, 150, prm::evtflag::kPush));
  ASSERT_TRUE(settleAndCompare("ACKs and DATA"));
  event(evt(EventType::kFinAck, 3));
  event(evt(EventType::kFwdDone, 2));
  ASSERT_TRUE(settleAndCompare("FIN_ACK and FWD_DONE"));
  event(evt(EventType::kRst, 2));
  ASSERT_TRUE(settleAndCompare("RST"));
  command(1, prm::ConnOp::kTerminate, 0);
  ASSERT_TRUE(settleAndCompare("TERMINATE"));
  expectSameCounters();
}

INSTANTIATE_TEST_SUITE_P(Seeds, Differential, ::testing::Values(1, 2, 3, 4));

}  // namespace
}  // namespace chimney::rtltest
