#include "run_options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include "engine_limits.h"

namespace chimney::tb {

namespace {

constexpr const char* kProgram = "chimney-cosim";

// Thrown inside this file only; turned into exit code 2 with its one line.
struct BadArgument {
  std::string message;
};

std::optional<uint64_t> parseUnsigned(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int base = 10;
  std::size_t start = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    start = 2;
  }
  uint64_t value = 0;
  const char* first = text.data() + start;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, value, base);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return value;
}

uint64_t parseInRange(const std::string& option, const std::string& text, uint64_t lo,
                      uint64_t hi) {
  std::optional<uint64_t> v = parseUnsigned(text);
  if (!v || *v < lo || *v > hi) {
    throw BadArgument{option + " " + text + ": must be " + std::to_string(lo) + ".." +
                      std::to_string(hi)};
  }
  return *v;
}

unsigned parseRingSize(const std::string& text) {
  const uint64_t lo = uint64_t{1} << kMinRingLog2;
  const uint64_t hi = uint64_t{1} << kMaxRingLog2;
  std::optional<uint64_t> v = parseUnsigned(text);
  if (!v || *v < lo || *v > hi || (*v & (*v - 1)) != 0) {
    throw BadArgument{"--ring-size " + text + ": must be a power of two in " + std::to_string(lo) +
                      ".." + std::to_string(hi)};
  }
  return unsigned(*v);
}

// Creates (or truncates) the file so a path that cannot be written is
// reported now, as a bad argument, not after the simulation ran.
void checkWritable(const std::string& option, const std::string& path) {
  std::ofstream probe(path, std::ios::out | std::ios::trunc);
  if (!probe) throw BadArgument{option + " " + path + ": cannot be written"};
}

std::string oneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

void listScenarios(std::ostream& out) {
  std::size_t width = 0;
  for (const ScenarioInfo& s : scenarioRegistry()) width = std::max(width, s.name.size());
  for (const ScenarioInfo& s : scenarioRegistry()) {
    out << "  " << s.name << std::string(width + 2 - s.name.size(), ' ') << s.description << "\n";
  }
}

}  // namespace

std::string RunOptions::reproduceCommand() const {
  std::ostringstream cmd;
  cmd << kProgram << " --scenario " << scenario << " --seed " << seed << " --ops " << ops
      << " --connections " << connections << " --queues " << queues << " --im-layers " << imLayers
      << " --ring-size " << ringSize;
  if (maxCycles != 0) cmd << " --max-cycles " << maxCycles;
  if (modelDevice) cmd << " --device model";
  return cmd.str();
}

