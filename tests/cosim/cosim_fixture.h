// Helpers shared by the co-simulation tests.
#pragma once

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <deque>
#include <functional>
#include <optional>
#include <systemc>
#include <tlm>
#include <utility>
#include <vector>

#include "stream_peer.h"

namespace chimney::test {

// SystemC elaborates once per process: a test that builds modules needs a
// kernel that has not run yet (ctest gives each test its own process).
#define CHIMNEY_REQUIRE_FRESH_KERNEL()                                                   \
  do {                                                                                   \
    if (sc_core::sc_get_status() != sc_core::SC_ELABORATION) {                           \
      GTEST_SKIP() << "needs its own process: run through ctest or with --gtest_filter"; \
    }                                                                                    \
  } while (0)

// Runs `body` in an SC_THREAD (so it may call wait() and b_transport).
class ThreadRunner : public sc_core::sc_module {
 public:
  ThreadRunner(sc_core::sc_module_name name, std::function<void()> body)
      : sc_core::sc_module(name), body_(std::move(body)) {
    SC_HAS_PROCESS(ThreadRunner);
    SC_THREAD(run);
  }
  bool finished() const { return finished_; }

 private:
  void run() {
    body_();
    finished_ = true;
  }
  std::function<void()> body_;
  bool finished_ = false;
};

// A raw TLM initiator for tests that need payloads an adapter would not
// build (wrong lengths, byte enables, odd addresses).
class RawInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<RawInitiator> socket;
  explicit RawInitiator(sc_core::sc_module_name name)
      : sc_core::sc_module(name), socket("socket") {}

  // Must be called from an SC_THREAD.
  tlm::tlm_response_status transport(tlm::tlm_command cmd, uint64_t addr, unsigned char* data,
                                     unsigned len, sc_core::sc_time& delay,
                                     unsigned char* byteEnables = nullptr, unsigned beLen = 0) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_byte_enable_ptr(byteEnables);
    t.set_byte_enable_length(beLen);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(t, delay);
    return t.get_response_status();
  }
};

// A protocol engine that acknowledges every TX_DATA after `rtt` cycles and
// every TX_FIN with a FIN_ACK; other work is recorded only.
class EchoPeer final : public StreamPeer {
 public:
  explicit EchoPeer(uint64_t rtt) : rtt_(rtt) {}
  void onWork(uint64_t cycle, const prm::Work& work) override {
    work_.push_back(work);
    workCycles_.push_back(cycle);
    if (work.type == prm::WorkType::kTxData) {
      due_.push_back({cycle + rtt_, prm::Event{prm::EventType::kAck, 0, work.conn, work.bytes}});
    } else if (work.type == prm::WorkType::kTxFin) {
      due_.push_back({cycle + rtt_, prm::Event{prm::EventType::kFinAck, 0, work.conn, work.bytes}});
    }
  }
  std::optional<prm::Event> nextEvent(uint64_t cycle) override {
    if (due_.empty() || due_.front().first > cycle) return std::nullopt;
    const prm::Event e = due_.front().second;
    due_.pop_front();
    return e;
  }
  bool busy() const override { return !due_.empty(); }
  const std::vector<prm::Work>& work() const { return work_; }
  const std::vector<uint64_t>& workCycles() const { return workCycles_; }

 private:
  uint64_t rtt_;
  std::deque<std::pair<uint64_t, prm::Event>> due_;
  std::vector<prm::Work> work_;
  std::vector<uint64_t> workCycles_;
};

}  // namespace chimney::test
