// The three-tool check made dynamic: a short recording of the Verilated RTL
// replayed under Icarus Verilog must match cycle by cycle, and the replay's
// comparison must catch a recording that differs.
#include "icarus_replay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "port_recorder.h"
#include "rtl_workload.h"

namespace chimney::bench {
namespace {

constexpr double kReplayTimeoutSeconds = 120;  // the recording takes seconds

class IcarusReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(BENCH_IVERILOG).empty() || std::string(BENCH_VVP).empty())
      GTEST_SKIP() << "Icarus Verilog is not installed";
    dir_ =
        std::filesystem::temp_directory_path() / ("chimney-replay-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    vvpFile_ = (dir_ / "replay.vvp").string();
    const ReplayOutcome compiled = compileReplay(BENCH_IVERILOG, CHIMNEY_SOURCE_DIR, vvpFile_);
    ASSERT_TRUE(compiled.ok) << compiled.error << "\n" << compiled.output;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Records the RTL-only workload with `ops` sends; returns its cycles.
  uint64_t record(const std::string& path, unsigned ops) {
    RtlWorkloadConfig config;
    config.ops = ops;
    config.recordFile = path;
    const RtlWorkloadResult r = runRtlWorkload(config);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.recordedCycles, r.cycles);
    return r.recordedCycles;
  }

  ReplayOutcome replay(const std::string& recording) {
    return runReplay(BENCH_VVP, vvpFile_, recording, (dir_ / "vvp.log").string(),
                     kReplayTimeoutSeconds);
  }

  std::filesystem::path dir_;
  std::string vvpFile_;
};

TEST_F(IcarusReplay, RecordedRtlRunReplaysWithoutMismatch) {
  const std::string rec = (dir_ / "ports.txt").string();
  const uint64_t cycles = record(rec, 4);

  const ReplayOutcome r = replay(rec);

  ASSERT_TRUE(r.ok) << r.error << "\n" << r.output;
  EXPECT_EQ(r.cycles, cycles);
  EXPECT_EQ(r.mismatches, 0u) << r.output;
}

TEST_F(IcarusReplay, AlteredRecordedOutputIsReportedAsMismatch) {
  const std::string rec = (dir_ / "ports.txt").string();
  record(rec, 4);
  std::vector<std::string> lines;
  {
    std::ifstream in(rec);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  ASSERT_GT(lines.size(), 40u);
  // s_axil_awready is the most significant output bit and compared every
  // cycle: flip it in one line.
  std::string& line = lines[40];
  const size_t out = line.find(' ') + 1;
  const unsigned lead = (outputBits() - 1) % 4;  // bit of awready in the first digit
  unsigned digit = unsigned(std::stoul(line.substr(out, 1), nullptr, 16)) ^ (1u << lead);
  line[out] = "0123456789abcdef"[digit];
  const std::string altered = (dir_ / "altered.txt").string();
  {
    std::ofstream o(altered);
    for (const std::string& l : lines) o << l << "\n";
  }

  const ReplayOutcome r = replay(altered);

  ASSERT_TRUE(r.ok) << r.error << "\n" << r.output;
  EXPECT_EQ(r.mismatches, 1u) << r.output;
  EXPECT_NE(r.output.find("s_axil_awready"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace chimney::bench
