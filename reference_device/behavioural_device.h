// BehaviouralDevice: the reference model of the completion engine (PRM 1.0)
// behind chimney::DeviceInterface. Plain C++, no SystemC, not cycle accurate:
// it defines WHAT the engine does (which descriptors, which work, which
// interrupts, which errors) so that the RTL can be compared against it and the
// driver models can be developed without the RTL.
//
// Sides:
//   - CPU side: read32()/write32() (AXI4-Lite; writeStrobed() for partial
//     strobes), memory() (a SparseMemory: rings live there), interrupts
//     through the handler set with setInterruptHandler().
//   - Protocol-engine side: popWork() drains the work stream, pushEvent()
//     feeds the event stream.
//
// Time model (see docs/behavioural-device.md): the device advances only in
// step() (one device cycle) and run(n). Register accesses take no device time
// and never call the interrupt handler; connection commands take effect inside
// the CONN_CMD write. In one step the device, in this order: matches queued
// events, fetches SQ entries, writes completion descriptors, evaluates
// interrupt moderation, and finally delivers the interrupt messages raised
// during the step (and by register writes since the last step). Per-step rate
// limits are configurable (0 = unlimited).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "device_interface.h"
#include "prm.h"
#include "sparse_memory.h"

namespace chimney {

class BehaviouralDevice final : public DeviceInterface {
 public:
  struct Config {
    unsigned numConn = 64;    // NUM_CONN, 1..4096
    unsigned numQp = 4;       // NUM_QP, 1..16
    unsigned reqSlots = 256;  // REQ_SLOTS, 16..4096
    // Per-step rate limits; 0 means unlimited.
    unsigned fetchPerStep = 0;   // SQ entries per queue pair per step
    unsigned eventsPerStep = 0;  // events matched per step
    unsigned cplPerStep = 0;     // descriptors written per queue pair per step
    // CONN_CMD_STATUS reads BUSY for this many reads after each CONN_CMD
    // write (the command itself has already taken effect); lets a driver's
    // BUSY-polling loop be exercised without a clocked model.
    unsigned cmdBusyReads = 0;
  };

  enum class ConnState : uint8_t { kClosed, kOffloaded, kAborted };

  // A request held in the request table.
  struct Request {
    uint64_t seq = 0;  // posting order across the connection
    uint64_t tag = 0;
    prm::Opcode opcode = prm::Opcode::kSend;
    uint32_t length = 0;
    uint32_t done = 0;  // bytes acknowledged (SEND) or placed (RECV)
    bool noPush = false;
    // A request that failed its checks while earlier requests of the same
    // opcode were outstanding: it waits in line, then completes with
    // failStatus (completions of one opcode keep posting order).
    bool failed = false;
    prm::CplStatus failStatus = prm::CplStatus::kSuccess;
  };

  struct Conn {
    ConnState state = ConnState::kClosed;
    uint8_t qp = 0;
    std::deque<Request> sends;
    std::deque<Request> recvs;
    std::deque<Request> forwards;
    std::deque<Request> disconnects;    // the graceful DISCONNECT (and failed ones in line)
    bool disconnectPosted = false;      // a graceful DISCONNECT was accepted
    bool finSent = false;               // TX_FIN issued for disconnects.front(), FIN_ACK awaited
    bool finReceived = false;           // the peer's FIN arrived
    uint64_t buffered = 0;              // receive data held by the NIC
    uint64_t sendBytesOutstanding = 0;  // SEND bytes not yet acknowledged
  };

  struct QueuePair {
    uint64_t sqBase = 0;
    uint8_t sqSize = 0;
    uint16_t sqTail = 0;
    uint16_t sqHead = 0;
    uint64_t cqBase = 0;
    uint8_t cqSize = 0;
    uint16_t cqHead = 0;
    uint16_t cqTail = 0;
    uint16_t irqModCount = 0;
    uint32_t irqModTimer = 0;
    bool enable = false;
    bool irqEnable = false;
    bool halted = false;
    bool armed = false;
    // Interrupt moderation.
    uint16_t signalledTail = 0;     // CQ_TAIL announced by the last interrupt or re-arm
    uint64_t firstUnsignalled = 0;  // cycle the first unsignalled descriptor committed
    bool fireNow = false;           // re-armed with descriptors beyond the head
    // Completion descriptors generated but not yet committed, in ring order.
    struct Pending {
      prm::Completion cpl;
      bool holdsSlot = false;  // frees a request-table slot when committed
    };
    std::deque<Pending> pending;
    // Error injection: the next fetches / completion writes that fail.
    unsigned failFetches = 0;
    unsigned failCplWrites = 0;
  };

  struct Counters {
    uint32_t reqFetched = 0;
    uint32_t cplWritten = 0;
    uint32_t evt = 0;
    uint32_t irq = 0;
    uint32_t protoErr = 0;
    uint32_t dmaErr = 0;
    uint32_t evtLate = 0;
  };

  BehaviouralDevice();
  explicit BehaviouralDevice(const Config& config);

  // DeviceInterface.
  RegRead read32(uint32_t offset) override;
  bool write32(uint32_t offset, uint32_t value) override;
  DmaMemory& memory() override { return memory_; }
  void setInterruptHandler(InterruptHandler handler) override;

  // A register access with an explicit byte strobe (AXI4-Lite wstrb); only
  // 0xF is valid. write32() is writeStrobed(offset, value, 0xF).
  bool writeStrobed(uint32_t offset, uint32_t value, uint8_t strobe);

