#include "offload_target_hw.h"

#include <algorithm>

namespace chimney {

const char* toString(HwInitResult r) {
  switch (r) {
    case HwInitResult::kOk:
      return "ok";
    case HwInitResult::kBadId:
      return "ID register does not read CPLE";
    case HwInitResult::kBadVersion:
      return "unsupported PRM major version";
    case HwInitResult::kBadCaps:
      return "CAPS registers out of range";
    case HwInitResult::kBadConfig:
      return "ring size outside 1..15 (log2)";
    case HwInitResult::kRegisterError:
      return "register access refused";
  }
  return "?";
}

OffloadHardware::OffloadHardware(DeviceInterface& device, const OffloadHardwareConfig& config)
    : device_(device), config_(config) {}

OffloadHardware::~OffloadHardware() {
  if (initialized_) shutdown();
}

bool OffloadHardware::write(uint32_t off, uint32_t value) {
  if (device_.write32(off, value)) return true;
  ++counters_.regWriteErrors;
  return false;
}

std::optional<uint32_t> OffloadHardware::read(uint32_t off) {
  const RegRead r = device_.read32(off);
  if (r.ok) return r.value;
  ++counters_.regReadErrors;
  return std::nullopt;
}

HwInitResult OffloadHardware::initialize() {
  initialized_ = false;
  qps_.clear();
  const auto id = read(prm::reg::kId);
  const auto version = read(prm::reg::kVersion);
  const auto caps0 = read(prm::reg::kCaps0);
  const auto caps1 = read(prm::reg::kCaps1);
  if (!id || !version || !caps0 || !caps1) return HwInitResult::kRegisterError;
  if (*id != prm::kIdValue) return HwInitResult::kBadId;
  // Same major: every register and layout this driver uses exists; a newer
  // minor only adds.
  if ((*version >> 16) != (prm::kVersionValue >> 16)) return HwInitResult::kBadVersion;
  caps_.version = *version;
  caps_.numConn = *caps0 & 0xFFFF;
  caps_.numQp = (*caps0 >> 16) & 0xFF;
  caps_.reqSlots = *caps1 & 0xFFFF;
  if (caps_.numConn < 1 || caps_.numConn > 4096 || caps_.numQp < 1 || caps_.numQp > 16 ||
      caps_.reqSlots < 16 || caps_.reqSlots > 4096) {
    return HwInitResult::kBadCaps;
  }
  const auto inRange = [](unsigned l) { return l >= 1 && l <= 15; };
  if (!inRange(config_.sqLog2Entries) || !inRange(config_.cqLog2Entries)) {
    return HwInitResult::kBadConfig;
  }

  if (config_.softResetAtStart && !write(prm::reg::kCtrl, prm::ctrl::kSoftReset)) {
    return HwInitResult::kRegisterError;
  }
  if (!clearErrorStatus(0x1F)) return HwInitResult::kRegisterError;

  const unsigned n =
      config_.queuePairs == 0 ? caps_.numQp : std::min(config_.queuePairs, caps_.numQp);
  for (unsigned q = 0; q < n; ++q) {
    qps_.push_back(
        std::make_unique<QueuePair>(device_, q, config_.sqLog2Entries, config_.cqLog2Entries));
    if (!programQueuePair(*qps_.back())) return HwInitResult::kRegisterError;
  }
  if (!write(prm::reg::kCtrl, prm::ctrl::kEnable)) return HwInitResult::kRegisterError;
  initialized_ = true;
  return HwInitResult::kOk;
}

bool OffloadHardware::programQueuePair(QueuePair& qp) {
  const unsigned q = qp.index;
  bool ok = write(prm::reg::qp(q, prm::reg::kQpCtrl), 0);
  if (!qp.sq.program()) ++counters_.regWriteErrors, ok = false;
  if (!qp.cq.program()) ++counters_.regWriteErrors, ok = false;
  ok = write(prm::reg::qp(q, prm::reg::kIrqModCount), moderationCount(qp.cq.entries())) && ok;
  ok = write(prm::reg::qp(q, prm::reg::kIrqModTimer), config_.irqModTimer) && ok;
  ok = write(prm::reg::qp(q, prm::reg::kQpCtrl), prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable) &&
       ok;
  if (!qp.cq.writeHead(true)) ++counters_.regWriteErrors, ok = false;
  return ok;
}

// An armed queue pair's unsignalled descriptors are exactly what its CQ
// holds, so a count above the ring size can never be reached: with the timer
// off the engine would never interrupt (lost wake-up), with it on every
// interrupt would wait for the timer with a full CQ. The count programmed is
// therefore at most the CQ's entries.
uint16_t OffloadHardware::moderationCount(uint32_t cqEntries) const {
  return uint16_t(std::min<uint32_t>(config_.irqModCount, cqEntries));
}

void OffloadHardware::shutdown() {
  write(prm::reg::kCtrl, 0);
  for (auto& qp : qps_) write(prm::reg::qp(qp->index, prm::reg::kQpCtrl), 0);
  // The rings are freed next: not while the engine may still read or write
  // them (PRM 7, QP_STATUS.BUSY).
  for (auto& qp : qps_) waitDmaIdle(qp->index);
  initialized_ = false;
}

CmdOutcome OffloadHardware::connCommand(uint16_t conn, uint8_t qp, prm::ConnOp op, uint32_t arg,
                                        const std::function<void()>& whileBusy) {
  CmdOutcome out;
  if (!write(prm::reg::kConnCmdArg, arg)) return out;
  if (!write(prm::reg::kConnCmd, prm::encodeConnCmd(conn, qp, op))) return out;
  for (unsigned i = 0; i < config_.cmdPollLimit; ++i) {
    const auto st = read(prm::reg::kConnCmdStatus);
    if (!st) continue;
    if (prm::cmdBusy(*st)) {
      if (whileBusy && (i + 1) % kBusyServiceInterval == 0) whileBusy();
      continue;
    }
    out.completed = true;
    out.result = prm::cmdResult(*st);
    if (out.result != prm::CmdResult::kOk) countRefusal(op, out.result);
    return out;
  }
  ++counters_.cmdTimeouts;
  return out;
}

void OffloadHardware::countRefusal(prm::ConnOp op, prm::CmdResult result) {
  ++counters_.cmdErrors;
  switch (op) {
    case prm::ConnOp::kOffload:
      ++counters_.offloadRefused;
      break;
    case prm::ConnOp::kTerminate:
      ++counters_.terminateRefused;
      break;
    case prm::ConnOp::kRxConsumed:
      ++(result == prm::CmdResult::kBadState ? counters_.rxConsumedBadState
                                             : counters_.rxConsumedRefused);
      break;
    default:
      break;
  }
}

bool OffloadHardware::refreshSqHead(unsigned q) {
  switch (queuePair(q).sq.refreshHead()) {
    case SqWriter::HeadRead::kOk:
      return true;
    case SqWriter::HeadRead::kReadFailed:
      ++counters_.regReadErrors;
      return false;
    case SqWriter::HeadRead::kOutOfRange:
      ++counters_.sqHeadOutOfRange;
      return false;
  }
  return false;
}

bool OffloadHardware::waitSqFetched(unsigned q, uint16_t ptr) {
  SqWriter& sq = queuePair(q).sq;
  // Fetched up to ptr when head has reached it: (ptr - head) counts what is
  // still unfetched below ptr, and cannot exceed what is in the ring.
  const auto done = [&] {
    return uint16_t(ptr - sq.head()) == 0 || uint16_t(ptr - sq.head()) > sq.used();
  };
  for (unsigned i = 0; i < config_.cmdPollLimit && !done(); ++i) refreshSqHead(q);
  if (done()) return true;
  ++counters_.cmdTimeouts;
  return false;
}

std::optional<uint32_t> OffloadHardware::readErrorStatus() {
  const auto st = read(prm::reg::kErrStatus);
  if (!st) return std::nullopt;
  if (*st & (prm::err::kDmaRd | prm::err::kDmaWr)) ++counters_.dmaErrors;
  if (*st & prm::err::kProto) ++counters_.protoErrors;
  if (*st & prm::err::kDoorbell) ++counters_.doorbellErrors;
  if (*st & prm::err::kCmd) ++counters_.cmdErrBits;
  return st;
}

bool OffloadHardware::clearErrorStatus(uint32_t bits) {
  return bits == 0 || write(prm::reg::kErrStatus, bits);
}

std::optional<uint32_t> OffloadHardware::qpStatus(unsigned q) {
  return read(prm::reg::qp(q, prm::reg::kQpStatus));
}

bool OffloadHardware::disableQueuePair(unsigned q) {
  return write(prm::reg::qp(q, prm::reg::kQpCtrl), prm::qpctrl::kIrqEnable);
}

bool OffloadHardware::waitDmaIdle(unsigned q) {
  for (unsigned i = 0; i < config_.cmdPollLimit; ++i) {
    const auto st = qpStatus(q);
    if (!st) return false;  // no answer (a removed device): nothing to wait for
    if ((*st & prm::qpstatus::kBusy) == 0) return true;
  }
  ++counters_.dmaBusyTimeouts;
  return false;
}

bool OffloadHardware::moveRings(unsigned q) {
  QueuePair& qp = queuePair(q);
  bool ok = true;
  if (!qp.sq.relocate()) ++counters_.regWriteErrors, ok = false;
  if (!qp.cq.relocate()) ++counters_.regWriteErrors, ok = false;
  return ok;
}

bool OffloadHardware::enableQueuePair(unsigned q) {
  QueuePair& qp = queuePair(q);
  bool ok =
      write(prm::reg::qp(q, prm::reg::kQpCtrl), prm::qpctrl::kEnable | prm::qpctrl::kIrqEnable);
  if (!qp.sq.ringDoorbell(true)) ++counters_.regWriteErrors, ok = false;
  // Re-arm at the head last handed back, which never passes CQ_TAIL.
  if (!qp.cq.writeHead(true, qp.cq.doorbell())) ++counters_.regWriteErrors, ok = false;
  if (ok) ++counters_.recoveries;
  return ok;
}

HwRingPointers OffloadHardware::readRingPointers(unsigned q) {
  HwRingPointers p;
  const auto sh = read(prm::reg::qp(q, prm::reg::kSqHead));
  const auto st = read(prm::reg::qp(q, prm::reg::kSqTail));
  const auto ch = read(prm::reg::qp(q, prm::reg::kCqHead));
  const auto ct = read(prm::reg::qp(q, prm::reg::kCqTail));
  if (!sh || !st || !ch || !ct) return p;
  p.ok = true;
  p.sqHead = uint16_t(*sh);
  p.sqTail = uint16_t(*st);
  p.cqHead = uint16_t(*ch);
  p.cqTail = uint16_t(*ct);
  return p;
}

}  // namespace chimney
