// Small inline-SVG charts for the HTML report: bars over bins and lines
// over time. Fixed size, axes with a few labelled ticks, no script.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chimney::regress {

struct Bar {
  std::string label;  // under the bar (may be empty)
  double value = 0;
  std::string tip;  // <title> of the bar
};

struct Line {
  std::string name;
  std::vector<std::pair<double, double>> points;  // x ascending
};

std::string barChart(const std::string& title, const std::vector<Bar>& bars,
                     const std::string& xLabel, const std::string& yLabel);
std::string lineChart(const std::string& title, const std::vector<Line>& lines,
                      const std::string& xLabel, const std::string& yLabel, bool steps);

}  // namespace chimney::regress
