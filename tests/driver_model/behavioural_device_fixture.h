// Test fixture for the behavioural device: rings in the device's own sparse
// memory, a driver-like helper to post requests and read completions by
// phase, and shortcuts for events and work.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "behavioural_device.h"
#include "prm.h"

namespace chimney::test {

class DeviceTest : public ::testing::Test {
 protected:
  struct Ring {
    uint64_t sq = 0;
    uint64_t cq = 0;
    unsigned sqLog2 = 0;
    unsigned cqLog2 = 0;
    uint16_t sqTail = 0;  // driver's producer pointer
    uint16_t cqHead = 0;  // driver's consumer pointer
  };

  static BehaviouralDevice::Config smallConfig() {
    BehaviouralDevice::Config c;
    c.numConn = 16;
    c.numQp = 2;
    c.reqSlots = 16;
    return c;
  }

  explicit DeviceTest(const BehaviouralDevice::Config& config = smallConfig())
      : dev(config), rings(config.numQp) {
    dev.setInterruptHandler([this](unsigned v) { irqs.push_back(v); });
  }

  uint32_t reg(uint32_t offset) {
    const RegRead r = dev.read32(offset);
    EXPECT_TRUE(r.ok) << "read of 0x" << std::hex << offset;
    return r.value;
  }
  uint32_t qpReg(unsigned q, uint32_t off) { return reg(prm::reg::qp(q, off)); }
  void setReg(uint32_t offset, uint32_t value) {
    EXPECT_TRUE(dev.write32(offset, value)) << "write of 0x" << std::hex << offset;
  }
  void setQpReg(unsigned q, uint32_t off, uint32_t value) { setReg(prm::reg::qp(q, off), value); }

  // Allocates and programs queue pair q's rings, enables it (with interrupts
  // unless told otherwise) and arms it.
  void setUpQp(unsigned q, unsigned sqLog2 = 4, unsigned cqLog2 = 4, bool irqEnable = true) {
    using namespace prm::reg;
    Ring& r = rings[q];
    r = Ring{};
    r.sqLog2 = sqLog2;
    r.cqLog2 = cqLog2;
    r.sq = dev.memory().allocate(prm::kSqEntryBytes << sqLog2, 4096);
    r.cq = dev.memory().allocate(prm::kCqEntryBytes << cqLog2, 4096);
    setQpReg(q, kSqBaseLo, uint32_t(r.sq));
    setQpReg(q, kSqBaseHi, uint32_t(r.sq >> 32));
    setQpReg(q, kSqSize, sqLog2);
    setQpReg(q, kCqBaseLo, uint32_t(r.cq));
    setQpReg(q, kCqBaseHi, uint32_t(r.cq >> 32));
    setQpReg(q, kCqSize, cqLog2);
    setQpReg(q, kQpCtrl, prm::qpctrl::kEnable | (irqEnable ? prm::qpctrl::kIrqEnable : 0u));
    setQpReg(q, kCqHead, prm::kCqHeadArm);
  }

  void enableDevice() { setReg(prm::reg::kCtrl, prm::ctrl::kEnable); }

  prm::CmdResult command(uint16_t conn, uint8_t qp, prm::ConnOp op, uint32_t arg = 0) {
    setReg(prm::reg::kConnCmdArg, arg);
    setReg(prm::reg::kConnCmd, prm::encodeConnCmd(conn, qp, op));
    return prm::cmdResult(reg(prm::reg::kConnCmdStatus));
  }
  void offload(uint16_t conn, uint8_t qp) {
    ASSERT_EQ(command(conn, qp, prm::ConnOp::kOffload), prm::CmdResult::kOk);
  }

  // Standard bring-up: device enabled, queue pair 0 (and 1) ready.
  void bringUp() {
    enableDevice();
    for (unsigned q = 0; q < rings.size(); ++q) setUpQp(q);
  }

  // Writes one request into q's SQ (no doorbell).
  void write(unsigned q, const prm::Request& req) {
    Ring& r = rings[q];
    const uint64_t slot = r.sqTail & ((1u << r.sqLog2) - 1u);
    const auto bytes = prm::encodeRequest(req);
    dev.memory().write(r.sq + slot * prm::kSqEntryBytes, bytes.data(), bytes.size());
    ++r.sqTail;
  }
  void doorbell(unsigned q) { setQpReg(q, prm::reg::kSqTail, rings[q].sqTail); }
  void post(unsigned q, const prm::Request& req) {
    write(q, req);
    doorbell(q);
  }

