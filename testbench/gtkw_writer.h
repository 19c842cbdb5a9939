// A GTKWave save file (.gtkw) for a trace of the engine, and the translate
// filter that shows tag values as the operations they carry.
//
// The save file groups the engine's signals by interface (clock and reset,
// AXI-Lite registers, DMA AW/W/B, DMA AR/R, work, event, irq) and gives one
// group per block with its registers; puts the primary marker at the first
// violation and named markers (A, B, ...) at later ones; starts the view at
// the traced window. The data buses and the tag signals are shown through
// the filter file, so a tag reads "nbl#12 send conn 3".
//
// Time in the trace: picoseconds; cycle c is dumped at c x period (clock
// low) and c x period + period/2 (after its rising edge), so cycle =
// floor(time / period). Plain C++: the list of signals comes from the FST.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace chimney::tb {

struct WaveSignal {
  std::string name;  // full hierarchical name, no bit range
  uint32_t width = 0;
};

struct GtkwView {
  std::string dumpFile;    // the FST
  std::string filterFile;  // the translate filter ("" : none)
  uint64_t fromCycle = 0, toCycle = 0;
  uint32_t periodPs = 4000;
  std::vector<uint64_t> markerCycles;  // violations, earliest first
};

// The signals the save file lists, in order, grouped: (group, signals).
std::vector<std::pair<std::string, std::vector<WaveSignal>>> gtkwGroups(
    const std::vector<WaveSignal>& all);
// True for the signals shown through the tag filter.
bool carriesTags(const WaveSignal& s);

// The save file's text.
std::string gtkwText(const GtkwView& view, const std::vector<WaveSignal>& all);
// The filter's text: one line per tag value ("<hex> <label>").
std::string tagFilterText(const std::map<uint64_t, std::string>& tagNames);

}  // namespace chimney::tb
