#include "rtl_workload.h"

#include <time.h>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <random>

#include "engine_bench.h"
#include "peer_model.h"
#include "port_recorder.h"
#include "prm.h"
#include "queue_pair.h"

namespace chimney::bench {

namespace {

using rtltest::EngineBench;
using rtltest::QueuePair;

constexpr uint16_t kConn = 0;
constexpr unsigned kQp = 0;
constexpr uint32_t kMss = 1460;

// CPU time of this process so far, user and system (0 if the clock is missing).
double processCpuSeconds() {
  timespec t{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0) return 0;
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// CSR accesses issued one at a time without blocking the loop: a write, or a
// read repeated until CONN_CMD_STATUS shows BUSY low.
class CsrQueue {
 public:
  void write(uint32_t addr, uint32_t value) { ops_.push_back({addr, value, false}); }
  void waitCommand() { ops_.push_back({prm::reg::kConnCmdStatus, 0, true}); }
  bool idle() const { return ops_.empty() && !issued_; }

  // Called once per cycle before the step. Returns a message on a failed access.
  std::optional<std::string> pump(EngineBench& bench) {
    rtltest::CsrMaster& csr = bench.csr();
    if (csr.busy()) return std::nullopt;
    std::optional<std::string> error;
    if (issued_) {
      issued_ = false;
      const Op op = ops_.front();
      const rtltest::CsrResult r = csr.result();
      if (!r.ok()) {
        error = "CSR access to 0x" + hex(op.addr) + " answered SLVERR";
      } else if (op.pollCommand && prm::cmdBusy(r.data)) {
        start(csr);  // still busy: read again
        return std::nullopt;
      } else if (op.pollCommand && prm::cmdResult(r.data) != prm::CmdResult::kOk) {
        error = "CONN_CMD failed with result " + std::to_string(unsigned(prm::cmdResult(r.data)));
      }
      ops_.pop_front();
    }
    if (!ops_.empty()) start(csr);
    return error;
  }

 private:
  struct Op {
    uint32_t addr;
    uint32_t value;
    bool pollCommand;
  };
  static std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04x", unsigned(v));
    return buf;
  }
  void start(rtltest::CsrMaster& csr) {
    const Op& op = ops_.front();
    if (op.pollCommand) {
      csr.startRead(uint16_t(op.addr));
    } else {
      csr.startWrite(uint16_t(op.addr), op.value, 0xF);
    }
    issued_ = true;
  }

  std::deque<Op> ops_;
  bool issued_ = false;
};

prm::Request request(prm::Opcode op, uint64_t tag, uint32_t length, uint8_t flags = 0) {
  return prm::Request{tag, uint8_t(op), flags, kConn, length, 0x5000'0000 + (tag << 16)};
}

// The smoke scenario's steps, advanced by what the loop observes.
enum class Stage { kSetUp, kReceivePosted, kTraffic, kDisconnect, kPeerFin, kDone };

class Workload {
 public:
  explicit Workload(const RtlWorkloadConfig& config)
      : config_(config),
        // No registered-output check: the loop is measured, and it is also
        // built against an earlier RTL whose outputs follow its inputs.
        bench_(rtltest::BenchConfig{config.seed, {}, 4000, false}),
        qp_(bench_, kQp, rtltest::defaultLayout(kQp, config.ringLog2, config.ringLog2)),
        peer_([&] {
          PeerModel::Config p;
          p.seed = config.seed;
          return p;
        }()),
        rng_(config.seed) {
    qp_.setAutoHead(false);  // CQ_HEAD goes through the non-blocking queue
    // The loop keeps counts, not histories: nothing grows with the run.
    bench_.axi().setRecordBursts(false);
    bench_.work().setRecordItems(false);
    bench_.events().setRecordAccepted(false);
    bench_.irq().setRecordItems(false);
    if (!config.recordFile.empty()) recorder_ = std::make_unique<PortRecorder>(config.recordFile);
    bench_.work().onWork([this](const rtltest::WorkItem& w) { peer_.onWork(w.cycle, w.work); });
  }

  RtlWorkloadResult run() {
    bench_.reset();
    const uint64_t start = bench_.cycle();
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = processCpuSeconds();
    programQueuePair();
    while (stage_ != Stage::kDone || !csr_.idle()) {
      if (bench_.cycle() - start >= config_.maxCycles) {
        result_.errors.push_back("workload did not finish within " +
                                 std::to_string(config_.maxCycles) + " cycles");
        break;
      }
      cycle();
      if (result_.errors.size() > 20) break;
    }
    result_.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result_.cpuSeconds = processCpuSeconds() - cpu0;
    result_.cycles = bench_.cycle() - start;
    result_.recordedCycles = recorder_ ? recorder_->lines() : 0;
    if (!bench_.violations().empty()) result_.errors.push_back(bench_.violations().summary());
    return std::move(result_);
  }

 private:
  void programQueuePair() {
    using namespace prm::reg;
    const rtltest::RingLayout& l = qp_.layout();
    csr_.write(qp(kQp, kSqBaseLo), uint32_t(l.sqBase));
    csr_.write(qp(kQp, kSqBaseHi), uint32_t(l.sqBase >> 32));
    csr_.write(qp(kQp, kSqSize), l.sqLog2);
    csr_.write(qp(kQp, kCqBaseLo), uint32_t(l.cqBase));
    csr_.write(qp(kQp, kCqBaseHi), uint32_t(l.cqBase >> 32));
    csr_.write(qp(kQp, kCqSize), l.cqLog2);
    csr_.write(qp(kQp, kIrqModCount), 1);
    csr_.write(qp(kQp, kQpCtrl), prm::qpctrl::kEnable);
    csr_.write(kCtrl, prm::ctrl::kEnable);
    csr_.write(kConnCmd, prm::encodeConnCmd(kConn, kQp, prm::ConnOp::kOffload));
    csr_.waitCommand();
  }

  void cycle() {
    const uint64_t now = bench_.cycle();
    while (std::optional<prm::Event> e = peer_.nextEvent(now)) bench_.events().push(*e);
    advanceStage();
    postPending();
    if (csr_.idle()) ringDoorbells();
    if (std::optional<std::string> err = csr_.pump(bench_)) result_.errors.push_back(*err);
    bench_.step();
    if (recorder_) recorder_->record(bench_.model().io());
    collectCompletions();
  }

  void advanceStage() {
    switch (stage_) {
      case Stage::kSetUp:
        if (csr_.idle()) {
          queue(request(prm::Opcode::kRecv, nextTag_++, 2000));
          stage_ = Stage::kReceivePosted;
        }
        break;
      case Stage::kReceivePosted:
        if (peer_.stats(kConn).rxPostedBytes >= 2000) {
          // The sends are drawn as the ring takes them (postPending), with
          // the tags they would have in the queue, ahead of the forward.
          sendsLeft_ = config_.ops;
          nextSendTag_ = nextTag_;
          nextTag_ += config_.ops;
          queue(request(prm::Opcode::kForward, nextTag_++, 300));
          peer_.peerSend(kConn, 1500);
          stage_ = Stage::kTraffic;
        }
        break;
      case Stage::kTraffic:
        if (allRequestsDone()) {
          queue(request(prm::Opcode::kDisconnect, nextTag_++, 100));
          stage_ = Stage::kDisconnect;
        }
        break;
      case Stage::kDisconnect:
        if (allRequestsDone()) {
          peer_.peerFin(kConn);
          stage_ = Stage::kPeerFin;
        }
        break;
      case Stage::kPeerFin:
        if (finSeen_) stage_ = Stage::kDone;
        break;
      case Stage::kDone:
        break;
    }
  }

  bool allRequestsDone() const {
    return sendsLeft_ == 0 && pending_.empty() && requestsCompleted_ == result_.requests;
  }
  void queue(const prm::Request& r) { pending_.push_back(r); }

  // Writes queued requests into the SQ while the ring has room; a request
  // occupies its slot until its completion is seen (the driver cannot know
  // SQ_HEAD without reading it).
  void postPending() {
    const uint64_t ring = uint64_t{1} << config_.ringLog2;
    while ((sendsLeft_ != 0 || !pending_.empty()) && result_.requests - requestsCompleted_ < ring) {
      if (sendsLeft_ != 0) {
        const auto len = std::uniform_int_distribution<uint32_t>(1, 4 * kMss)(rng_);
        qp_.post(request(prm::Opcode::kSend, nextSendTag_++, len));
        --sendsLeft_;
      } else {
        qp_.post(pending_.front());
        pending_.pop_front();
      }
      ++result_.requests;
    }
  }

  void ringDoorbells() {
    using namespace prm::reg;
    if (qp_.sqTail() != rungTail_) {
      rungTail_ = qp_.sqTail();
      csr_.write(qp(kQp, kSqTail), rungTail_);
    } else if (qp_.cqHead() != writtenHead_) {
      writtenHead_ = qp_.cqHead();
      csr_.write(qp(kQp, kCqHead), writtenHead_);
    }
  }

  void collectCompletions() {
    if (qp_.poll() == 0) return;
    for (const rtltest::ReceivedCpl& r : qp_.received()) {
      const prm::Completion& c = r.cpl;
      ++result_.completions;
      if (c.type == prm::CplType::kEvtFin) {
        finSeen_ = true;
      } else {
        ++requestsCompleted_;
      }
      if (c.status != prm::CplStatus::kSuccess && result_.errors.size() < 20) {
        result_.errors.push_back("completion tag " + std::to_string(c.tag) + " type " +
                                 std::to_string(unsigned(c.type)) + " status " +
                                 std::to_string(unsigned(c.status)));
      }
    }
    qp_.clearReceived();
  }

  RtlWorkloadConfig config_;
  EngineBench bench_;
  QueuePair qp_;
  PeerModel peer_;
  std::mt19937_64 rng_;
  std::unique_ptr<PortRecorder> recorder_;
  CsrQueue csr_;
  Stage stage_ = Stage::kSetUp;
  std::deque<prm::Request> pending_;
  uint64_t nextTag_ = 1;
  uint64_t sendsLeft_ = 0;  // sends not yet drawn (they go before pending_)
  uint64_t nextSendTag_ = 0;
  uint64_t requestsCompleted_ = 0;
  bool finSeen_ = false;
  uint16_t rungTail_ = 0;
  uint16_t writtenHead_ = 0;
  RtlWorkloadResult result_;
};

}  // namespace

RtlWorkloadResult runRtlWorkload(const RtlWorkloadConfig& config) {
  Workload w(config);
  return w.run();
}

}  // namespace chimney::bench
