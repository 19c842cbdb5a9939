// The RTL's package (rtl/cpl_pkg.sv) must agree with the software side's
// layouts (prm/prm.h): its constants (parsed from the file; values on the C++
// side derived from prm.h's encoders where possible, bit positions found by
// encoding one field), and the layout functions the RTL builds and decodes
// its words with (driven through the Verilated probe prm_layout_probe.sv and
// compared with prm.h's encoders on many field values).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "Vprm_layout_probe.h"
#include "prm.h"
#include "verilated.h"

namespace {

// `localparam int NAME = <literal>;` with decimal or sized/unsized based
// literals (underscores allowed).
std::map<std::string, int64_t> parseDefs(const std::string& text) {
  static const std::regex line(
      R"(^\s*localparam\s+(?:int\s+(?:unsigned\s+)?|logic\s*\[[^\]]*\]\s*)?([A-Za-z_]\w*)\s*=\s*([0-9_]*'?[sS]?[hHdDbBoO]?[0-9a-fA-F_]+)\s*;)");
  std::map<std::string, int64_t> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) {
    std::smatch m;
    if (!std::regex_search(l, m, line)) continue;
    std::string lit = m[2].str();
    lit.erase(std::remove(lit.begin(), lit.end(), '_'), lit.end());
    int base = 10;
    const auto tick = lit.find('\'');
    if (tick != std::string::npos) {
      std::string rest = lit.substr(tick + 1);
      if (!rest.empty() && (rest[0] == 's' || rest[0] == 'S')) rest.erase(0, 1);
      const char b = char(std::tolower(rest[0]));
      base = b == 'h' ? 16 : b == 'b' ? 2 : b == 'o' ? 8 : 10;
      lit = rest.substr(1);
    }
    out[m[1].str()] = int64_t(std::stoull(lit, nullptr, base));
  }
  return out;
}

unsigned lsb(uint64_t v) {
  return unsigned(__builtin_ctzll(v));
}

// First byte of an encoded request that is non-zero.
unsigned requestByte(const prm::Request& r) {
  const auto b = prm::encodeRequest(r);
  for (unsigned i = 0; i < b.size(); ++i)
    if (b[i] != 0) return i;
  return 0xFFFF;
}

