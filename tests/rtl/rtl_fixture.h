// Shared fixture of the RTL tests: an EngineBench out of reset with the DMA
// window check on, queue pairs configured on demand with the default ring
// layout, request/event builders, and a completion matcher. Any protocol
// violation recorded by the harness fails the test at TearDown.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine_bench.h"
#include "prm.h"
#include "queue_pair.h"

namespace chimney::rtltest {

using prm::CplStatus;
using prm::CplType;
using prm::EventType;
using prm::WorkType;

inline prm::Request sendReq(uint64_t tag, uint16_t conn, uint32_t length) {
  return prm::Request{tag, uint8_t(prm::Opcode::kSend), 0, conn, length, 0x5000'0000 + tag};
}
inline prm::Request recvReq(uint64_t tag, uint16_t conn, uint32_t length, uint8_t flags = 0) {
  return prm::Request{tag, uint8_t(prm::Opcode::kRecv), flags, conn, length, 0x6000'0000 + tag};
}
inline prm::Request disconnectReq(uint64_t tag, uint16_t conn, uint32_t length, bool abortive) {
  return prm::Request{tag,
                      uint8_t(prm::Opcode::kDisconnect),
                      abortive ? prm::reqflag::kAbortive : uint8_t{0},
                      conn,
                      length,
                      0};
}
inline prm::Request forwardReq(uint64_t tag, uint16_t conn, uint32_t length) {
  return prm::Request{tag, uint8_t(prm::Opcode::kForward), 0, conn, length, 0x7000'0000 + tag};
}
inline prm::Event evt(EventType type, uint16_t conn, uint32_t bytes = 0, uint8_t flags = 0) {
  return prm::Event{type, flags, conn, bytes};
}
inline prm::Work work(WorkType type, uint16_t conn, uint32_t bytes = 0) {
  return prm::Work{type, conn, bytes};
}

std::string describe(const prm::Completion& c);
std::string describe(const prm::Work& w);

// What a test expects of one completion descriptor (the phase is the ring's
// business and checked by QueuePair).
struct Cpl {
  uint64_t tag;
  CplType type;
  CplStatus status;
  uint32_t bytes;
  uint16_t conn;
};
::testing::AssertionResult isCpl(const prm::Completion& c, const Cpl& e);
// Same, for a whole sequence in order.
::testing::AssertionResult areCpls(const std::vector<prm::Completion>& got,
                                   const std::vector<Cpl>& expected);
::testing::AssertionResult areWork(const std::vector<prm::Work>& got,
                                   const std::vector<prm::Work>& expected);

class RtlTest : public ::testing::Test {
 protected:
  RtlTest() : bench_(BenchConfig{}) {}
  explicit RtlTest(const BenchConfig& config) : bench_(config) {}

  void SetUp() override {
    bench_.reset();
    bench_.awaitConnTableClear();
    bench_.axi().setWindowCheck(true);
  }
  void TearDown() override {
    EXPECT_TRUE(bench_.violations().empty()) << bench_.violations().summary();
  }

  // Queue pair q with the default layout, configured on first use.
  QueuePair& qpair(unsigned q, const RingLayout& layout);
  QueuePair& qpair(unsigned q = 0) { return qpair(q, defaultLayout(q)); }
  // OFFLOADs conn onto queue pair q (configuring q) and requires OK.
  QueuePair& offloaded(uint16_t conn, unsigned q = 0);
  void push(const prm::Event& e) { bench_.events().push(e); }
  // Steps until every queued event has been accepted.
  void flushEvents(uint64_t timeout = 5000);
  // Work items of conn collected so far.
  std::vector<prm::Work> workOf(uint16_t conn) { return bench_.work().workFor(conn); }
  // Steps until conn has at least n work items.
  void waitWork(uint16_t conn, size_t n, uint64_t timeout = 5000);
  uint32_t reg(uint16_t addr) { return bench_.readReg(addr); }

  // The engine's limits, read from CAPS0/CAPS1: tests name no queue pair,
  // connection, vector or slot number that depends on the configuration.
  unsigned numConn() { return bench_.numConn(); }
  unsigned numQp() { return bench_.numQp(); }
  unsigned reqSlots() { return bench_.reqSlots(); }
  unsigned lastQp() { return numQp() - 1; }
  // The error interrupt's vector (PRM 7: vector NUM_QP).
  unsigned errorVector() { return numQp(); }
  // Test connection k (0..kTestConns-1) as a connection id spread over the
  // whole table: conn(0) is 0, conn(kTestConns - 1) is NUM_CONN-1, so the
  // high id bits are exercised at every configuration.
  static constexpr unsigned kTestConns = 16;
  uint16_t conn(unsigned k);
  // The first id beyond the table (answers BAD_CONN / INVALID_CONN).
  uint16_t outOfRangeConn() { return uint16_t(numConn()); }
  // Offloads conn onto queue pair 0, posts n SENDs of `length` bytes on it
  // (tags 1..n) and waits until all n are work items (sent, not yet acked).
  QueuePair& sendsInFlight(uint16_t conn, unsigned n, uint32_t length) {
    QueuePair& p = offloaded(conn, 0);
    for (uint64_t i = 1; i <= n; ++i) p.post(sendReq(i, conn, length));
    p.ring();
    waitWork(conn, n);
    return p;
  }
  // A connection no test offloads: requests on it complete INVALID_CONN at once.
  uint16_t closedConn() { return conn(kTestConns - 1); }
  // Posts n SENDs on closedConn() tagged firstTag, firstTag + 1, ...; the
  // i-th is 1 + i * lengthStep bytes long.
  void postInvalid(QueuePair& p, unsigned n, uint64_t firstTag, uint32_t lengthStep = 0) {
    for (unsigned i = 0; i < n; ++i)
      p.post(sendReq(firstTag + i, closedConn(), 1 + i * lengthStep));
  }
  // postInvalid(), then the doorbell.
  void submitInvalid(QueuePair& p, unsigned n, uint64_t firstTag, uint32_t lengthStep = 0) {
    postInvalid(p, n, firstTag, lengthStep);
    p.ring();
  }

  EngineBench bench_;
  std::map<unsigned, std::unique_ptr<QueuePair>> qps_;
};

// A suite around one connection under test: test connection k on the queue
// pair queuePairUnderTest() (the last one unless a suite picks another), both
// set in SetUp once CAPS is known. p() offloads it on first use.
class OneConnTest : public RtlTest {
 protected:
  explicit OneConnTest(unsigned k) : k_(k) {}
  void SetUp() override {
    RtlTest::SetUp();
    conn_ = conn(k_);
    qp_ = queuePairUnderTest();
  }
  virtual unsigned queuePairUnderTest() { return lastQp(); }
  QueuePair& p() { return offloaded(conn_, qp_); }
  // Posts `rs` on q (postAll: on p(), which offloads conn_) behind one
  // doorbell, waits until conn_ has emitted `works` work items in all, and
  // returns the queue pair.
  QueuePair& postAllOn(QueuePair& q, const std::vector<prm::Request>& rs, size_t works) {
    for (const prm::Request& r : rs) q.post(r);
    q.ring();
    waitWork(conn_, works);
    return q;
  }
  QueuePair& postAll(const std::vector<prm::Request>& rs, size_t works) {
    return postAllOn(p(), rs, works);
  }

  uint16_t conn_ = 0;
  unsigned qp_ = 0;

 private:
  unsigned k_;
};

}  // namespace chimney::rtltest
