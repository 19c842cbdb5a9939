// Seeded random traffic over many connections through the whole driver
// side: host stack -> 0, 1 or 3 IM drivers -> the offload target -> the
// behavioural device <-> the peer model, checked by the scoreboard. Every
// run must end quiescent with zero violations and zero live call entries.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "behavioural_device.h"
#include "host_stack.h"
#include "im_driver.h"
#include "ndis.h"
#include "offload_target.h"
#include "peer_model.h"
#include "scoreboard.h"

namespace chimney::test {
namespace {

// The scoreboard, also remembering which hardware connection carries which
// ConnectionId (the traffic script drives the peer by hardware id).
class TrafficScoreboard : public Scoreboard {
 public:
  using Scoreboard::Scoreboard;
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override {
    hwOf[c.value] = hw;
    Scoreboard::onHardwareConnectionBound(c, hw, qp);
  }
  std::map<uint32_t, uint16_t> hwOf;
};

struct TrafficFigures {
  uint64_t cycles = 0, posts = 0, completions = 0, indications = 0, events = 0;
};

class StackTraffic : public ::testing::TestWithParam<std::tuple<int, uint64_t>> {
 protected:
  StackTraffic()
      : ims_(std::get<0>(GetParam())),
        seed_(std::get<1>(GetParam())),
        rng_(seed_),
        peer_(PeerModel::Config{seed_, 1460, 120, 40, 1, 1, 80, false, 0}),
        scoreboard_([this] { return device_.cycle(); }),
        ndis_(&scoreboard_) {
    DriverId td = ndis_.NdisRegisterDriver(DriverKind::kOffloadTarget, "offload target");
    OffloadTargetConfig cfg;
    cfg.hw.sqLog2Entries = 5;  // small rings: SQ full and CQ wrap happen
    cfg.hw.cqLog2Entries = 6;
    cfg.hw.irqModCount = 4;
    cfg.hw.irqModTimer = 30;
    cfg.dpcBudget = 16;
    target_ = std::make_unique<OffloadTarget>(device_, cfg);
    target_->setObserver(&scoreboard_);
    NdisMiniportHandle below = ndis_.NdisMRegisterMiniport(td, *target_);
    EXPECT_EQ(target_->attachNdis(below, ndis_.NdisMGetOffloadHandlers(below)),
              NdisStatus::kSuccess);
    for (int i = 0; i < ims_; ++i) {
      imDrivers_.push_back(std::make_unique<ImDriver>(
          ndis_, "im" + std::to_string(i + 1), below, &scoreboard_,
          i % 2 == 0 ? CallEntryLookup::kNblContext : CallEntryLookup::kTableByNbl));
      below = imDrivers_.back()->miniportHandle();
    }
    host_ = std::make_unique<HostStack>(ndis_, "host", below, &scoreboard_);
    host_->setAcceptPolicy([this](ConnectionId, uint32_t available) -> uint32_t {
      switch (pick(4)) {
        case 0:
          return 0;  // refuse
        case 1:
          return available > 1 ? 1 + pick(available - 1) : available;  // part
        default:
          return available;  // all
      }
    });
  }

  uint32_t pick(uint32_t n) { return n == 0 ? 0 : uint32_t(rng_() % n); }

  // One simulation step: device cycle, work to the peer, the peer's events
  // (reported to the scoreboard as they enter the device), driver timers and
  // NDIS work items.
  void step() {
    device_.step();
    while (auto w = device_.popWork()) peer_.onWork(device_.cycle(), *w);
    while (auto e = peer_.nextEvent(device_.cycle())) {
      if (e->type == prm::EventType::kData) scoreboard_.onPeerData(e->conn, e->bytes);
      if (e->type == prm::EventType::kFin) scoreboard_.onPeerFin(e->conn);
      if (e->type == prm::EventType::kRst) scoreboard_.onPeerRst(e->conn);
      device_.pushEvent(*e);
    }
    if (target_->hasDeferredWork()) target_->MiniportTimer();
    ndis_.runWorkItems();
  }

  struct ConnScript {
    ConnectionId id;
    uint16_t hw = 0;
    bool hostClosed = false;  // graceful disconnect posted: no more sends
    bool peerClosed = false;  // FIN or RST asked of the peer
    bool aborted = false;     // RST either way: stop posting
    bool finished = false;    // terminate requested
    std::size_t completionsSeen = 0;
  };

  // One random action on one live connection.
  void act(ConnScript& c) {
    const HostStack::ConnStats& st = host_->stats(c.id);
    if (st.peerAbort) c.aborted = true;
    if (c.aborted || c.finished) return;
    switch (pick(12)) {
      case 0:
      case 1:
      case 2:
        if (!c.hostClosed && st.outstanding < 24) {
          std::vector<uint32_t> lengths(1 + pick(3));
          for (uint32_t& l : lengths) l = 1 + pick(5000);
          host_->postSends(c.id, lengths);
        }
        break;
      case 3:
      case 4:
        if (st.outstanding < 24) {
          std::vector<uint32_t> lengths(1 + pick(2));
          for (uint32_t& l : lengths) l = pick(8) == 0 ? 0 : 1 + pick(4000);
          host_->postReceives(c.id, lengths, pick(4) == 0);
        }
        break;
      case 5:
        if (!c.peerClosed) peer_.peerSend(c.hw, 1 + pick(6000));
        break;
      case 6:
        if (st.outstanding < 24) host_->postForwards(c.id, {1 + pick(1500)});
        break;
      case 7:
        host_->returnIndications(c.id);
        break;
      case 8:
        if (pick(30) == 0 && !c.hostClosed) {
          c.hostClosed = true;
          host_->postDisconnect(c.id, /*abortive=*/false, pick(2) ? 0 : 1 + pick(800));
        }
        break;
      case 9:
        if (pick(40) == 0 && !c.peerClosed) {
          c.peerClosed = true;
          peer_.peerFin(c.hw);
        }
        break;
      case 10:
        if (pick(150) == 0) {
          c.aborted = true;
          if (pick(2) == 0) {
            host_->postDisconnect(c.id, /*abortive=*/true);
          } else {
            c.peerClosed = true;
            peer_.peerRst(c.hw);
          }
        }
        break;
      case 11:
        if (pick(200) == 0) {
          c.finished = true;
          host_->terminate(c.id);
        } else if (!imDrivers_.empty() && pick(400) == 0) {
          imDrivers_[pick(uint32_t(imDrivers_.size()))]->faults().failSendCallEntries = 1;
        }
        break;
    }
  }