  // Advances one device cycle / n cycles.
  void step();
  void run(uint64_t cycles);
  // Steps until idle() or `maxCycles` have passed; returns the cycles run.
  uint64_t runUntilIdle(uint64_t maxCycles = 1'000'000);
  // Nothing left that the device would do by itself (work waiting to be
  // popped does not count: that is the protocol engine's side).
  bool idle() const;
  uint64_t cycle() const { return cycle_; }

  // Protocol-engine side.
  std::optional<prm::Work> popWork();
  std::size_t workPending() const { return work_.size(); }
  void pushEvent(const prm::Event& event);
  void pushEventWord(uint64_t word) { pushEvent(prm::decodeEvent(word)); }
  std::size_t eventsPending() const { return events_.size(); }

  // Error injection: the next SQ fetch / completion write of queue pair `q`
  // is answered with an error; DMA touching [lo, hi) is answered with an
  // error until cleared.
  // Each call adds one failure to those still waiting.
  void failNextFetch(unsigned q);
  void failNextCompletionWrite(unsigned q);
  // Fetches / completion writes failed by the two calls above, over the
  // model's life (a soft reset keeps them).
  uint64_t injectedFetchErrors() const { return injectedFetchErrors_; }
  uint64_t injectedCplWriteErrors() const { return injectedCplWriteErrors_; }
  void failDmaRange(uint64_t lo, uint64_t hi);
  void clearDmaFailRange();

  // Called after every SQ entry fetched and completion descriptor written
  // (data: the bytes read or written; ok: the access succeeded), as the
  // RTL's DMA port reports its accesses. For transaction logs.
  using DmaTap =
      std::function<void(bool isWrite, uint64_t addr, const uint8_t* data, unsigned len, bool ok)>;
  void setDmaTap(DmaTap tap) { dmaTap_ = std::move(tap); }

  // Observation (no side effects).
  SparseMemory& sparseMemory() { return memory_; }
  const Config& config() const { return config_; }
  const Counters& counters() const { return counters_; }
  const QueuePair& queuePair(unsigned q) const { return qps_.at(q); }
  const Conn& conn(unsigned c) const { return conns_.at(c); }
  unsigned requestSlotsInUse() const { return slotsInUse_; }
  uint32_t errStatus() const { return errStatus_; }
  bool enabled() const { return enable_; }

 private:
  // behavioural_device.cpp: reset, stepping, interrupts, errors.
  void reset();
  void raiseError(uint32_t bit);
  void raiseIrq(unsigned vector);
  void deliverInterrupts();
  void evaluateModeration(unsigned q);
  void dmaError(unsigned q, uint32_t bit);
  bool dmaBlocked(uint64_t addr, uint64_t bytes) const;

  // behavioural_device_regs.cpp: registers and connection commands.
  RegRead readReg(uint32_t offset);
  bool writeReg(uint32_t offset, uint32_t value);
  RegRead readQpReg(unsigned q, uint32_t off) const;
  bool writeQpReg(unsigned q, uint32_t off, uint32_t value);
  void connCommand(uint32_t value);
  prm::CmdResult doConnCommand(uint16_t c, uint8_t qp, uint8_t op);

  // behavioural_device_queues.cpp: SQ fetch, CQ writer.
  void fetch(unsigned q);
  void writeCompletions(unsigned q);
  bool canFetch(unsigned q) const;
  bool canWriteCompletion(unsigned q) const;

  // behavioural_device_matcher.cpp: requests and events.
  void acceptRequest(unsigned q, const prm::Request& r);
  void matchEvent(const prm::Event& e);
  void complete(unsigned q, const prm::Completion& c, bool holdsSlot);
  void completeRequest(Conn& conn, uint16_t c, const Request& r, prm::CplStatus status,
                       uint32_t bytes);
  void popHead(uint16_t c, Conn& conn, std::deque<Request>& list);
  void flushFailed(uint16_t c, Conn& conn);
  std::deque<Request>& listFor(Conn& conn, prm::Opcode op);
  void emitWork(prm::WorkType type, uint16_t c, uint32_t bytes);
  void protocolError(uint16_t c);
  void applyAck(uint16_t c, Conn& conn, uint32_t bytes);
  void placeData(uint16_t c, Conn& conn, uint32_t bytes, bool push);
  void fillFromBuffer(uint16_t c, Conn& conn);
  void maybeIssueFin(uint16_t c, Conn& conn);
  void abortAll(uint16_t c, Conn& conn, prm::CplStatus status);

  Config config_;
  SparseMemory memory_;
  DmaTap dmaTap_;
  InterruptHandler handler_;
  uint64_t cycle_ = 0;

  // Global registers.
  bool enable_ = false;
  uint32_t errStatus_ = 0;
  uint8_t errInfoQp_ = 0;
  uint16_t errInfoConn_ = 0;
  uint32_t cmdArg_ = 0;
  prm::CmdResult cmdResult_ = prm::CmdResult::kOk;
  unsigned busyReadsLeft_ = 0;
  Counters counters_;
  uint64_t injectedFetchErrors_ = 0;
  uint64_t injectedCplWriteErrors_ = 0;

  std::vector<QueuePair> qps_;
  std::vector<Conn> conns_;
  unsigned slotsInUse_ = 0;
  uint64_t nextSeq_ = 0;

  std::deque<prm::Event> events_;
  std::deque<prm::Work> work_;
  std::deque<unsigned> irqs_;  // raised, not yet delivered
  bool delivering_ = false;

  bool failRangeSet_ = false;
  uint64_t failLo_ = 0;
  uint64_t failHi_ = 0;
};

}  // namespace chimney