  static prm::Request req(prm::Opcode op, uint16_t conn, uint32_t length, uint64_t tag,
                          uint8_t flags = 0) {
    prm::Request r;
    r.tag = tag;
    r.opcode = uint8_t(op);
    r.flags = flags;
    r.conn = conn;
    r.length = length;
    r.buffer = 0xB000'0000 + tag * 0x1000;
    return r;
  }
  void send(unsigned q, uint16_t conn, uint32_t len, uint64_t tag) {
    post(q, req(prm::Opcode::kSend, conn, len, tag));
  }
  void recv(unsigned q, uint16_t conn, uint32_t len, uint64_t tag, uint8_t flags = 0) {
    post(q, req(prm::Opcode::kRecv, conn, len, tag, flags));
  }

  // Posts sends (or receives) of these lengths on conn 1 of queue pair 0,
  // tagged 1, 2, ...; the device takes one step.
  void sends(const std::vector<uint32_t>& lengths) {
    uint64_t tag = 0;
    for (uint32_t length : lengths) send(0, 1, length, ++tag);
    dev.step();
  }
  void recvs(const std::vector<uint32_t>& lengths) {
    uint64_t tag = 0;
    for (uint32_t length : lengths) recv(0, 1, length, ++tag);
    dev.step();
  }

  void event(prm::EventType type, uint16_t conn, uint32_t bytes, uint8_t flags = 0) {
    dev.pushEvent(prm::Event{type, flags, conn, bytes});
  }
  // The peer acknowledges `bytes` on conn; the device takes one step.
  void ack(uint16_t conn, uint32_t bytes) {
    event(prm::EventType::kAck, conn, bytes);
    dev.step();
  }

  // Reads every valid descriptor of q's CQ by phase, advances the driver's
  // head and writes CQ_HEAD (without ARM).
  std::vector<prm::Completion> drain(unsigned q, bool writeHead = true) {
    Ring& r = rings[q];
    std::vector<prm::Completion> out;
    for (;;) {
      const uint64_t slot = r.cqHead & ((1u << r.cqLog2) - 1u);
      uint8_t raw[prm::kCqEntryBytes];
      dev.memory().read(r.cq + slot * prm::kCqEntryBytes, raw, sizeof raw);
      const prm::Completion c = prm::decodeCompletion(raw);
      if (c.phase != prm::phaseFor(r.cqHead, r.cqLog2)) break;
      out.push_back(c);
      ++r.cqHead;
    }
    if (writeHead) setQpReg(q, prm::reg::kCqHead, r.cqHead);
    return out;
  }
  void arm(unsigned q) { setQpReg(q, prm::reg::kCqHead, rings[q].cqHead | prm::kCqHeadArm); }

  std::vector<prm::Work> works() {
    std::vector<prm::Work> out;
    while (auto w = dev.popWork()) out.push_back(*w);
    return out;
  }

  BehaviouralDevice dev;
  std::vector<Ring> rings;
  std::vector<unsigned> irqs;
};

// Readable expectations on one completion.
inline void expectCpl(const prm::Completion& c, uint64_t tag, prm::CplType type,
                      prm::CplStatus status, uint32_t bytes, uint16_t conn) {
  EXPECT_EQ(c.tag, tag);
  EXPECT_EQ(c.type, type) << "tag " << tag;
  EXPECT_EQ(c.status, status) << "tag " << tag;
  EXPECT_EQ(c.bytes, bytes) << "tag " << tag;
  EXPECT_EQ(c.conn, conn) << "tag " << tag;
}

// What a test expects of one completion.
struct Cpl {
  uint64_t tag;
  prm::CplType type;
  prm::CplStatus status;
  uint32_t bytes;
  uint16_t conn;
};

// Passes when `got` holds exactly the completions `want`, in order; a failure
// lists what came and what was expected.
inline ::testing::AssertionResult cplsAre(const std::vector<prm::Completion>& got,
                                          const std::vector<Cpl>& want) {
  const auto same = [](const prm::Completion& c, const Cpl& e) {
    return c.tag == e.tag && c.type == e.type && c.status == e.status && c.bytes == e.bytes &&
           c.conn == e.conn;
  };
  bool ok = got.size() == want.size();
  for (std::size_t i = 0; ok && i < got.size(); ++i) ok = same(got[i], want[i]);
  if (ok) return ::testing::AssertionSuccess();
  ::testing::AssertionResult r = ::testing::AssertionFailure();
  r << got.size() << " completions, " << want.size() << " expected:";
  for (std::size_t i = 0; i < got.size() || i < want.size(); ++i) {
    r << "\n  [" << i << "]";
    if (i < got.size()) {
      const prm::Completion& c = got[i];
      r << " got {tag " << c.tag << ", type " << unsigned(c.type) << ", status "
        << unsigned(c.status) << ", bytes " << c.bytes << ", conn " << c.conn << "}";
    }
    if (i < want.size()) {
      const Cpl& e = want[i];
      r << " expected {tag " << e.tag << ", type " << unsigned(e.type) << ", status "
        << unsigned(e.status) << ", bytes " << e.bytes << ", conn " << e.conn << "}";
    }
  }
  return r;
}

}  // namespace chimney::test