std::map<std::string, int64_t> expectedFromPrm() {
  using namespace prm;
  std::map<std::string, int64_t> e = {
      {"CPL_ID_VALUE", kIdValue},
      {"CPL_VERSION_VALUE", kVersionValue},
      {"REG_ID", reg::kId},
      {"REG_VERSION", reg::kVersion},
      {"REG_CAPS0", reg::kCaps0},
      {"REG_CAPS1", reg::kCaps1},
      {"REG_CTRL", reg::kCtrl},
      {"REG_ERR_STATUS", reg::kErrStatus},
      {"REG_ERR_INFO", reg::kErrInfo},
      {"REG_CONN_CMD", reg::kConnCmd},
      {"REG_CONN_CMD_ARG", reg::kConnCmdArg},
      {"REG_CONN_CMD_STATUS", reg::kConnCmdStatus},
      {"REG_CNT_REQ_FETCHED", reg::kCntReqFetched},
      {"REG_CNT_CPL_WRITTEN", reg::kCntCplWritten},
      {"REG_CNT_EVT", reg::kCntEvt},
      {"REG_CNT_IRQ", reg::kCntIrq},
      {"REG_CNT_PROTO_ERR", reg::kCntProtoErr},
      {"REG_CNT_DMA_ERR", reg::kCntDmaErr},
      {"REG_CNT_EVT_LATE", reg::kCntEvtLate},
      {"REG_QP_BASE", reg::kQpBase},
      {"REG_QP_STRIDE", reg::kQpStride},
      {"REG_SQ_BASE_LO", reg::kSqBaseLo},
      {"REG_SQ_BASE_HI", reg::kSqBaseHi},
      {"REG_SQ_SIZE", reg::kSqSize},
      {"REG_SQ_TAIL", reg::kSqTail},
      {"REG_SQ_HEAD", reg::kSqHead},
      {"REG_CQ_BASE_LO", reg::kCqBaseLo},
      {"REG_CQ_BASE_HI", reg::kCqBaseHi},
      {"REG_CQ_SIZE", reg::kCqSize},
      {"REG_CQ_HEAD", reg::kCqHead},
      {"REG_CQ_TAIL", reg::kCqTail},
      {"REG_IRQ_MOD_COUNT", reg::kIrqModCount},
      {"REG_IRQ_MOD_TIMER", reg::kIrqModTimer},
      {"REG_QP_CTRL", reg::kQpCtrl},
      {"REG_QP_STATUS", reg::kQpStatus},
      {"CTRL_ENABLE_BIT", lsb(ctrl::kEnable)},
      {"CTRL_SOFT_RESET_BIT", lsb(ctrl::kSoftReset)},
      {"ERR_DMA_RD_BIT", lsb(err::kDmaRd)},
      {"ERR_DMA_WR_BIT", lsb(err::kDmaWr)},
      {"ERR_PROTO_BIT", lsb(err::kProto)},
      {"ERR_DOORBELL_BIT", lsb(err::kDoorbell)},
      {"ERR_CMD_BIT", lsb(err::kCmd)},
      {"QP_CTRL_ENABLE_BIT", lsb(qpctrl::kEnable)},
      {"QP_CTRL_IRQ_ENABLE_BIT", lsb(qpctrl::kIrqEnable)},
      {"QP_STATUS_ENABLED_BIT", lsb(qpstatus::kEnabled)},
      {"QP_STATUS_HALTED_BIT", lsb(qpstatus::kHalted)},
      {"QP_STATUS_ARMED_BIT", lsb(qpstatus::kArmed)},
      {"QP_STATUS_BUSY_BIT", lsb(qpstatus::kBusy)},
      {"CQ_HEAD_ARM_BIT", lsb(kCqHeadArm)},
      {"RING_SIZE_MIN", 1},  // PRM 3: SQ_SIZE/CQ_SIZE log2 1..15
      {"RING_SIZE_MAX", 15},
      {"CMD_CONN_LSB", lsb(encodeConnCmd(1, 0, ConnOp(0)))},
      {"CMD_QP_LSB", lsb(encodeConnCmd(0, 1, ConnOp(0)))},
      {"CMD_OP_LSB", lsb(encodeConnCmd(0, 0, ConnOp(1)))},
      {"CMD_OP_OFFLOAD", int64_t(ConnOp::kOffload)},
      {"CMD_OP_TERMINATE", int64_t(ConnOp::kTerminate)},
      {"CMD_OP_RX_CONSUMED", int64_t(ConnOp::kRxConsumed)},
      {"CMD_STATUS_BUSY_BIT", cmdBusy(1) ? 0 : -1},
      {"CMD_STATUS_RESULT_LSB", cmdResult(1u << 4) == CmdResult(1) ? 4 : -1},
      {"CMD_OK", int64_t(CmdResult::kOk)},
      {"CMD_BAD_CONN", int64_t(CmdResult::kBadConn)},
      {"CMD_BAD_STATE", int64_t(CmdResult::kBadState)},
      {"CMD_BAD_QP", int64_t(CmdResult::kBadQp)},
      {"CMD_BAD_OP", int64_t(CmdResult::kBadOp)},
      {"CMD_BAD_ARG", int64_t(CmdResult::kBadArg)},
      {"SQ_ENTRY_BYTES", kSqEntryBytes},
      {"REQ_OPCODE_BYTE", requestByte(Request{0, 0xFF, 0, 0, 0, 0})},
      {"REQ_FLAGS_BYTE", requestByte(Request{0, 0, 0xFF, 0, 0, 0})},
      {"REQ_CONN_BYTE", requestByte(Request{0, 0, 0, 0xFFFF, 0, 0})},
      {"REQ_LENGTH_BYTE", requestByte(Request{0, 0, 0, 0, 0xFFFFFFFF, 0})},
      {"REQ_BUFFER_BYTE", requestByte(Request{0, 0, 0, 0, 0, ~0ull})},
      {"OP_SEND", int64_t(Opcode::kSend)},
      {"OP_RECV", int64_t(Opcode::kRecv)},
      {"OP_DISCONNECT", int64_t(Opcode::kDisconnect)},
      {"OP_FORWARD", int64_t(Opcode::kForward)},
      {"REQ_FLAG_ABORTIVE", reqflag::kAbortive},
      {"REQ_FLAG_NO_PUSH", reqflag::kNoPush},
      {"CQ_ENTRY_BYTES", kCqEntryBytes},
      {"CPL_TYPE_SEND", int64_t(CplType::kSend)},
      {"CPL_TYPE_RECV", int64_t(CplType::kRecv)},
      {"CPL_TYPE_DISCONNECT", int64_t(CplType::kDisconnect)},
      {"CPL_TYPE_FORWARD", int64_t(CplType::kForward)},
      {"CPL_TYPE_RX_INDICATE", int64_t(CplType::kRxIndicate)},
      {"CPL_TYPE_EVT_FIN", int64_t(CplType::kEvtFin)},
      {"CPL_TYPE_EVT_RST", int64_t(CplType::kEvtRst)},
      {"CPL_TYPE_TERMINATE_DONE", int64_t(CplType::kTerminateDone)},
      {"CPL_ST_SUCCESS", int64_t(CplStatus::kSuccess)},
      {"CPL_ST_ABORTED", int64_t(CplStatus::kAborted)},
      {"CPL_ST_UPLOAD", int64_t(CplStatus::kUpload)},
      {"CPL_ST_INVALID_STATE", int64_t(CplStatus::kInvalidState)},
      {"CPL_ST_INVALID_CONN", int64_t(CplStatus::kInvalidConn)},
      {"CPL_ST_INVALID_REQUEST", int64_t(CplStatus::kInvalidRequest)},
      {"CPL_ST_WRONG_QP", int64_t(CplStatus::kWrongQp)},
      {"WORK_TX_DATA", int64_t(WorkType::kTxData)},
      {"WORK_TX_FIN", int64_t(WorkType::kTxFin)},
      {"WORK_TX_RST", int64_t(WorkType::kTxRst)},
      {"WORK_FWD", int64_t(WorkType::kFwd)},
      {"WORK_RX_POST", int64_t(WorkType::kRxPost)},
      {"EVT_ACK", int64_t(EventType::kAck)},
      {"EVT_DATA", int64_t(EventType::kData)},
      {"EVT_FIN_ACK", int64_t(EventType::kFinAck)},
      {"EVT_RST", int64_t(EventType::kRst)},
      {"EVT_FIN", int64_t(EventType::kFin)},
      {"EVT_FWD_DONE", int64_t(EventType::kFwdDone)},
      {"EVT_FLAG_PUSH", evtflag::kPush},
  };
  Completion c;
  c.bytes = 1;
  c.type = CplType(0);
  e["CPL_BYTES_LSB"] = lsb(encodeCplWord1(c));
  c = Completion{};
  c.type = CplType(0);
  c.conn = 1;
  e["CPL_CONN_LSB"] = lsb(encodeCplWord1(c));
  c = Completion{};
  c.type = CplType(1);
  e["CPL_TYPE_LSB"] = lsb(encodeCplWord1(c));
  c = Completion{};
  c.type = CplType(0);
  c.status = CplStatus(1);
  e["CPL_STATUS_LSB"] = lsb(encodeCplWord1(c));
  c = Completion{};
  c.type = CplType(0);
  c.phase = true;
  e["CPL_PHASE_BIT"] = lsb(encodeCplWord1(c));
  e["WORK_TYPE_LSB"] = lsb(encodeWork(Work{WorkType(1), 0, 0}));
  e["WORK_CONN_LSB"] = lsb(encodeWork(Work{WorkType(0), 1, 0}));
  e["WORK_BYTES_LSB"] = lsb(encodeWork(Work{WorkType(0), 0, 1}));
  e["EVT_TYPE_LSB"] = lsb(encodeEvent(Event{EventType(1), 0, 0, 0}));
  e["EVT_FLAGS_LSB"] = lsb(encodeEvent(Event{EventType(0), 1, 0, 0}));
  e["EVT_CONN_LSB"] = lsb(encodeEvent(Event{EventType(0), 0, 1, 0}));
  e["EVT_BYTES_LSB"] = lsb(encodeEvent(Event{EventType(0), 0, 0, 1}));
  return e;
}

