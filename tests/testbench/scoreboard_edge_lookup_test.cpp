// The scoreboard finds the IM behind a miniport edge through the driver
// tables, and remembers the answer per handle. These tests change the tables
// after an edge was looked up and check that the IM checks (invariant 13,
// ImSamePointer) then follow the new tables, not the remembered answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "scoreboard.h"

namespace chimney {
namespace {

const NdisMiniportHandle kMiniport{10};
const NdisBindingHandle kBinding{20};
const DriverId kFirstIm{1};
const DriverId kSecondIm{2};

class EdgeLookup : public ::testing::Test {
 protected:
  NetBufferList* newNbl() {
    lists.push_back(std::make_unique<NetBufferList>());
    return lists.back().get();
  }
  EdgeCall call(NetBufferList* nbl) const {
    EdgeCall c;
    c.op = OffloadOp::kSend;
    c.binding = kBinding;
    c.miniport = kMiniport;
    c.nbl = nbl;
    return c;
  }
  // A send passed down the edge into the miniport (and the call returning).
  void down(NetBufferList* nbl) {
    sb.onDownCallBegin(call(nbl));
    sb.onDownCallEnd(call(nbl), NdisStatus::kPending);
  }
  // The miniport completing `nbl` up the edge.
  void up(NetBufferList* nbl) {
    sb.onUpCallBegin(call(nbl));
    sb.onUpCallEnd(call(nbl), NdisStatus::kSuccess, 0);
  }
  std::size_t count(const std::string& check) const {
    return std::size_t(std::count_if(sb.violations().begin(), sb.violations().end(),
                                     [&](const Violation& v) { return v.check == check; }));
  }

  Scoreboard sb;
  std::vector<std::unique_ptr<NetBufferList>> lists;
};

TEST_F(EdgeLookup, AnImGivenTheNblCompletesItUpCleanly) {
  sb.onDriverRegistered(kFirstIm, DriverKind::kIntermediate, "im0");
  sb.onMiniportRegistered(kMiniport, kFirstIm);
  NetBufferList* nbl = newNbl();
  down(nbl);
  up(nbl);
  EXPECT_EQ(count("ImSamePointer"), 0u);
}

TEST_F(EdgeLookup, AMiniportRegisteredAgainIsJudgedAsItsNewIm) {
  sb.onDriverRegistered(kFirstIm, DriverKind::kIntermediate, "im0");
  sb.onDriverRegistered(kSecondIm, DriverKind::kIntermediate, "im1");
  sb.onMiniportRegistered(kMiniport, kFirstIm);
  NetBufferList* nbl = newNbl();
  down(nbl);  // the first IM holds it; the edge's IM has been looked up
  sb.onMiniportRegistered(kMiniport, kSecondIm);
  up(nbl);  // the second IM was never given the NBL
  EXPECT_EQ(count("ImSamePointer"), 1u);
}

TEST_F(EdgeLookup, AnImFirstNamedByACallEntryIsCheckedFromThen) {
  // The miniport's driver is not known as an IM yet: its edge has no IM.
  sb.onMiniportRegistered(kMiniport, kFirstIm);
  up(newNbl());
  EXPECT_EQ(count("ImSamePointer"), 0u);
  // A call entry of that driver makes it an IM: its edge is checked now.
  sb.onCallEntryAllocated(kFirstIm, 1, newNbl(), OffloadOp::kSend);
  up(newNbl());
  EXPECT_EQ(count("ImSamePointer"), 1u);
}

}  // namespace
}  // namespace chimney
