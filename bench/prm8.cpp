#include "prm8.h"

namespace chimney::bench {

std::string prm8Figures(std::vector<CycleFigure>& figures) {
  figures.clear();
  return "not measured: the RTL harness has no throughput routines yet";
}

}  // namespace chimney::bench