// Mismatches between the parsed file and the expectation: constants with a
// different value, expected constants missing, and constants in the file
// that prm.h has no counterpart for.
std::vector<std::string> compare(const std::map<std::string, int64_t>& defs,
                                 const std::map<std::string, int64_t>& expected) {
  std::vector<std::string> out;
  for (const auto& [name, value] : expected) {
    auto it = defs.find(name);
    if (it == defs.end())
      out.push_back(name + " missing from cpl_pkg.sv");
    else if (it->second != value)
      out.push_back(name + " = " + std::to_string(it->second) + ", prm.h says " +
                    std::to_string(value));
  }
  for (const auto& [name, value] : defs)
    if (expected.count(name) == 0) out.push_back(name + " has no counterpart in prm.h");
  return out;
}

std::string readFile(const char* path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

TEST(PrmLayout, ParserReadsEveryLiteralForm) {
  const auto d = parseDefs(
      "localparam int A = 12;\n"
      "  localparam int B = 16'h00_1C;  // comment\n"
      "localparam int C = 32'h4350_4C45;\n"
      "localparam int D = 'd7;\n"
      "// localparam int E = 3;\n"
      "localparam int F = 4'b1010;\n");
  EXPECT_EQ(d.size(), 5u);
  EXPECT_EQ(d.at("A"), 12);
  EXPECT_EQ(d.at("B"), 0x1C);
  EXPECT_EQ(d.at("C"), 0x43504C45);
  EXPECT_EQ(d.at("D"), 7);
  EXPECT_EQ(d.at("F"), 10);
}

TEST(PrmLayout, ComparisonCatchesWrongMissingAndUnknownConstants) {
  const auto d = parseDefs(
      "localparam int CPL_TYPE_SEND = 2;\n"
      "localparam int CPL_TYPE_ODD = 5;\n");
  const auto mismatches = compare(d, {{"CPL_TYPE_SEND", 1}, {"CPL_TYPE_RECV", 2}});
  EXPECT_EQ(mismatches.size(), 3u) << join(mismatches);
}

TEST(PrmLayout, RtlConstantsEqualPrmHeader) {
  const std::string text = readFile(CPL_PKG_SV);
  ASSERT_FALSE(text.empty()) << "cannot read " << CPL_PKG_SV;
  const auto defs = parseDefs(text);
  const auto mismatches = compare(defs, expectedFromPrm());
  EXPECT_TRUE(mismatches.empty()) << join(mismatches);
  EXPECT_GE(defs.size(), 100u);
}

// Field values to try: zero, all ones, single bits and a deterministic
// pseudo-random spread.
std::vector<uint64_t> samples(unsigned bits) {
  const uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
  std::vector<uint64_t> v = {0, mask};
  for (unsigned b = 0; b < bits; ++b) v.push_back(1ull << b);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 64; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v.push_back(x & mask);
  }
  return v;
}

