#include "port_recorder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "Vcpl_engine.h"
#include "engine_model.h"

namespace chimney::bench {
namespace {

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "." + std::to_string(::testing::UnitTest::GetInstance()->random_seed())))
      .string();
}

std::string firstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(PortRecorder, LineHoldsInputsThenOutputsAtTheirWidths) {
  const std::string path = tempPath("recorder-widths");
  EngineModel model;
  model.reset();
  {
    PortRecorder rec(path);
    rec.record(model.io());
  }
  const std::string line = firstLine(path);
  const size_t space = line.find(' ');
  ASSERT_NE(space, std::string::npos);
  EXPECT_EQ(space, (inputBits() + 3) / 4);
  EXPECT_EQ(line.size() - space - 1, (outputBits() + 3) / 4);
  std::filesystem::remove(path);
}

TEST(PortRecorder, LastInputPortIsTheLeastSignificantBits) {
  // m_irq_ready (1 bit) is last, s_evt_data (64 bits) just above it.
  const std::string path = tempPath("recorder-order");
  EngineModel model;
  model.io().s_evt_data = 0x0123456789ABCDEFull;
  model.io().m_irq_ready = 1;
  {
    PortRecorder rec(path);
    rec.record(model.io());
  }
  const std::string line = firstLine(path);
  const std::string inputs = line.substr(0, line.find(' '));
  // The low 68 bits: s_evt_valid(0) s_evt_data m_irq_ready(1) = 0x0_2468ACF1_3579BDF (<<1 | 1).
  const unsigned __int128 low = (static_cast<unsigned __int128>(0x0123456789ABCDEFull) << 1) | 1u;
  char expected[32];
  std::snprintf(expected, sizeof expected, "%01x%016llx", unsigned(uint64_t(low >> 64) & 0xF),
                static_cast<unsigned long long>(uint64_t(low)));
  EXPECT_EQ(inputs.substr(inputs.size() - 17), std::string(expected));
  std::filesystem::remove(path);
}

TEST(PortRecorder, FieldTablesAddUpToTheDeclaredWidths) {
  unsigned in = 0, out = 0;
  for (const PortField& f : inputPorts()) in += f.width;
  for (const PortField& f : outputPorts()) out += f.width;
  EXPECT_EQ(in, inputBits());
  EXPECT_EQ(out, outputBits());
  EXPECT_STREQ(inputPorts().front().name, "rst");
}

}  // namespace
}  // namespace chimney::bench
