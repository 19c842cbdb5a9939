// Bit layouts of the completion engine's hardware interface (PRM 1.0), the
// software side's single definition: register offsets, request and completion
// descriptors, work and event stream words. The RTL's counterpart is
// rtl/cpl_defs.svh; tests/rtl/prm_layout_test.cpp checks that the two agree.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace prm {

// ---- Registers (PRM section 3) -------------------------------------------
namespace reg {
constexpr uint32_t kId = 0x0000;
constexpr uint32_t kVersion = 0x0004;
constexpr uint32_t kCaps0 = 0x0008;
constexpr uint32_t kCaps1 = 0x000C;
constexpr uint32_t kCtrl = 0x0010;
constexpr uint32_t kErrStatus = 0x0014;
constexpr uint32_t kErrInfo = 0x0018;
constexpr uint32_t kConnCmd = 0x0020;
constexpr uint32_t kConnCmdArg = 0x0024;
constexpr uint32_t kConnCmdStatus = 0x0028;
constexpr uint32_t kCntReqFetched = 0x0040;
constexpr uint32_t kCntCplWritten = 0x0044;
constexpr uint32_t kCntEvt = 0x0048;
constexpr uint32_t kCntIrq = 0x004C;
constexpr uint32_t kCntProtoErr = 0x0050;
constexpr uint32_t kCntDmaErr = 0x0054;
constexpr uint32_t kCntEvtLate = 0x0058;

constexpr uint32_t kQpBase = 0x1000;
constexpr uint32_t kQpStride = 0x40;
constexpr uint32_t kSqBaseLo = 0x00;
constexpr uint32_t kSqBaseHi = 0x04;
constexpr uint32_t kSqSize = 0x08;
constexpr uint32_t kSqTail = 0x0C;
constexpr uint32_t kSqHead = 0x10;
constexpr uint32_t kCqBaseLo = 0x14;
constexpr uint32_t kCqBaseHi = 0x18;
constexpr uint32_t kCqSize = 0x1C;
constexpr uint32_t kCqHead = 0x20;
constexpr uint32_t kCqTail = 0x24;
constexpr uint32_t kIrqModCount = 0x28;
constexpr uint32_t kIrqModTimer = 0x2C;
constexpr uint32_t kQpCtrl = 0x30;
constexpr uint32_t kQpStatus = 0x34;

constexpr uint32_t qp(unsigned q, uint32_t off) {
  return kQpBase + kQpStride * q + off;
}
}  // namespace reg

constexpr uint32_t kIdValue = 0x4350'4C45;  // "CPLE"
constexpr uint32_t kVersionValue = 0x0001'0000;

namespace ctrl {
constexpr uint32_t kEnable = 1u << 0;
constexpr uint32_t kSoftReset = 1u << 1;
}  // namespace ctrl

namespace err {
constexpr uint32_t kDmaRd = 1u << 0;
constexpr uint32_t kDmaWr = 1u << 1;
constexpr uint32_t kProto = 1u << 2;
constexpr uint32_t kDoorbell = 1u << 3;
constexpr uint32_t kCmd = 1u << 4;
}  // namespace err

namespace qpctrl {
constexpr uint32_t kEnable = 1u << 0;
constexpr uint32_t kIrqEnable = 1u << 1;
}  // namespace qpctrl

namespace qpstatus {
constexpr uint32_t kEnabled = 1u << 0;
constexpr uint32_t kHalted = 1u << 1;
constexpr uint32_t kArmed = 1u << 2;
// DMA of the queue pair in flight: a burst offered on AR/AW, or not yet
// read to its last beat / answered on B (PRM 1.0.5).
constexpr uint32_t kBusy = 1u << 3;
}  // namespace qpstatus

constexpr uint32_t kCqHeadArm = 1u << 31;

enum class ConnOp : uint8_t { kOffload = 1, kTerminate = 2, kRxConsumed = 3 };
enum class CmdResult : uint8_t {
  kOk = 0,
  kBadConn = 1,
  kBadState = 2,
  kBadQp = 3,
  kBadOp = 4,
  kBadArg = 5
};
constexpr uint32_t encodeConnCmd(uint16_t conn, uint8_t qp, ConnOp op) {
  return uint32_t{conn} | (uint32_t{qp} << 16) | (uint32_t(op) << 24);
}
constexpr bool cmdBusy(uint32_t status) {
  return (status & 1u) != 0;
}
constexpr CmdResult cmdResult(uint32_t status) {
  return CmdResult((status >> 4) & 0xF);
}

// ---- Request descriptor (PRM section 4) ----------------------------------
constexpr unsigned kSqEntryBytes = 32;
enum class Opcode : uint8_t { kSend = 1, kRecv = 2, kDisconnect = 3, kForward = 4 };
namespace reqflag {
constexpr uint8_t kAbortive = 1u << 0;  // DISCONNECT
constexpr uint8_t kNoPush = 1u << 1;    // RECV
}  // namespace reqflag

struct Request {
  uint64_t tag = 0;
  uint8_t opcode = 0;  // raw, so malformed values can be encoded
  uint8_t flags = 0;
  uint16_t conn = 0;
  uint32_t length = 0;
  uint64_t buffer = 0;
  bool operator==(const Request& o) const {
    return tag == o.tag && opcode == o.opcode && flags == o.flags && conn == o.conn &&
           length == o.length && buffer == o.buffer;
  }
};

namespace detail {
inline void put64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}
inline uint64_t get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
}  // namespace detail