  // A connection whose sends came back REQUEST_UPLOAD / UPLOAD_REQUESTED
  // from an IM is uploaded, as a host stack would.
  void uploadWhereRequested(std::vector<ConnScript>& conns) {
    const auto& all = host_->completions();
    for (std::size_t i = seenCompletions_; i < all.size(); ++i) {
      if (all[i].status != NdisStatus::kRequestUpload) continue;
      for (ConnScript& c : conns) {
        if (c.id == all[i].connection && !c.finished) {
          c.finished = true;
          host_->terminate(c.id);
        }
      }
    }
    seenCompletions_ = all.size();
  }

  TrafficFigures run(unsigned connections, uint64_t activeCycles) {
    std::vector<ConnScript> conns;
    for (unsigned i = 0; i < connections; ++i) {
      ConnScript c;
      c.id = host_->openConnection();
      EXPECT_EQ(host_->state(c.id), HostStack::ConnState::kOffloaded);
      c.hw = scoreboard_.hwOf.at(c.id.value);
      conns.push_back(c);
    }
    for (uint64_t t = 0; t < activeCycles; ++t) {
      if (pick(3) == 0) act(conns[pick(uint32_t(conns.size()))]);
      step();
      uploadWhereRequested(conns);
    }
    // Wind down: let the traffic settle, give everything back, upload what is left.
    for (int i = 0; i < 3000; ++i) step();
    host_->returnIndications();
    for (ConnScript& c : conns) {
      if (!c.finished) {
        c.finished = true;
        host_->terminate(c.id);
      }
    }
    uint64_t guard = 0;
    auto settled = [&] {
      for (const ConnScript& c : conns) {
        if (host_->state(c.id) != HostStack::ConnState::kTerminated) return false;
      }
      return device_.idle() && peer_.idle() && !target_->hasDeferredWork() &&
             ndis_.pendingWorkItems() == 0;
    };
    while (!settled() && ++guard < 200000) {
      step();
      host_->returnIndications();
    }
    EXPECT_LT(guard, 200000u) << "the run did not settle";
    scoreboard_.checkQuiescent(target_->ringSnapshots());
    TrafficFigures f;
    f.cycles = device_.cycle();
    f.posts = scoreboard_.postsSeen();
    f.completions = scoreboard_.completionsSeen();
    f.indications = target_->counters().indications;
    f.events = target_->counters().events;
    return f;
  }

  int ims_;
  uint64_t seed_;
  std::mt19937_64 rng_;
  BehaviouralDevice device_;
  PeerModel peer_;
  TrafficScoreboard scoreboard_;
  Ndis ndis_;
  std::unique_ptr<OffloadTarget> target_;
  std::vector<std::unique_ptr<ImDriver>> imDrivers_;
  std::unique_ptr<HostStack> host_;
  std::size_t seenCompletions_ = 0;
};

TEST_P(StackTraffic, RandomTrafficEndsQuiescentWithoutViolations) {
  TrafficFigures f = run(/*connections=*/24, /*activeCycles=*/20000);
  EXPECT_TRUE(scoreboard_.clean()) << scoreboard_.report();
  EXPECT_EQ(scoreboard_.liveCallEntries(), 0u);
  for (const auto& im : imDrivers_) EXPECT_EQ(im->liveCallEntries(), 0u);
  EXPECT_EQ(host_->outstanding(), 0u);
  EXPECT_EQ(host_->strayCompletions(), 0u);
  EXPECT_EQ(target_->outstandingRequests(), 0u);
  EXPECT_EQ(target_->outstandingIndications(), 0u);
  EXPECT_EQ(f.posts, f.completions);
  EXPECT_GT(f.completions, 1000u);  // the run did real work
  EXPECT_GT(f.indications, 0u);
  RecordProperty("cycles", std::to_string(f.cycles));
  RecordProperty("completions", std::to_string(f.completions));
  std::cout << "ims=" << ims_ << " seed=" << seed_ << " cycles=" << f.cycles << " posts=" << f.posts
            << " completions=" << f.completions << " indications=" << f.indications
            << " events=" << f.events << "\n";
}

INSTANTIATE_TEST_SUITE_P(ImDepthsAndSeeds, StackTraffic,
                         ::testing::Combine(::testing::Values(0, 1, 3),
                                            ::testing::Values(1u, 2u, 3u)),
                         [](const ::testing::TestParamInfo<StackTraffic::ParamType>& info) {
                           return "Ims" + std::to_string(std::get<0>(info.param)) + "Seed" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace chimney::test
