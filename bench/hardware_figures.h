// The hardware figures of scripts/hw-figures.sh (a JSON object) rendered as
// a Markdown table for the benchmark report.
#pragma once

#include <iosfwd>
#include <string>

namespace chimney::bench {

// Writes the table; a missing or malformed file gives one line saying so.
void writeHardwareMarkdown(const std::string& hwJson, std::ostream& out);

}  // namespace chimney::bench
