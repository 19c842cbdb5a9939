// The faults chimney-cosim can inject (--inject NAME, repeatable): every
// fault knob of the IM driver, the offload target and the devices, each with
// the first thing it is expected to produce (tests/testbench/ asserts each).
// Plain C++: the registry only; the bench applies a fault after bring-up
// (Bench::injectFaults).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace chimney::tb {

struct FaultInfo {
  std::string name;         // "im.leak-call-entries", ...
  std::string description;  // one line
  std::string firstEffect;  // what the run reports first
  bool needsIm = false;     // acts on im0 (needs --im-layers >= 1)
  bool needsRtl = false;    // shows only with --device rtl
};

const std::vector<FaultInfo>& faultRegistry();
const FaultInfo* findFault(const std::string& name);
std::string faultNames();  // "a, b, c"
// One line per fault: name, description, first effect.
void listFaultsTo(std::ostream& out);

}  // namespace chimney::tb
