// The random test's reference catches what it exists for: a descriptor that
// differs from the behavioural device's, and one the device could not have
// produced yet. No RTL: the descriptors are made up.
#include "random_reference.h"

#include <gtest/gtest.h>

namespace chimney::rtltest {
namespace {

// The first request of queue pair 0 that `pred` accepts (drawn from the seed).
template <class Pred>
prm::Request firstRequest(RandomReference& ref, unsigned& postQp, Pred pred) {
  for (int i = 0; i < 200; ++i) {
    std::optional<prm::Request> r = ref.nextRequest(0, postQp);
    if (!r) break;
    if (pred(*r)) return *r;
  }
  ADD_FAILURE() << "no such request drawn";
  return {};
}

prm::Completion completionOf(const prm::Request& r, prm::CplStatus status, uint32_t bytes) {
  prm::Completion c;
  c.tag = r.tag;
  c.type = prm::CplType(r.opcode);
  c.status = status;
  c.bytes = bytes;
  c.conn = r.conn;
  return c;
}

// A receive for a connection never offloaded: the device answers it at once
// (a malformed request on an offloaded connection would wait behind that
// connection's earlier requests of its opcode).
bool closedConnRecv(const prm::Request& r) {
  return r.opcode == uint8_t(prm::Opcode::kRecv) && r.conn == 63;
}

TEST(RandomReference, AcceptsTheDevicesDescriptor) {
  RandomReference ref(2, 4, 63, 40, 11);
  unsigned qp = 0;
  const prm::Request r = firstRequest(ref, qp, closedConnRecv);
  ref.check(qp, completionOf(r, prm::CplStatus::kInvalidConn, 0));
  EXPECT_TRUE(ref.failures().empty()) << ref.failures().front();
}

TEST(RandomReference, FlagsAStatusOtherThanTheDevicesOne) {
  RandomReference ref(2, 4, 63, 40, 11);
  unsigned qp = 0;
  const prm::Request r = firstRequest(ref, qp, closedConnRecv);
  ref.check(qp, completionOf(r, prm::CplStatus::kSuccess, 0));
  ASSERT_EQ(ref.failures().size(), 1u);
  EXPECT_NE(ref.failures()[0].find("expected"), std::string::npos) << ref.failures()[0];
}

TEST(RandomReference, FlagsACompletionTheDeviceCouldNotHaveMadeYet) {
  RandomReference ref(2, 4, 63, 40, 11);
  unsigned qp = 0;
  const prm::Request r = firstRequest(ref, qp, [](const prm::Request& x) {
    return x.opcode == uint8_t(prm::Opcode::kSend) && x.length > 0;
  });
  // No ACK was sent: the device still holds the send.
  ref.check(qp, completionOf(r, prm::CplStatus::kSuccess, r.length));
  ASSERT_EQ(ref.failures().size(), 1u);
  EXPECT_NE(ref.failures()[0].find("before the reference device"), std::string::npos)
      << ref.failures()[0];
}

TEST(RandomReference, FlagsACompletionOnTheWrongQueuePairAndTwice) {
  RandomReference ref(2, 4, 63, 40, 11);
  unsigned qp = 0;
  const prm::Request r = firstRequest(ref, qp, closedConnRecv);
  const prm::Completion c = completionOf(r, prm::CplStatus::kInvalidConn, 0);
  ref.check(qp + 1, c);
  ref.check(qp, c);
  ASSERT_EQ(ref.failures().size(), 2u);
  EXPECT_NE(ref.failures()[0].find("on queue pair"), std::string::npos) << ref.failures()[0];
  EXPECT_NE(ref.failures()[1].find("completed twice"), std::string::npos) << ref.failures()[1];
}

}  // namespace
}  // namespace chimney::rtltest
