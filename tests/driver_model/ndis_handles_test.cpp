// NDIS offload handles: a freed handle routes nothing, but a late call naming
// it is still attributed to its connection; freeing it again changes nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "observed_stack.h"

namespace chimney::test {
namespace {

class RoutingErrors : public StackObserver {
 public:
  void onRoutingError(const EdgeCall& call, const std::string& what) override {
    connections.push_back(call.connection);
    whats.push_back(what);
  }
  std::vector<ConnectionId> connections;
  std::vector<std::string> whats;
};

struct Stack : ObservedStack<RoutingErrors> {
  NetBufferListPool pool;
};

TEST(NdisHandles, ARequestOnAFreedHandleIsARoutingErrorOfItsConnection) {
  Stack s;
  const ConnectionId c = s.host.openConnection();
  const NdisOffloadHandle h = s.host.offloadHandle(c);
  s.host.terminate(c);  // the host frees its handle

  NetBufferList* nbl = s.pool.allocate(10, 0x1000);
  EXPECT_EQ(s.ndis.NdisOffloadTcpRequest(OffloadOp::kSend, h, nbl, 0),
            NdisStatus::kInvalidParameter);

  ASSERT_EQ(s.observer.connections.size(), 1u);
  EXPECT_EQ(s.observer.connections[0], c);
  EXPECT_EQ(s.ndis.connectionOf(h), c);
}

TEST(NdisHandles, AnEventOnAFreedHandleIsARoutingErrorOfItsConnection) {
  Stack s;
  const ConnectionId c = s.host.openConnection();
  const NdisOffloadHandle h = s.host.offloadHandle(c);
  s.host.terminate(c);

  s.ndis.NdisTcpOffloadEventHandler(h, OffloadEvent::kAbort, 0);

  ASSERT_EQ(s.observer.connections.size(), 1u);
  EXPECT_EQ(s.observer.connections[0], c);
  EXPECT_FALSE(s.host.stats(c).peerAbort);
}

// NDIS remembers the most recently retired handles (kRetiredHandlesKept of
// them); a handle freed twice takes one place, not two.
TEST(NdisHandles, FreeingAHandleTwiceRetiresItOnce) {
  Ndis ndis;
  const NdisBindingHandle binding{1};
  const NdisOffloadHandle first = ndis.NdisAllocateOffloadHandle(binding, ConnectionId{1});
  ndis.NdisFreeOffloadHandle(first);
  ndis.NdisFreeOffloadHandle(first);
  for (std::size_t i = 1; i < Ndis::kRetiredHandlesKept; ++i) {
    const NdisOffloadHandle h =
        ndis.NdisAllocateOffloadHandle(binding, ConnectionId{uint32_t(i + 1)});
    ndis.NdisFreeOffloadHandle(h);
  }
  EXPECT_EQ(ndis.connectionOf(first), ConnectionId{1});  // still among the kept

  const NdisOffloadHandle one_more = ndis.NdisAllocateOffloadHandle(binding, ConnectionId{9999});
  ndis.NdisFreeOffloadHandle(one_more);
  EXPECT_FALSE(ndis.connectionOf(first).valid());  // now the oldest is forgotten
}

}  // namespace
}  // namespace chimney::test