class PrmLayoutProbe : public ::testing::Test {
 protected:
  VerilatedContext ctx;
  Vprm_layout_probe probe{&ctx};
};

TEST_F(PrmLayoutProbe, WorkWordEqualsPrmEncoder) {
  for (uint64_t v : samples(32)) {
    const prm::Work w{prm::WorkType(v & 0xF), uint16_t(v >> 3), uint32_t(v * 0x10001)};
    probe.work_type = uint8_t(w.type);
    probe.work_conn = w.conn;
    probe.work_bytes = w.bytes;
    probe.eval();
    ASSERT_EQ(probe.work_word, prm::encodeWork(w)) << "value " << v;
  }
}

TEST_F(PrmLayoutProbe, CompletionWordEqualsPrmEncoder) {
  for (uint64_t v : samples(64)) {
    prm::Completion c;
    c.bytes = uint32_t(v);
    c.conn = uint16_t(v >> 32);
    c.type = prm::CplType((v >> 48) & 0xF);
    c.status = prm::CplStatus((v >> 52) & 0x7);
    c.phase = ((v >> 63) & 1) != 0;
    probe.desc_conn = c.conn;
    probe.desc_type = uint8_t(c.type);
    probe.desc_status = uint8_t(c.status);
    probe.desc_bytes = c.bytes;
    probe.desc_phase = c.phase;
    probe.eval();
    ASSERT_EQ(probe.cpl_word1, prm::encodeCplWord1(c)) << "value " << v;
    ASSERT_EQ(probe.desc_engine != 0, uint8_t(c.type) >= uint8_t(prm::CplType::kRxIndicate));
  }
}