ParseOutcome parseCommandLine(const std::vector<std::string>& args, std::ostream& out,
                              std::ostream& err) {
  ParseOutcome outcome;
  RunOptions& o = outcome.options;

  CLI::App app{
      "Co-simulates the completion engine RTL with the NDIS TCP chimney driver models.\n"
      "Runs one scenario, checks every driver-model invariant and the engine's own\n"
      "counters, and prints a summary. Exit 0: clean; 1: a violation or a count\n"
      "mismatch; 2: bad arguments.",
      kProgram};
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  std::string seedText, opsText, connText, queuesText, imText, ringText;
  std::string fromText, toText, maxCyclesText, deviceText;
  bool list = false;
  bool markdown = false;
  app.add_option("--scenario", o.scenario, "scenario to run (default: smoke)")->type_name("NAME");
  app.add_flag("--list-scenarios", list, "list the scenarios with a line each, then exit");
  app.add_flag("--scenarios-markdown", markdown,
               "print the scenario table of docs/scenarios.md, then exit");
  app.add_option("--seed", seedText, "random seed of the peer and the traffic (default 1)")
      ->type_name("N");
  app.add_option("--ops", opsText, "operations the host posts (default: per scenario)")
      ->type_name("N");
  app.add_option("--connections", connText, "offloaded connections, 1.." + std::to_string(kNumConn))
      ->type_name("N");
  app.add_option("--queues", queuesText, "queue pairs used, 1.." + std::to_string(kNumQp))
      ->type_name("N");
  app.add_option(
         "--im-layers", imText,
         "intermediate drivers stacked above the target, 0.." + std::to_string(kMaxImLayers))
      ->type_name("N");
  app.add_option("--ring-size", ringText, "SQ and CQ entries per queue pair, a power of two")
      ->type_name("N");
  app.add_option("--trace", o.traceFile, "write an FST waveform of the engine to FILE.fst")
      ->type_name("FILE");
  app.add_option("--trace-from", fromText, "first cycle traced (default 0)")->type_name("N");
  app.add_option("--trace-to", toText, "last cycle traced (default: end of run)")->type_name("N");
  app.add_option("--json", o.jsonFile, "write the run report as JSON to FILE")->type_name("FILE");
  app.add_option("--max-cycles", maxCyclesText,
                 "watchdog: fail a run that needs more simulated cycles than this")
      ->type_name("N");
  app.add_flag("--quiet", o.quiet, "print the summary only when the run fails");
  app.add_option("--device", deviceText,
                 "rtl: the Verilated engine (default); model: the behavioural reference model")
      ->type_name("rtl|model");
  app.allow_extras();  // reported below, in the order given

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    outcome.exitCode = kExitClean;
    return outcome;
  } catch (const CLI::ParseError& e) {
    err << kProgram << ": error: " << oneLine(e.what()) << " (see --help)\n";
    outcome.exitCode = kExitBadArgs;
    return outcome;
  }

  if (!app.remaining().empty()) {
    std::vector<std::string> extra = app.remaining();
    err << kProgram << ": error: unexpected argument '" << extra.front()
        << "' (options start with --; see --help)\n";
    outcome.exitCode = kExitBadArgs;
    return outcome;
  }

  if (list) {
    out << "scenarios:\n";
    listScenarios(out);
    outcome.exitCode = kExitClean;
    return outcome;
  }
  if (markdown) {
    writeScenarioTable(out);
    outcome.exitCode = kExitClean;
    return outcome;
  }

  try {
    const ScenarioInfo* info = findScenario(o.scenario);
    if (info == nullptr) {
      throw BadArgument{"--scenario " + o.scenario + ": unknown; valid: " + scenarioNames()};
    }
    const ScenarioDefaults& d = info->defaults;
    o.seed = seedText.empty()
                 ? 1
                 : parseInRange("--seed", seedText, 0, std::numeric_limits<uint64_t>::max());
    o.ops = opsText.empty() ? d.ops : unsigned(parseInRange("--ops", opsText, 1, kMaxOps));
    o.connections = connText.empty()
                        ? d.connections
                        : unsigned(parseInRange("--connections", connText, 1, kNumConn));
    o.queues =
        queuesText.empty() ? d.queues : unsigned(parseInRange("--queues", queuesText, 1, kNumQp));
    o.imLayers = imText.empty() ? d.imLayers
                                : unsigned(parseInRange("--im-layers", imText, 0, kMaxImLayers));
    o.ringSize = ringText.empty() ? d.ringSize : parseRingSize(ringText);
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    if (!fromText.empty()) o.traceFrom = parseInRange("--trace-from", fromText, 0, kMax);
    if (!toText.empty()) o.traceTo = parseInRange("--trace-to", toText, 0, kMax);
    if (!maxCyclesText.empty()) {
      o.maxCycles = parseInRange("--max-cycles", maxCyclesText, 1, kMax);
    }
    if (!deviceText.empty() && deviceText != "rtl" && deviceText != "model") {
      throw BadArgument{"--device " + deviceText + ": must be rtl or model"};
    }
    o.modelDevice = deviceText == "model";
    if (o.modelDevice && !o.traceFile.empty()) {
      throw BadArgument{"--trace " + o.traceFile +
                        ": needs --device rtl (the model has no waveform)"};
    }
    if ((!fromText.empty() || !toText.empty()) && o.traceFile.empty()) {
      throw BadArgument{
          std::string(fromText.empty() ? "--trace-to " + toText : "--trace-from " + fromText) +
          ": needs --trace FILE.fst"};
    }
    if (o.traceFrom > o.traceTo) {
      throw BadArgument{"--trace-from " + fromText + ": must not be after --trace-to " + toText};
    }
    if (o.traceFile.empty() && app.count("--trace") > 0) {
      throw BadArgument{"--trace '': needs a file name"};
    }
    if (!o.traceFile.empty()) checkWritable("--trace", o.traceFile);
    if (o.jsonFile.empty() && app.count("--json") > 0) {
      throw BadArgument{"--json '': needs a file name"};
    }
    if (!o.jsonFile.empty()) checkWritable("--json", o.jsonFile);
  } catch (const BadArgument& bad) {
    err << kProgram << ": error: " << oneLine(bad.message) << "\n";
    outcome.exitCode = kExitBadArgs;
    return outcome;
  }

  outcome.run = true;
  return outcome;
}

ParseOutcome parseCommandLine(int argc, const char* const* argv, std::ostream& out,
                              std::ostream& err) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return parseCommandLine(args, out, err);
}

}  // namespace chimney::tb