inline std::array<uint8_t, kSqEntryBytes> encodeRequest(const Request& r) {
  std::array<uint8_t, kSqEntryBytes> b{};
  detail::put64(&b[0], r.tag);
  b[8] = r.opcode;
  b[9] = r.flags;
  b[10] = uint8_t(r.conn);
  b[11] = uint8_t(r.conn >> 8);
  for (int i = 0; i < 4; ++i) b[12 + i] = uint8_t(r.length >> (8 * i));
  detail::put64(&b[16], r.buffer);
  return b;
}
inline Request decodeRequest(const uint8_t* b) {
  Request r;
  r.tag = detail::get64(b);
  r.opcode = b[8];
  r.flags = b[9];
  r.conn = uint16_t(b[10] | (b[11] << 8));
  r.length = uint32_t(b[12]) | uint32_t(b[13]) << 8 | uint32_t(b[14]) << 16 | uint32_t(b[15]) << 24;
  r.buffer = detail::get64(&b[16]);
  return r;
}

// ---- Completion descriptor (PRM section 5) -------------------------------
constexpr unsigned kCqEntryBytes = 16;
enum class CplType : uint8_t {
  kSend = 1,
  kRecv = 2,
  kDisconnect = 3,
  kForward = 4,
  kRxIndicate = 8,
  kEvtFin = 9,
  kEvtRst = 10,
  kTerminateDone = 11
};
enum class CplStatus : uint8_t {
  kSuccess = 0,
  kAborted = 1,
  kUpload = 2,
  kInvalidState = 3,
  kInvalidConn = 4,
  kInvalidRequest = 5,
  kWrongQp = 6
};

struct Completion {
  uint64_t tag = 0;
  uint32_t bytes = 0;
  uint16_t conn = 0;
  CplType type = CplType::kSend;
  CplStatus status = CplStatus::kSuccess;
  bool phase = false;
  bool operator==(const Completion& o) const {
    return tag == o.tag && bytes == o.bytes && conn == o.conn && type == o.type &&
           status == o.status && phase == o.phase;
  }
};

constexpr uint64_t encodeCplWord1(const Completion& c) {
  return uint64_t{c.bytes} | uint64_t{c.conn} << 32 | (uint64_t(c.type) & 0xF) << 48 |
         uint64_t(c.status) << 52 | uint64_t{c.phase} << 63;
}
constexpr Completion decodeCompletion(uint64_t word0, uint64_t word1) {
  Completion c;
  c.tag = word0;
  c.bytes = uint32_t(word1);
  c.conn = uint16_t(word1 >> 32);
  c.type = CplType((word1 >> 48) & 0xF);
  c.status = CplStatus((word1 >> 52) & 0xFF);
  c.phase = ((word1 >> 63) & 1) != 0;
  return c;
}
inline std::array<uint8_t, kCqEntryBytes> encodeCompletion(const Completion& c) {
  std::array<uint8_t, kCqEntryBytes> b{};
  detail::put64(&b[0], c.tag);
  detail::put64(&b[8], encodeCplWord1(c));
  return b;
}
inline Completion decodeCompletion(const uint8_t* b) {
  return decodeCompletion(detail::get64(b), detail::get64(b + 8));
}
// Phase the engine writes for producer pointer `ptr` on a ring of 2^log2 entries.
constexpr bool phaseFor(uint16_t ptr, unsigned log2Size) {
  return ((ptr >> log2Size) & 1u) == 0;
}

// ---- Work stream (PRM section 6, "Work") ---------------------------------
enum class WorkType : uint8_t { kTxData = 1, kTxFin = 2, kTxRst = 3, kFwd = 4, kRxPost = 5 };
struct Work {
  WorkType type = WorkType::kTxData;
  uint16_t conn = 0;
  uint32_t bytes = 0;
  bool operator==(const Work& o) const {
    return type == o.type && conn == o.conn && bytes == o.bytes;
  }
};
constexpr uint64_t encodeWork(const Work& w) {
  return (uint64_t(w.type) & 0xF) | uint64_t{w.conn} << 8 | uint64_t{w.bytes} << 32;
}
constexpr Work decodeWork(uint64_t d) {
  return Work{WorkType(d & 0xF), uint16_t(d >> 8), uint32_t(d >> 32)};
}

// ---- Event stream (PRM section 6, "Events") ------------------------------
enum class EventType : uint8_t {
  kAck = 1,
  kData = 2,
  kFinAck = 3,
  kRst = 4,
  kFin = 5,
  kFwdDone = 6
};
namespace evtflag {
constexpr uint8_t kPush = 1u << 0;
}
struct Event {
  EventType type = EventType::kAck;
  uint8_t flags = 0;
  uint16_t conn = 0;
  uint32_t bytes = 0;
  bool operator==(const Event& o) const {
    return type == o.type && flags == o.flags && conn == o.conn && bytes == o.bytes;
  }
};
constexpr uint64_t encodeEvent(const Event& e) {
  return (uint64_t(e.type) & 0xF) | (uint64_t(e.flags) & 0xF) << 4 | uint64_t{e.conn} << 8 |
         uint64_t{e.bytes} << 32;
}
constexpr Event decodeEvent(uint64_t d) {
  return Event{EventType(d & 0xF), uint8_t((d >> 4) & 0xF), uint16_t(d >> 8), uint32_t(d >> 32)};
}

// ---- Interrupts ---------------------------------------------------------
// Vector q is queue pair q's; vector NUM_QP is the error interrupt.

}  // namespace prm
