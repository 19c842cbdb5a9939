#include "svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "reports.h"

namespace chimney::regress {

namespace {

constexpr double kWidth = 640, kHeight = 260;
constexpr double kLeft = 60, kRight = 16, kTop = 28, kBottom = 48;
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

std::string num(double v) {
  char buf[32];
  if (std::fabs(v) >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  } else if (v == std::floor(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

std::string coord(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A round step giving about `ticks` ticks over [0, max].
double niceStep(double max, int ticks) {
  if (max <= 0) return 1;
  const double raw = max / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * mag) return m * mag;
  }
  return 10 * mag;
}

void frame(std::ostringstream& s, const std::string& title, const std::string& xLabel,
           const std::string& yLabel, double yMax) {
  s << "<svg width=\"" << kWidth << "\" height=\"" << kHeight << "\" viewBox=\"0 0 " << kWidth
    << " " << kHeight << "\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n";
  s << "<title>" << escapeXml(title) << "</title>\n";
  s << "<text x=\"" << kWidth / 2 << "\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">"
    << escapeXml(title) << "</text>\n";
  const double plotH = kHeight - kTop - kBottom;
  const double step = niceStep(yMax, 4);
  for (double y = 0; y <= yMax * 1.0001 && step > 0; y += step) {
    const double py = kTop + plotH - (yMax > 0 ? y / yMax : 0) * plotH;
    s << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << coord(py)
      << "\" y2=\"" << coord(py) << "\" stroke=\"#ddd\"/>"
      << "<text x=\"" << kLeft - 4 << "\" y=\"" << coord(py + 4) << "\" text-anchor=\"end\">"
      << num(y) << "</text>\n";
  }
  s << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft << "\" y1=\"" << kTop << "\" y2=\""
    << kTop + plotH << "\" stroke=\"#333\"/>"
    << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << kTop + plotH
    << "\" y2=\"" << kTop + plotH << "\" stroke=\"#333\"/>\n";
  s << "<text x=\"" << kWidth / 2 << "\" y=\"" << kHeight - 6 << "\" text-anchor=\"middle\">"
    << escapeXml(xLabel) << "</text>\n";
  s << "<text x=\"12\" y=\"" << kTop + plotH / 2
    << "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " << kTop + plotH / 2 << ")\">"
    << escapeXml(yLabel) << "</text>\n";
}

}  // namespace

std::string barChart(const std::string& title, const std::vector<Bar>& bars,
                     const std::string& xLabel, const std::string& yLabel) {
  std::ostringstream s;
  double yMax = 0;
  for (const Bar& b : bars) yMax = std::max(yMax, b.value);
  yMax = yMax > 0 ? niceStep(yMax, 4) * std::ceil(yMax / niceStep(yMax, 4)) : 1;
  frame(s, title, xLabel, yLabel, yMax);
  const double plotW = kWidth - kLeft - kRight, plotH = kHeight - kTop - kBottom;
  const double w = bars.empty() ? 0 : plotW / double(bars.size());
  const std::size_t labelEvery = std::max<std::size_t>(1, bars.size() / 8);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double h = bars[i].value / yMax * plotH;
    const double x = kLeft + double(i) * w;
    s << "<rect x=\"" << coord(x + w * 0.1) << "\" y=\"" << coord(kTop + plotH - h) << "\" width=\""
      << coord(std::max(w * 0.8, 0.5)) << "\" height=\"" << coord(h) << "\" fill=\"" << kColours[0]
      << "\"><title>" << escapeXml(bars[i].tip) << "</title></rect>\n";
    if (!bars[i].label.empty() && i % labelEvery == 0) {
      s << "<text x=\"" << coord(x + w / 2) << "\" y=\"" << coord(kTop + plotH + 14)
        << "\" text-anchor=\"middle\">" << escapeXml(bars[i].label) << "</text>\n";
    }
  }
  s << "</svg>\n";
  return s.str();
}

std::string lineChart(const std::string& title, const std::vector<Line>& lines,
                      const std::string& xLabel, const std::string& yLabel, bool steps) {
  std::ostringstream s;
  double xMax = 0, yMax = 0;
  for (const Line& l : lines) {
    for (const auto& [x, y] : l.points) {
      xMax = std::max(xMax, x);
      yMax = std::max(yMax, y);
    }
  }
  yMax = yMax > 0 ? niceStep(yMax, 4) * std::ceil(yMax / niceStep(yMax, 4)) : 1;
  if (xMax <= 0) xMax = 1;
  frame(s, title, xLabel, yLabel, yMax);
  const double plotW = kWidth - kLeft - kRight, plotH = kHeight - kTop - kBottom;
  const double xStep = niceStep(xMax, 5);
  for (double x = 0; x <= xMax * 1.0001; x += xStep) {
    s << "<text x=\"" << coord(kLeft + x / xMax * plotW) << "\" y=\"" << coord(kTop + plotH + 14)
      << "\" text-anchor=\"middle\">" << num(x) << "</text>\n";
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const char* colour = kColours[i % (sizeof kColours / sizeof kColours[0])];
    s << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
    double lastY = 0;
    bool first = true;
    for (const auto& [x, y] : lines[i].points) {
      const double px = kLeft + x / xMax * plotW, py = kTop + plotH - y / yMax * plotH;
      if (steps && !first) s << coord(px) << "," << coord(lastY) << " ";
      s << coord(px) << "," << coord(py) << " ";
      lastY = py;
      first = false;
    }
    s << "\"><title>" << escapeXml(lines[i].name) << "</title></polyline>\n";
    s << "<rect x=\"" << kWidth - kRight - 220 << "\" y=\"" << kTop + 4 + 14 * double(i)
      << "\" width=\"10\" height=\"10\" fill=\"" << colour << "\"/><text x=\""
      << kWidth - kRight - 206 << "\" y=\"" << kTop + 13 + 14 * double(i) << "\">"
      << escapeXml(lines[i].name) << "</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace chimney::regress
