// What the RTL library an executable links was built with. The test sources
// are compiled once for every configuration (tests/rtl/CMakeLists.txt);
// only rtl_build_params.cpp is compiled per configuration. Tests read the
// engine's limits from CAPS; only the CAPS test itself compares them with
// these, and the random suites take their seed count from here.
#pragma once

namespace chimney::rtltest {

struct BuildParams {
  const char* config;  // "default", "small", "max"
  unsigned numConn, numQp, reqSlots;
  unsigned seeds;  // seeds of the random and differential suites
};

const BuildParams& builtWith();

}  // namespace chimney::rtltest
