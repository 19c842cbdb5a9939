// RunRecorder: records that come out of cycle order (the engine's, stamped
// ahead of the driver side's) are written in cycle order once the settled
// clock has passed them.
#include "run_recorder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace chimney::tb {
namespace {

// One file per test: ctest runs the tests of this file side by side, each in
// its own process, and a shared name let one test read another's lines.
struct TxlogFile {
  TxlogFile()
      : path(::testing::TempDir() + "run_recorder_test." +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl") {}
  ~TxlogFile() { std::remove(path.c_str()); }
  // (cycle, kind) of each line written so far.
  std::vector<std::pair<uint64_t, std::string>> lines() const {
    std::vector<std::pair<uint64_t, std::string>> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      const nlohmann::json j = nlohmann::json::parse(line);
      out.emplace_back(j.at("cycle").get<uint64_t>(), j.at("kind").get<std::string>());
    }
    return out;
  }
  std::string path;
};

using Lines = std::vector<std::pair<uint64_t, std::string>>;

TEST(RunRecorder, HeldRecordsAreWrittenInCycleOrderOnceSettled) {
  TxlogFile file;
  uint64_t settled = 10;
  RunRecorder rec(file.path, "", 4000);
  rec.setSettledClock([&] { return settled; });
  rec.record(14, "engine_a", {}, "qp 0");  // ahead of the driver side
  rec.record(12, "engine_b", {}, "qp 0");
  rec.record(10, "driver_a", {}, "host");
  rec.record(12, "driver_b", {}, "host");  // same cycle as engine_b, came later
  settled = 13;
  rec.record(13, "driver_c", {}, "host");  // writes what is before cycle 13
  ASSERT_TRUE(rec.finish());
  EXPECT_EQ(file.lines(), (Lines{{10, "driver_a"},
                                 {12, "engine_b"},
                                 {12, "driver_b"},
                                 {13, "driver_c"},
                                 {14, "engine_a"}}));
  EXPECT_EQ(rec.records(), 5u);
}

TEST(RunRecorder, NothingIsWrittenBeforeTheSettledClockPassesIt) {
  TxlogFile file;
  uint64_t settled = 0;
  RunRecorder rec(file.path, "", 4000);
  rec.setSettledClock([&] { return settled; });
  rec.record(5, "a", {}, "host");
  EXPECT_EQ(rec.held(), 1u);
  settled = 6;
  rec.record(7, "b", {}, "host");
  EXPECT_EQ(rec.held(), 1u);  // a written, b held
  rec.record(6, "c", {}, "host");
  EXPECT_EQ(rec.held(), 2u);
  ASSERT_TRUE(rec.finish());
  EXPECT_EQ(rec.held(), 0u);
  EXPECT_EQ(file.lines(), (Lines{{5, "a"}, {6, "c"}, {7, "b"}}));
}

TEST(RunRecorder, WithoutASettledClockRecordsAreWrittenAsTheyCome) {
  TxlogFile file;
  RunRecorder rec(file.path, "", 4000);
  rec.record(9, "a", {}, "host");
  rec.record(3, "b", {}, "host");
  ASSERT_TRUE(rec.finish());
  EXPECT_EQ(file.lines(), (Lines{{9, "a"}, {3, "b"}}));
}

}  // namespace
}  // namespace chimney::tb
