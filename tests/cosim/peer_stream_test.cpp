// PeerStream: the transactor's view of the PeerModel.
#include <gtest/gtest.h>

#include "peer_model.h"
#include "stream_peer.h"

namespace chimney {
namespace {

TEST(PeerStream, ForwardsWorkAndEventsAndReportsThePeerBusyUntilDone) {
  PeerModel::Config config;
  config.rttCycles = 10;
  PeerModel peer(config);
  PeerStream<PeerModel> stream(peer);
  StreamPeer& port = stream;
  EXPECT_FALSE(port.busy());

  port.onWork(100, prm::Work{prm::WorkType::kTxData, 7, 500});

  EXPECT_TRUE(port.busy());
  EXPECT_FALSE(port.nextEvent(101).has_value());  // not due before the round trip
  std::optional<prm::Event> ack;
  for (uint64_t c = 101; c < 200 && !ack; ++c) ack = port.nextEvent(c);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->type, prm::EventType::kAck);
  EXPECT_EQ(ack->conn, 7);
  EXPECT_EQ(ack->bytes, 500u);
  EXPECT_FALSE(port.busy());
}

}  // namespace
}  // namespace chimney
