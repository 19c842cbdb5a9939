// OffloadHardware: everything the offload target does to the completion
// engine through DeviceInterface, and nothing NDIS: identification (ID,
// VERSION, CAPS), bring-up of the queue pairs (rings in DMA memory, sizes,
// interrupt moderation, enable, arm), connection commands (CONN_CMD with
// BUSY polling and result check), error status, and the recovery of a queue
// pair halted by a DMA error.
//
// All register accesses are checked; a refused access is counted, never
// asserted. Polling loops are bounded (Config::cmdPollLimit reads).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "cq_reader.h"
#include "device_interface.h"
#include "prm.h"
#include "sq_writer.h"

namespace chimney {

struct OffloadHardwareConfig {
  unsigned queuePairs = 0;  // 0: every queue pair the device has
  unsigned sqLog2Entries = 8;
  unsigned cqLog2Entries = 10;
  uint16_t irqModCount = 1;        // programmed as at most the CQ's entries
  uint32_t irqModTimer = 0;        // cycles; 0 = off
  unsigned cmdPollLimit = 100000;  // CONN_CMD_STATUS / SQ_HEAD / QP_STATUS reads before giving up
  bool softResetAtStart = true;
};

struct DeviceCaps {
  uint32_t version = 0;
  unsigned numConn = 0;
  unsigned numQp = 0;
  unsigned reqSlots = 0;
};

enum class HwInitResult { kOk, kBadId, kBadVersion, kBadCaps, kBadConfig, kRegisterError };
const char* toString(HwInitResult r);

// What a CONN_CMD came to. `completed` is false when BUSY never fell within
// the poll limit or the command could not be written.
struct CmdOutcome {
  bool completed = false;
  prm::CmdResult result = prm::CmdResult::kOk;
  bool ok() const { return completed && result == prm::CmdResult::kOk; }
};

// One queue pair as the driver sees it.
struct QueuePair {
  QueuePair(DeviceInterface& device, unsigned index, unsigned sqLog2, unsigned cqLog2)
      : index(index), sq(device, index, sqLog2), cq(device, index, cqLog2) {}
  unsigned index;
  SqWriter sq;
  CqReader cq;
};

// Register-level anomalies; all counted, none fatal.
struct HwCounters {
  uint64_t regWriteErrors = 0;   // write32 answered SLVERR
  uint64_t regReadErrors = 0;    // read32 answered SLVERR
  uint64_t cmdTimeouts = 0;      // BUSY still high after cmdPollLimit reads
  uint64_t dmaBusyTimeouts = 0;  // QP_STATUS.BUSY still high after cmdPollLimit reads (rings kept)
  uint64_t cmdErrors = 0;        // result other than OK
  // The same refusals by command (every CONN_CMD goes through connCommand):
  uint64_t offloadRefused = 0;      // OFFLOAD
  uint64_t terminateRefused = 0;    // TERMINATE
  uint64_t rxConsumedBadState = 0;  // RX_CONSUMED answered BAD_STATE (connection not offloaded)
  uint64_t rxConsumedRefused = 0;   // RX_CONSUMED answered anything else but OK
  uint64_t sqHeadOutOfRange = 0;    // SQ_HEAD read back an impossible value
  uint64_t dmaErrors = 0;           // DMA_RD_ERR / DMA_WR_ERR seen
  uint64_t protoErrors = 0;         // PROTO_ERR seen
  uint64_t doorbellErrors = 0;      // DOORBELL_ERR seen
  uint64_t cmdErrBits = 0;          // CMD_ERR seen in ERR_STATUS
  uint64_t recoveries = 0;          // queue pairs brought back after a halt
};

// Hardware pointers of one queue pair (invariant 16 compares them with the
// driver's view).
struct HwRingPointers {
  bool ok = false;
  uint16_t sqHead = 0, sqTail = 0, cqHead = 0, cqTail = 0;
};

class OffloadHardware {
 public:
  OffloadHardware(DeviceInterface& device, const OffloadHardwareConfig& config);
  ~OffloadHardware();
  OffloadHardware(const OffloadHardware&) = delete;
  OffloadHardware& operator=(const OffloadHardware&) = delete;

