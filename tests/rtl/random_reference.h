// Reference of the seeded random test: a scripted driver and peer whose
// traffic makes every completion independent of timing (PRM 6), and the
// behavioural device (reference_device/) fed the same requests and events,
// whose completions are the expected ones.
//  - The peer only tells what it has been told: ACKs never exceed the
//    TX_DATA bytes seen, DATA never exceeds the receive space seen (no
//    indications), FWD_DONE only for FWD seen, FIN_ACK only after TX_FIN,
//    FIN only once every receive of the conn is known to the peer.
//  - Requests: sends, receives, forwards, then a graceful DISCONNECT per
//    connection; some malformed (zero-length send, closed conn, wrong queue
//    pair).
// check() compares each RTL descriptor with the device's for the same tag
// (queue pair, type, status, bytes, conn), exactly once, and keeps the
// ordering rules: per-connection per-opcode posting order, a DISCONNECT
// after the sends posted before it, EVT_FIN after the receives it flushes.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "behavioural_device.h"
#include "model_queue_pair.h"
#include "prm.h"

namespace chimney::rtltest {

class RandomReference {
 public:
  // Connections 0..conns-1 are offloaded; closedConn (>= conns) never is.
  RandomReference(unsigned numQp, unsigned conns, uint16_t closedConn, unsigned opsPerConn,
                  uint64_t seed);

  unsigned qpOf(uint16_t conn) const { return conn % numQp_; }
  unsigned conns() const { return conns_; }
  // Next request for a queue pair's batch, or nothing when its conns are done.
  // postQp is where it must be posted (another pair for a WRONG_QP case).
  std::optional<prm::Request> nextRequest(unsigned qp, unsigned& postQp);
  bool allPosted() const;

  // The work the engine emitted (checked against posting order).
  void onWork(const prm::Work& w);
  // One event the peer may send now, if any.
  std::optional<prm::Event> nextEvent();
  // A completion descriptor read from queue pair qp's CQ.
  void check(unsigned qp, const prm::Completion& c);

  bool done() const;
  const std::vector<std::string>& failures() const { return failures_; }
  size_t requests() const { return nextTag_ - 1; }
  size_t completions() const { return completions_; }
  std::string pendingSummary() const;

 private:
  struct Expect {
    bool accepted = false;  // passed the request checks (ordering applies)
    bool seen = false;
  };
  struct ModelCpl {
    prm::Completion cpl;
    unsigned qp = 0;
  };
  struct Recv {
    uint32_t len;
    bool noPush;
    uint32_t filled = 0;
  };
  struct Conn {
    unsigned opsLeft = 0;
    bool disconnectPosted = false;
    uint32_t disconnectLen = 0;
    std::deque<prm::Work> expectedWork;  // TX_DATA, RX_POST, FWD in posting order
    uint64_t unacked = 0;                // TX_DATA bytes seen, not acked
    std::deque<Recv> recvs;              // accepted, outstanding, posting order
    size_t recvsKnown = 0;               // how many of recvs the peer has seen
    unsigned fwdSeen = 0;
    bool finAckDue = false;
    bool finSent = false;
    bool evtFinSeen = false;
    std::map<uint8_t, std::deque<uint64_t>> order;  // opcode -> accepted tags
  };

  void fail(const std::string& what) {
    if (failures_.size() < 50) failures_.push_back(what);
  }
  void expect(const prm::Request& r, bool accepted);
  uint32_t capacity(const Conn& c) const;
  void placeData(uint16_t conn, uint32_t bytes, bool push);
  // Lets the device take everything it was given; collects its descriptors.
  void pumpModel();
  void checkEvtFin(unsigned qp, const prm::Completion& c);

  unsigned numQp_, conns_;
  uint16_t closedConn_;
  std::mt19937_64 rng_;
  uint64_t nextTag_ = 1;
  std::vector<Conn> conn_;
  std::map<uint64_t, Expect> expect_;
  std::unique_ptr<BehaviouralDevice> model_;
  std::vector<ModelQueuePair> modelQps_;
  std::map<uint64_t, ModelCpl> modelCpl_;  // tag -> the device's descriptor
  std::vector<std::string> failures_;
  size_t completions_ = 0;
  size_t evtFinExpected_ = 0, evtFinSeen_ = 0;
};

}  // namespace chimney::rtltest
