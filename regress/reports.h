// The outputs of a regression: JUnit XML (one test case per point), the
// summary JSON (Regression::toJson) and one self-contained HTML page: no
// script, no style sheet, no image or font from anywhere else; plots are
// inline SVG.
#pragma once

#include <iosfwd>
#include <string>

#include "results.h"

namespace chimney::regress {

// Text escaped for XML and HTML (& < > " ').
std::string escapeXml(const std::string& text);

void writeJunit(const Regression& r, std::ostream& out);
void writeHtml(const Regression& r, std::ostream& out);

// Writes summary.json, junit.xml and report.html into `dir`; returns false
// (and names the file on `err`) when one cannot be written.
bool writeOutputs(const Regression& r, const std::string& dir, std::ostream& err);

}  // namespace chimney::regress