  // Identifies the device, resets it, allocates and programs every queue
  // pair, enables them (interrupts on, armed) and the engine.
  HwInitResult initialize();
  // Disables the engine and every queue pair (rings stay allocated until
  // destruction so late DMA still lands in mapped memory).
  void shutdown();
  // The device is gone (surprise removal): forget it without a register
  // access; rings are still released at destruction.
  void forgetDevice() { initialized_ = false; }
  bool initialized() const { return initialized_; }

  const DeviceCaps& caps() const { return caps_; }
  unsigned queuePairCount() const { return unsigned(qps_.size()); }
  QueuePair& queuePair(unsigned q) { return *qps_.at(q); }
  const QueuePair& queuePair(unsigned q) const { return *qps_.at(q); }
  unsigned errorVector() const { return caps_.numQp; }

  // CONN_CMD_ARG = arg, CONN_CMD = (conn, qp, op), then polls BUSY. While
  // BUSY stays high, `whileBusy` (if set) runs every kBusyServiceInterval
  // polls: a command may need completion queue space to finish (TERMINATE's
  // UPLOAD completions), so the caller frees some.
  static constexpr unsigned kBusyServiceInterval = 8;
  CmdOutcome connCommand(uint16_t conn, uint8_t qp, prm::ConnOp op, uint32_t arg = 0,
                         const std::function<void()>& whileBusy = {});

  // Reads SQ_HEAD of `q`; counts an impossible value.
  bool refreshSqHead(unsigned q);
  // Polls SQ_HEAD until the engine has fetched everything up to `ptr`.
  bool waitSqFetched(unsigned q, uint16_t ptr);

  // Reads ERR_STATUS and counts the bits that are set (nullopt: read failed).
  std::optional<uint32_t> readErrorStatus();
  // Write-1-to-clear of `bits` in ERR_STATUS.
  bool clearErrorStatus(uint32_t bits);
  // QP_STATUS of `q` (nullopt when the read failed).
  std::optional<uint32_t> qpStatus(unsigned q);

  // Recovery steps of a queue pair halted by a DMA error (PRM section 7),
  // in the order the target calls them: disable (clears HALTED; the caller
  // has drained the CQ, nothing new arrives while halted), optionally wait
  // for its DMA in flight to finish and move both rings, clear ERR_STATUS,
  // enable again. enableQueuePair() rings the SQ doorbell again so entries
  // not yet fetched are fetched, and re-arms the CQ interrupt so
  // descriptors committed meanwhile are signalled.
  bool disableQueuePair(unsigned q);
  // Polls QP_STATUS until BUSY reads 0: no burst of the disabled queue pair
  // is offered or outstanding any more, so its ring memory may be moved or
  // freed (PRM 7). False when it still reads 1 after cmdPollLimit reads
  // (counted in dmaBusyTimeouts) or when a read fails.
  bool waitDmaIdle(unsigned q);
  bool moveRings(unsigned q);
  bool enableQueuePair(unsigned q);

  // IRQ_MOD_COUNT programmed for a CQ of `cqEntries`: the configured count,
  // at most the ring size (a count the CQ cannot hold would never fire).
  uint16_t moderationCount(uint32_t cqEntries) const;

  HwRingPointers readRingPointers(unsigned q);
  const HwCounters& counters() const { return counters_; }
  HwCounters& counters() { return counters_; }

  bool write(uint32_t off, uint32_t value);
  std::optional<uint32_t> read(uint32_t off);

 private:
  bool programQueuePair(QueuePair& qp);
  void countRefusal(prm::ConnOp op, prm::CmdResult result);

  DeviceInterface& device_;
  OffloadHardwareConfig config_;
  DeviceCaps caps_;
  std::vector<std::unique_ptr<QueuePair>> qps_;
  HwCounters counters_;
  bool initialized_ = false;
};

}  // namespace chimney
