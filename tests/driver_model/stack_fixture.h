// A host stack over N IM drivers over the scripted fake target, all
// reporting to one scoreboard (clock: a counter).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "host_stack.h"
#include "im_driver.h"
#include "ndis.h"
#include "scoreboard.h"
#include "stack_fake_target.h"

namespace chimney::test {

struct StackUnderTest {
  explicit StackUnderTest(int ims = 0, CallEntryLookup lookup = CallEntryLookup::kNblContext) {
    target = std::make_unique<FakeTarget>(ndis);
    NdisMiniportHandle below = target->miniportHandle();
    for (int i = 0; i < ims; ++i) {
      this->ims.push_back(std::make_unique<ImDriver>(ndis, "im" + std::to_string(i + 1), below,
                                                     &scoreboard, lookup));
      below = this->ims.back()->miniportHandle();
    }
    top = below;
    host = std::make_unique<HostStack>(ndis, "host", below, &scoreboard);
  }

  // A second host stack bound to the same miniport as the first.
  std::unique_ptr<HostStack> addHost(const std::string& name) {
    return std::make_unique<HostStack>(ndis, name, top, &scoreboard);
  }
  ConnectionId open() {
    ConnectionId c = host->openConnection();
    EXPECT_EQ(host->state(c), HostStack::ConnState::kOffloaded);
    return c;
  }
  ImDriver& im(std::size_t i) { return *ims.at(i); }
  std::size_t liveImEntries() const {
    std::size_t n = 0;
    for (const auto& i : ims) n += i->liveCallEntries();
    return n;
  }
  // Ends the run (no rings: the fake target has none).
  void quiesce() {
    ndis.runWorkItems();
    scoreboard.checkQuiescent({});
  }
  // Ends the run and expects the scoreboard to have reported nothing.
  void expectCleanEnd() {
    quiesce();
    EXPECT_TRUE(scoreboard.clean()) << scoreboard.report();
  }

  uint64_t ticks = 0;
  Scoreboard scoreboard{[this] { return ++ticks; }};
  Ndis ndis{&scoreboard};
  std::unique_ptr<FakeTarget> target;
  std::vector<std::unique_ptr<ImDriver>> ims;
  NdisMiniportHandle top;
  std::unique_ptr<HostStack> host;
};

// True when some violation names invariant `n` in its message.
inline bool reported(const Scoreboard& sb, int n) {
  const std::string tag = "[invariant " + std::to_string(n) + " ";
  for (const Violation& v : sb.violations()) {
    if (v.invariant == n && v.message().rfind(tag, 0) == 0) return true;
  }
  return false;
}

// Opens one connection on a stack over `ims` IM drivers, lets `misbehave(s, c)` act on it,
// and passes when the scoreboard then reports invariant `n`; a failure carries the report.
template <typename Misbehave>
::testing::AssertionResult caught(int n, int ims, Misbehave misbehave,
                                  CallEntryLookup lookup = CallEntryLookup::kNblContext) {
  StackUnderTest s(ims, lookup);
  ConnectionId c = s.open();
  misbehave(s, c);
  if (reported(s.scoreboard, n)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "invariant " << n << " not reported; " << s.scoreboard.report();
}

// Posts two sends on `c`, completes the first (SUCCESS, all 10 bytes), then
// completes the same NBL again: the host has freed it, and its next post
// reuses other storage, so the pointer is one the host posted and already
// got back (a violation of invariant 1).
inline void completeASendTwice(StackUnderTest& s, ConnectionId c) {
  s.host->postSends(c, {10, 20});
  std::vector<NetBufferList*> first = s.target->takeFront(c, OffloadOp::kSend, 1);
  finishNbl(first[0], NdisStatus::kSuccess, 10);
  s.target->complete(OffloadOp::kSend, first);
  s.target->complete(OffloadOp::kSend, first);
}

}  // namespace chimney::test
