// The port log of EngineModel (cosim/port_log.h) and its bare replay: a
// recorded run replays with the same outputs in every cycle, an altered
// digest is counted as a mismatch, a file that is not a port log is refused.
#include "port_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vcpl_engine.h"
#include "engine_model.h"
#include "prm.h"

namespace chimney {
namespace {

std::string tempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + name + "-" + std::to_string(::getpid());
}

// Records a short run: reset, then CSR reads of ID and CAPS0, back to back.
uint64_t recordRun(const std::string& path) {
  EngineModel::Config config;
  config.portLog = path;
  EngineModel m(config);
  m.reset(4);
  uint64_t ticks = 4;
  for (uint16_t addr : {prm::reg::kId, prm::reg::kCaps0, prm::reg::kVersion}) {
    Vcpl_engine& io = m.io();
    io.s_axil_araddr = addr;
    io.s_axil_arvalid = 1;
    io.s_axil_rready = 1;
    for (int i = 0; i < 6; ++i) {
      m.settle();
      const bool accepted = io.s_axil_arready;
      m.tick();
      ++ticks;
      if (accepted) io.s_axil_arvalid = 0;
    }
  }
  return ticks;
}

TEST(PortLog, RecordedRunReplaysWithTheSameOutputsInEveryCycle) {
  const std::string path = tempPath("ports-ok");
  const uint64_t ticks = recordRun(path);
  const ReplayResult r = replayPortLog(path, true);
  EXPECT_EQ(r.cycles, ticks);
  EXPECT_EQ(r.mismatches, 0u);
  std::remove(path.c_str());
}

TEST(PortLog, AnAlteredOutputDigestIsAMismatch) {
  const std::string path = tempPath("ports-bad");
  recordRun(path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    // Frame 10's digest: bytes 16..23 of the frame, after a 16-byte header.
    f.seekp(16 + 10 * std::streamoff(PortLog::kFrameBytes) + 16);
    const char junk = 0x5A;
    f.write(&junk, 1);
  }
  EXPECT_EQ(replayPortLog(path, true).mismatches, 1u);
  EXPECT_EQ(replayPortLog(path, false).mismatches, 0u) << "unverified replays compare nothing";
  std::remove(path.c_str());
}

TEST(PortLog, ReplayInPassesRunsTheWholeFileEachTime) {
  const std::string path = tempPath("ports-passes");
  const uint64_t ticks = recordRun(path);
  const ReplayResult r = replayPortLog(path, false, 0.01);
  EXPECT_GE(r.cycles, ticks);
  EXPECT_EQ(r.cycles % ticks, 0u);
  std::remove(path.c_str());
}

TEST(PortLog, AFileThatIsNotAPortLogIsRefused) {
  const std::string path = tempPath("not-ports");
  std::ofstream(path) << "hello\n";
  EXPECT_THROW(replayPortLog(path, false), std::runtime_error);
  std::remove(path.c_str());
  EXPECT_THROW(replayPortLog(path, false), std::runtime_error);  // missing
}

}  // namespace
}  // namespace chimney
