#include "rtl_fixture.h"

#include <sstream>

namespace chimney::rtltest {

std::string describe(const prm::Completion& c) {
  std::ostringstream s;
  s << "{tag " << c.tag << ", type " << unsigned(c.type) << ", status " << unsigned(c.status)
    << ", bytes " << c.bytes << ", conn " << c.conn << "}";
  return s.str();
}

std::string describe(const prm::Work& w) {
  std::ostringstream s;
  s << "{type " << unsigned(w.type) << ", conn " << w.conn << ", bytes " << w.bytes << "}";
  return s.str();
}

::testing::AssertionResult isCpl(const prm::Completion& c, const Cpl& e) {
  if (c.tag == e.tag && c.type == e.type && c.status == e.status && c.bytes == e.bytes &&
      c.conn == e.conn)
    return ::testing::AssertionSuccess();
  prm::Completion want;
  want.tag = e.tag;
  want.type = e.type;
  want.status = e.status;
  want.bytes = e.bytes;
  want.conn = e.conn;
  return ::testing::AssertionFailure() << "got " << describe(c) << ", expected " << describe(want);
}

::testing::AssertionResult areCpls(const std::vector<prm::Completion>& got,
                                   const std::vector<Cpl>& expected) {
  auto r = ::testing::AssertionSuccess();
  bool ok = got.size() == expected.size();
  std::ostringstream s;
  for (size_t i = 0; i < got.size() || i < expected.size(); ++i) {
    s << "  [" << i << "] ";
    if (i < got.size()) s << "got " << describe(got[i]);
    if (i < expected.size()) {
      const auto m = i < got.size() ? isCpl(got[i], expected[i]) : ::testing::AssertionFailure();
      if (!m) ok = false;
      prm::Completion want;
      want.tag = expected[i].tag;
      want.type = expected[i].type;
      want.status = expected[i].status;
      want.bytes = expected[i].bytes;
      want.conn = expected[i].conn;
      s << (m ? "" : "  MISMATCH") << " expected " << describe(want);
    }
    s << "\n";
  }
  if (ok) return r;
  return ::testing::AssertionFailure() << "completion sequence differs:\n" << s.str();
}

::testing::AssertionResult areWork(const std::vector<prm::Work>& got,
                                   const std::vector<prm::Work>& expected) {
  if (got == expected) return ::testing::AssertionSuccess();
  std::ostringstream s;
  s << "work differs:\n  got:";
  for (const auto& w : got) s << " " << describe(w);
  s << "\n  expected:";
  for (const auto& w : expected) s << " " << describe(w);
  return ::testing::AssertionFailure() << s.str();
}

QueuePair& RtlTest::qpair(unsigned q, const RingLayout& layout) {
  auto& slot = qps_[q];
  if (!slot) {
    if (qps_.size() == 1) bench_.writeReg(prm::reg::kCtrl, prm::ctrl::kEnable);
    slot = std::make_unique<QueuePair>(bench_, q, layout);
    slot->configure();
  }
  return *slot;
}

QueuePair& RtlTest::offloaded(uint16_t conn, unsigned q) {
  QueuePair& p = qpair(q);
  const prm::CmdResult r = bench_.offload(conn, uint8_t(q));
  if (r != prm::CmdResult::kOk)
    throw HarnessError("OFFLOAD of conn " + std::to_string(conn) + " answered " +
                       std::to_string(unsigned(r)));
  return p;
}

uint16_t RtlTest::conn(unsigned k) {
  if (k >= kTestConns) throw HarnessError("test connection " + std::to_string(k) + " out of range");
  const unsigned n = numConn();
  if (n < kTestConns) throw HarnessError("NUM_CONN below " + std::to_string(kTestConns));
  return uint16_t(k * (n - 1) / (kTestConns - 1));
}

void RtlTest::flushEvents(uint64_t timeout) {
  bench_.runUntil([&] { return bench_.events().idle(); }, timeout, "the event queue to drain");
}

void RtlTest::waitWork(uint16_t conn, size_t n, uint64_t timeout) {
  bench_.runUntil([&] { return workOf(conn).size() >= n; }, timeout,
                  std::to_string(n) + " work items of conn " + std::to_string(conn));
}

}  // namespace chimney::rtltest
