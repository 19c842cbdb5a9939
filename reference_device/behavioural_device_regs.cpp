// BehaviouralDevice: the AXI4-Lite register file (PRM section 3) and the
// connection commands (PRM section 6, "Connections").
#include "behavioural_device.h"

namespace chimney {

namespace {
constexpr RegRead kSlvErr{false, 0};
RegRead ok(uint32_t v) {
  return RegRead{true, v};
}
constexpr uint32_t kQpRegionEnd(unsigned numQp) {
  return prm::reg::kQpBase + prm::reg::kQpStride * numQp;
}
}  // namespace

RegRead BehaviouralDevice::read32(uint32_t offset) {
  if ((offset & 3u) != 0) return kSlvErr;
  return readReg(offset);
}

bool BehaviouralDevice::write32(uint32_t offset, uint32_t value) {
  return writeStrobed(offset, value, 0xF);
}

bool BehaviouralDevice::writeStrobed(uint32_t offset, uint32_t value, uint8_t strobe) {
  if ((offset & 3u) != 0 || strobe != 0xF) return false;
  return writeReg(offset, value);
}

// ---- Reads ----------------------------------------------------------------

RegRead BehaviouralDevice::readReg(uint32_t offset) {
  using namespace prm::reg;
  if (offset >= kQpBase && offset < kQpRegionEnd(config_.numQp)) {
    return readQpReg((offset - kQpBase) / kQpStride, (offset - kQpBase) % kQpStride);
  }
  switch (offset) {
    case kId:
      return ok(prm::kIdValue);
    case kVersion:
      return ok(prm::kVersionValue);
    case kCaps0:
      return ok((config_.numConn & 0xFFFFu) | (config_.numQp & 0xFFu) << 16);
    case kCaps1:
      return ok(config_.reqSlots & 0xFFFFu);
    case kCtrl:
      return ok(enable_ ? prm::ctrl::kEnable : 0u);
    case kErrStatus:
      return ok(errStatus_);
    case kErrInfo:
      return ok(uint32_t{errInfoQp_} | uint32_t{errInfoConn_} << 16);
    case kConnCmd:
      return ok(0);  // write-only
    case kConnCmdArg:
      return ok(cmdArg_);
    case kConnCmdStatus: {
      uint32_t v = uint32_t(cmdResult_) << 4;
      if (busyReadsLeft_ > 0) {
        --busyReadsLeft_;
        v |= 1u;
      }
      return ok(v);
    }
    case kCntReqFetched:
      return ok(counters_.reqFetched);
    case kCntCplWritten:
      return ok(counters_.cplWritten);
    case kCntEvt:
      return ok(counters_.evt);
    case kCntIrq:
      return ok(counters_.irq);
    case kCntProtoErr:
      return ok(counters_.protoErr);
    case kCntDmaErr:
      return ok(counters_.dmaErr);
    case kCntEvtLate:
      return ok(counters_.evtLate);
    default:
      return kSlvErr;
  }
}

RegRead BehaviouralDevice::readQpReg(unsigned q, uint32_t off) const {
  using namespace prm::reg;
  const QueuePair& p = qps_[q];
  switch (off) {
    case kSqBaseLo:
      return ok(uint32_t(p.sqBase) & ~0xFFFu);
    case kSqBaseHi:
      return ok(uint32_t(p.sqBase >> 32));
    case kSqSize:
      return ok(p.sqSize);
    case kSqTail:
      return ok(p.sqTail);
    case kSqHead:
      return ok(p.sqHead);
    case kCqBaseLo:
      return ok(uint32_t(p.cqBase) & ~0xFFFu);
    case kCqBaseHi:
      return ok(uint32_t(p.cqBase >> 32));
    case kCqSize:
      return ok(p.cqSize);
    case kCqHead:
      return ok(uint32_t{p.cqHead} | (p.armed ? prm::kCqHeadArm : 0u));
    case kCqTail:
      return ok(p.cqTail);
    case kIrqModCount:
      return ok(p.irqModCount);
    case kIrqModTimer:
      return ok(p.irqModTimer);
    case kQpCtrl:
      return ok((p.enable ? prm::qpctrl::kEnable : 0u) |
                (p.irqEnable ? prm::qpctrl::kIrqEnable : 0u));
    case kQpStatus:
      // BUSY stays 0: the model's DMA is carried out within its cycle.
      return ok((p.enable ? prm::qpstatus::kEnabled : 0u) |
                (p.halted ? prm::qpstatus::kHalted : 0u) | (p.armed ? prm::qpstatus::kArmed : 0u));
    default:
      return kSlvErr;
  }
}

// ---- Writes ---------------------------------------------------------------

bool BehaviouralDevice::writeReg(uint32_t offset, uint32_t value) {
  using namespace prm::reg;
  if (offset >= kQpBase && offset < kQpRegionEnd(config_.numQp)) {
    return writeQpReg((offset - kQpBase) / kQpStride, (offset - kQpBase) % kQpStride, value);
  }
  switch (offset) {
    case kCtrl:
      if ((value & prm::ctrl::kSoftReset) != 0) {
        reset();
      } else {
        enable_ = (value & prm::ctrl::kEnable) != 0;
      }
      return true;
    case kErrStatus:
      errStatus_ &= ~value;
      return true;
    case kConnCmd:
      connCommand(value);
      return true;
    case kConnCmdArg:
      cmdArg_ = value;
      return true;
    default:
      return false;  // read-only or unmapped
  }
}

bool BehaviouralDevice::writeQpReg(unsigned q, uint32_t off, uint32_t value) {
  using namespace prm::reg;
  QueuePair& p = qps_[q];
  const auto validSize = [](uint32_t v) { return (v & 0x1Fu) >= 1 && (v & 0x1Fu) <= 15; };
  switch (off) {
    case kSqBaseLo:
    case kSqBaseHi:
    case kCqBaseLo:
    case kCqBaseHi:
    case kSqSize:
    case kCqSize:
      // Ring geometry is fixed while the queue pair is enabled.
      if (p.enable) return false;
      break;
    default:
      break;
  }
  switch (off) {
    case kSqBaseLo:
      p.sqBase = (p.sqBase & ~0xFFFF'FFFFull) | (value & ~0xFFFu);
      return true;
    case kSqBaseHi:
      p.sqBase = (p.sqBase & 0xFFFF'FFFFull) | uint64_t{value} << 32;
      return true;
    case kCqBaseLo:
      p.cqBase = (p.cqBase & ~0xFFFF'FFFFull) | (value & ~0xFFFu);
      return true;
    case kCqBaseHi:
      p.cqBase = (p.cqBase & 0xFFFF'FFFFull) | uint64_t{value} << 32;
      return true;
    case kSqSize:
      if (!validSize(value)) return false;
      p.sqSize = uint8_t(value & 0x1F);
      p.sqHead = p.sqTail = 0;
      return true;
    case kCqSize:
      if (!validSize(value)) return false;
      p.cqSize = uint8_t(value & 0x1F);
      p.cqHead = p.cqTail = 0;
      p.signalledTail = 0;
      p.fireNow = false;
      return true;
    case kSqTail: {
      const uint16_t tail = uint16_t(value);
      if (uint16_t(tail - p.sqHead) > (1u << p.sqSize)) {
        errInfoQp_ = uint8_t(q);
        raiseError(prm::err::kDoorbell);
        return true;
      }
      p.sqTail = tail;
      return true;
    }
    case kCqHead: {
      const uint16_t head = uint16_t(value);
      if (uint16_t(head - p.cqHead) > uint16_t(p.cqTail - p.cqHead)) {
        errInfoQp_ = uint8_t(q);
        raiseError(prm::err::kDoorbell);
        return true;
      }
      p.cqHead = head;
      if ((value & prm::kCqHeadArm) != 0) {
        // Re-arm: what counts as unsignalled is the descriptors beyond the
        // written head; count and timer restart from them. Any such
        // descriptor fires at once (no lost wake-up); none, no interrupt.
        p.armed = true;
        p.signalledTail = head;
        p.firstUnsignalled = cycle_;
        p.fireNow = p.cqTail != head;
      }
      return true;
    }
    case kIrqModCount:
      p.irqModCount = uint16_t(value);
      return true;
    case kIrqModTimer:
      p.irqModTimer = value;
      return true;
    case kQpCtrl: {
      const bool en = (value & prm::qpctrl::kEnable) != 0;
      if (en && !p.enable && (p.sqSize == 0 || p.cqSize == 0)) return false;  // rings unset
      if (!en) p.halted = false;  // clearing ENABLE clears HALTED
      p.enable = en;
      p.irqEnable = (value & prm::qpctrl::kIrqEnable) != 0;
      return true;
    }
    default:
      return false;  // read-only or unmapped
  }
}

// ---- Connection commands --------------------------------------------------

void BehaviouralDevice::connCommand(uint32_t value) {
  const uint16_t c = uint16_t(value);
  const uint8_t qp = uint8_t(value >> 16);
  const uint8_t op = uint8_t((value >> 24) & 0xF);
  cmdResult_ = doConnCommand(c, qp, op);
  busyReadsLeft_ = config_.cmdBusyReads;
  if (cmdResult_ != prm::CmdResult::kOk) raiseError(prm::err::kCmd);
}

prm::CmdResult BehaviouralDevice::doConnCommand(uint16_t c, uint8_t qp, uint8_t op) {
  using prm::CmdResult;
  if (op < uint8_t(prm::ConnOp::kOffload) || op > uint8_t(prm::ConnOp::kRxConsumed)) {
    return CmdResult::kBadOp;
  }
  if (c >= config_.numConn) return CmdResult::kBadConn;
  Conn& conn = conns_[c];
  switch (prm::ConnOp(op)) {
    case prm::ConnOp::kOffload:
      if (qp >= config_.numQp) return CmdResult::kBadQp;
      if (conn.state != ConnState::kClosed) return CmdResult::kBadState;
      conn = Conn{};
      conn.state = ConnState::kOffloaded;
      conn.qp = qp;
      return CmdResult::kOk;
    case prm::ConnOp::kTerminate:
      if (conn.state == ConnState::kClosed) return CmdResult::kBadState;
      abortAll(c, conn, prm::CplStatus::kUpload);
      complete(
          conn.qp,
          prm::Completion{0, 0, c, prm::CplType::kTerminateDone, prm::CplStatus::kSuccess, false},
          false);
      conn = Conn{};  // CLOSED, buffered data dropped
      return CmdResult::kOk;
    case prm::ConnOp::kRxConsumed:
      if (conn.state != ConnState::kOffloaded) return CmdResult::kBadState;
      if (cmdArg_ > conn.buffered) return CmdResult::kBadArg;
      conn.buffered -= cmdArg_;
      return CmdResult::kOk;
  }
  return CmdResult::kBadOp;
}

}  // namespace chimney
