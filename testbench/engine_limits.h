// Parameters of the Verilated cpl_engine configuration the testbench links
// (rtl/CMakeLists.txt verilates the defaults of PRM section 2). The command
// line validates against them before anything is built; the top checks them
// against CAPS0/CAPS1 when it starts, so a change of the RTL configuration
// cannot go unnoticed.
#pragma once

namespace chimney::tb {

constexpr unsigned kNumConn = 64;
constexpr unsigned kNumQp = 4;
constexpr unsigned kReqSlots = 256;
constexpr unsigned kMaxImLayers = 8;
constexpr unsigned kMinRingLog2 = 1;  // PRM: SQ_SIZE / CQ_SIZE 1..15
constexpr unsigned kMaxRingLog2 = 15;
constexpr unsigned kMaxOps = 1000000;

}  // namespace chimney::tb