TEST_F(PrmLayoutProbe, EventFieldsEqualPrmDecoder) {
  for (uint64_t v : samples(64)) {
    probe.evt_word = v;
    probe.eval();
    const prm::Event e = prm::decodeEvent(v);
    ASSERT_EQ(probe.evt_type, uint8_t(e.type)) << "word " << v;
    ASSERT_EQ(probe.evt_flags, e.flags) << "word " << v;
    ASSERT_EQ(probe.evt_conn, e.conn) << "word " << v;
    ASSERT_EQ(probe.evt_bytes, e.bytes) << "word " << v;
  }
}

TEST_F(PrmLayoutProbe, RequestFieldsEqualPrmEncoder) {
  for (uint64_t v : samples(64)) {
    prm::Request r;
    r.tag = ~v;
    r.opcode = uint8_t(v);
    r.flags = uint8_t(v >> 8);
    r.conn = uint16_t(v >> 16);
    r.length = uint32_t(v >> 32);
    r.buffer = v * 3;
    const auto bytes = prm::encodeRequest(r);
    uint64_t beat1 = 0;  // the second 64-bit beat of the entry, little endian
    for (int i = 7; i >= 0; --i) beat1 = (beat1 << 8) | bytes[8 + unsigned(i)];
    probe.req_word1 = beat1;
    probe.eval();
    ASSERT_EQ(probe.req_opcode, r.opcode) << "value " << v;
    ASSERT_EQ(probe.req_flags, r.flags) << "value " << v;
    ASSERT_EQ(probe.req_conn, r.conn) << "value " << v;
    ASSERT_EQ(probe.req_length, r.length) << "value " << v;
  }
}

TEST_F(PrmLayoutProbe, ConnCmdFieldsEqualPrmEncoder) {
  for (uint64_t v : samples(28)) {
    const uint16_t conn = uint16_t(v);
    const uint8_t qp = uint8_t(v >> 16);
    const auto op = prm::ConnOp((v >> 24) & 0xF);
    probe.cmd_word = prm::encodeConnCmd(conn, qp, op);
    probe.eval();
    ASSERT_EQ(probe.cmd_conn, conn) << "value " << v;
    ASSERT_EQ(probe.cmd_qp, qp) << "value " << v;
    ASSERT_EQ(probe.cmd_op, uint8_t(op)) << "value " << v;
  }
}

}  // namespace
