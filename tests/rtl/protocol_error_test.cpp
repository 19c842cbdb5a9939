// PRM 6/7 protocol errors: every event the rules forbid is dropped and
// counted (CNT_PROTO_ERR, ERR_STATUS.PROTO_ERR, ERR_INFO.conn, the error
// interrupt), the connection goes on working; and an error that arrives in
// the very cycle the driver clears ERR_STATUS still raises the interrupt.
#include "rtl_fixture.h"

namespace chimney::rtltest {
namespace {

using namespace prm::reg;

class ProtocolErrors : public RtlTest {
 protected:
  uint16_t testConn() { return conn(5); }
  static constexpr uint8_t kNoSuchEventType = 15;

  // Pushes `e`, waits for it to be taken and processed, and checks that
  // exactly one protocol error was counted for `conn`, with its interrupt.
  void expectProtoError(uint64_t raw, uint16_t conn, const char* what) {
    SCOPED_TRACE(what);
    const uint32_t before = reg(kCntProtoErr);
    const size_t irqsBefore = bench_.irq().count(errorVector());
    bench_.events().pushRaw(raw);
    flushEvents();
    bench_.run(50);
    EXPECT_EQ(reg(kCntProtoErr), before + 1);
    EXPECT_EQ(reg(kErrStatus) & prm::err::kProto, prm::err::kProto);
    EXPECT_EQ(reg(kErrInfo) >> 16, conn);
    EXPECT_EQ(bench_.irq().count(errorVector()), irqsBefore + 1);
    bench_.writeReg(kErrStatus, prm::err::kProto);
    EXPECT_EQ(reg(kErrStatus), 0u);
  }
  uint64_t raw(prm::EventType type, uint16_t conn, uint32_t bytes = 0, uint8_t flags = 0) {
    return prm::encodeEvent(evt(type, conn, bytes, flags));
  }
};

TEST_F(ProtocolErrors, EveryForbiddenEventIsDroppedCountedAndSignalled) {
  QueuePair& p = offloaded(testConn());
  expectProtoError(raw(EventType::kAck, 0xFFFF, 1), 0xFFFF, "connection beyond the table");
  expectProtoError(raw(EventType::kAck, testConn(), 100), testConn(),
                   "ACK with no SEND outstanding");
  expectProtoError(raw(EventType::kFinAck, testConn()), testConn(), "FIN_ACK with no FIN sent");
  expectProtoError(raw(EventType::kFwdDone, testConn()), testConn(), "FWD_DONE with no FORWARD");
  expectProtoError(raw(EventType(kNoSuchEventType), testConn()), testConn(), "unknown event type");
  push(evt(EventType::kFin, testConn()));
  flushEvents();
  const std::vector<prm::Completion> fin = p.wait(1);  // the engine's FIN descriptor
  ASSERT_EQ(fin.size(), 1u);
  EXPECT_EQ(fin[0].type, CplType::kEvtFin);
  expectProtoError(raw(EventType::kFin, testConn()), testConn(), "second FIN");
  expectProtoError(raw(EventType::kData, testConn(), 10, prm::evtflag::kPush), testConn(),
                   "DATA after FIN");
  EXPECT_EQ(reg(kCntProtoErr), 7u);
  // The connection still works: a send completes on its ACK.
  p.post(sendReq(1, testConn(), 300));
  p.ring();
  waitWork(testConn(), 1);
  push(evt(EventType::kAck, testConn(), 300));
  EXPECT_TRUE(areCpls(p.wait(1), {{1, CplType::kSend, CplStatus::kSuccess, 300, testConn()}}));
  EXPECT_EQ(reg(kCntProtoErr), 7u);
}

// The driver acknowledges ERR_STATUS.PROTO_ERR while another protocol error
// arrives; at every offset between the two, either the clear came last (the
// bit reads 0) or an error interrupt was sent after the clear was accepted.
TEST_F(ProtocolErrors, ErrorArrivingWhileTheDriverClearsItIsSignalled) {
  offloaded(testConn());
  for (unsigned offset = 0; offset < 24; ++offset) {
    SCOPED_TRACE("offset " + std::to_string(offset));
    bench_.events().pushRaw(raw(EventType::kFwdDone, testConn()));
    flushEvents();
    bench_.run(20);
    ASSERT_EQ(reg(kErrStatus) & prm::err::kProto, prm::err::kProto);
    // Start the clear, and the next bad event `offset` cycles into it.
    bench_.csr().startWrite(kErrStatus, prm::err::kProto, 0xF);
    for (unsigned c = 0; c < offset && bench_.csr().busy(); ++c) bench_.step();
    bench_.events().pushRaw(raw(EventType::kFwdDone, testConn()));
    bench_.runUntil([&] { return !bench_.csr().busy(); }, 200, "ERR_STATUS clear");
    const uint64_t cleared = bench_.csr().requestCycle();
    flushEvents();
    bench_.run(40);
    bool irqAfterClear = false;
    for (const IrqMessage& m : bench_.irq().messages())
      if (m.vector == errorVector() && m.cycle >= cleared) irqAfterClear = true;
    const bool set = (reg(kErrStatus) & prm::err::kProto) != 0;
    EXPECT_TRUE(!set || irqAfterClear) << "PROTO_ERR set with no error interrupt after the clear";
    bench_.writeReg(kErrStatus, prm::err::kProto);
    bench_.irq().clear();
  }
}

}  // namespace
}  // namespace chimney::rtltest
