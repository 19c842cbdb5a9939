#include "run_options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include "engine_limits.h"
#include "fault_injection.h"

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

constexpr uint64_t kMaxWindow = 100'000'000;

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// An output file: given with a name, and writable.
void checkOutput(const std::string& option, const std::string& path, bool given) {
  if (given && path.empty()) throw BadArgument{option + " '': needs a file name"};
  if (!path.empty()) checkWritable(option, path);
}

void makeDirectory(const std::string& option, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw BadArgument{option + " " + dir + ": cannot be created as a directory"};
  }
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

std::vector<std::string> RunOptions::reproduceArgs() const {
  std::vector<std::string> a = {"--scenario",    scenario,
                                "--seed",        std::to_string(seed),
                                "--ops",         std::to_string(ops),
                                "--connections", std::to_string(connections),
                                "--queues",      std::to_string(queues),
                                "--im-layers",   std::to_string(imLayers),
                                "--ring-size",   std::to_string(ringSize)};
  auto add = [&](const char* option, const std::string& value) {
    a.emplace_back(option);
    a.push_back(value);
  };
  if (maxCycles != 0) add("--max-cycles", std::to_string(maxCycles));
  if (modelDevice) add("--device", "model");
  if (csrReadyPercent != 100) add("--csr-ready", std::to_string(csrReadyPercent));
  if (workReadyPercent != 100) add("--work-ready", std::to_string(workReadyPercent));
  if (irqReadyPercent != 100) add("--irq-ready", std::to_string(irqReadyPercent));
  if (dmaReadyPercent != 100) add("--dma-ready", std::to_string(dmaReadyPercent));
  if (dmaLatencyCycles != 1) add("--dma-latency", std::to_string(dmaLatencyCycles));
  for (const std::string& fault : injections) add("--inject", fault);
  for (const std::string& d : imDrivers) add("--im-driver", d);
  if (!targetDriver.empty()) add("--target-driver", targetDriver);
  if (!traceFile.empty()) add("--trace", traceFile);
  if (traceFrom != 0) add("--trace-from", std::to_string(traceFrom));
  if (traceTo != std::numeric_limits<uint64_t>::max()) add("--trace-to", std::to_string(traceTo));
  if (!traceOnFailDir.empty()) {
    add("--trace-on-fail", traceOnFailDir);
    if (windowBefore != kDefaultWindowBefore || windowAfter != kDefaultWindowAfter) {
      add("--trace-window", std::to_string(windowBefore) + "," + std::to_string(windowAfter));
    }
  }
  if (!txlogFile.empty()) add("--txlog", txlogFile);
  if (!timelineFile.empty()) add("--timeline", timelineFile);
  if (!jsonFile.empty()) add("--json", jsonFile);
  if (quiet) a.emplace_back("--quiet");
  return a;
}

namespace {
// Quotes a word for a POSIX shell when it needs it.
std::string shellWord(const std::string& w) {
  const bool plain = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./,=:+@%", c);
  });
  if (plain) return w;
  std::string out = "'";
  for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

std::string RunOptions::reproduceCommand() const {
  std::string cmd = kProgram;
  for (const std::string& w : reproduceArgs()) cmd += " " + shellWord(w);
  return cmd;
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
  app.add_option("--ops", opsText,
                 "operations the host posts, in total over all connections (default: per "
                 "scenario)")
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
  app.add_option("--record-ports", o.portLog,
                 "write the engine's ports of every evaluated cycle to FILE (chimney-bench replay)")
      ->type_name("FILE");
  app.add_option("--coverage", o.coverageFile,
                 "write the engine's line, toggle and user coverage of this run to FILE "
                 "(needs a -DCHIMNEY_COVERAGE=ON build and --device rtl)")
      ->type_name("FILE");
  app.add_option("--max-cycles", maxCyclesText,
                 "watchdog: fail a run that needs more simulated cycles than this")
      ->type_name("N");
  app.add_flag("--quiet", o.quiet, "print the summary only when the run fails");
  std::string windowText;
  bool listFaults = false;
  app.add_option("--inject", o.injections,
                 "inject fault NAME (repeatable; --list-faults shows them)")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("--list-faults", listFaults,
               "list the injectable faults with a line each, then exit");
  app.add_option("--txlog", o.txlogFile, "write the transaction log (JSON Lines) to FILE")
      ->type_name("FILE");
  app.add_option("--timeline", o.timelineFile,
                 "write the run as Chrome trace-event JSON (Perfetto) to FILE")
      ->type_name("FILE");
  app.add_option("--trace-on-fail", o.traceOnFailDir,
                 "on failure, replay the run traced around the first violation into DIR")
      ->type_name("DIR");
  app.add_option("--trace-window", windowText,
                 "cycles traced before and after the first violation (default 2000,500)")
      ->type_name("N,M");
  app.add_option("--device", deviceText,
                 "rtl: the Verilated engine (default); model: the behavioural reference model")
      ->type_name("rtl|model");
  std::string csrReadyText;
  app.add_option("--csr-ready", csrReadyText,
                 "chance (percent) that the register bus master takes a response in a cycle: "
                 "1..100, below 100 it holds bready/rready low at random (default 100)")
      ->type_name("PERCENT");
  std::string workReadyText, irqReadyText;
  app.add_option("--work-ready", workReadyText,
                 "chance (percent) that the work port takes a word in a cycle: 1..100, below 100 "
                 "it holds m_work_ready low at random (default 100)")
      ->type_name("PERCENT");
  app.add_option("--irq-ready", irqReadyText,
                 "chance (percent) that the interrupt port takes a message in a cycle: 1..100, "
                 "below 100 it holds m_irq_ready low at random (default 100)")
      ->type_name("PERCENT");
  std::string dmaReadyText, dmaLatencyText;
  app.add_option("--dma-ready", dmaReadyText,
                 "chance (percent) that host memory takes a DMA address or data beat, and offers "
                 "a due read beat or write response, in a cycle: 1..100 (default 100)")
      ->type_name("PERCENT");
  app.add_option("--dma-latency", dmaLatencyText,
                 "cycles host memory takes to answer a DMA read (from its address) or write "
                 "(from its last data beat): 1..1000 (default 1)")
      ->type_name("CYCLES");
  app.add_option("--im-driver", o.imDrivers,
                 "an IM layer from a driver library (or builtin); repeatable, stacked bottom up "
                 "in the order given, below the --im-layers built-in IMs")
      ->type_name("PATH")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--target-driver", o.targetDriver,
                 "the offload target from a driver library instead of the built-in one")
      ->type_name("PATH");
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

  if (listFaults) {
    out << "faults (--inject NAME, repeatable):\n";
    listFaultsTo(out);
    outcome.exitCode = kExitClean;
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
    for (const std::string& d : o.imDrivers) {
      if (d != "builtin" && !std::ifstream(d)) {
        throw BadArgument{"--im-driver " + d +
                          ": cannot be read (a driver library path, or builtin)"};
      }
    }
    if (o.targetDriver.empty() && app.count("--target-driver") > 0) {
      throw BadArgument{"--target-driver '': needs a driver library path"};
    }
    if (!o.targetDriver.empty() && !std::ifstream(o.targetDriver)) {
      throw BadArgument{"--target-driver " + o.targetDriver +
                        ": cannot be read (a driver library path)"};
    }
    if (o.imDrivers.size() + o.imLayers > kMaxImLayers) {
      throw BadArgument{"--im-driver: " + std::to_string(o.imDrivers.size()) +
                        " driver layer(s) and --im-layers " + std::to_string(o.imLayers) +
                        ": at most " + std::to_string(kMaxImLayers) + " IM layers in all"};
    }
    if (!deviceText.empty() && deviceText != "rtl" && deviceText != "model") {
      throw BadArgument{"--device " + deviceText + ": must be rtl or model"};
    }
    o.modelDevice = deviceText == "model";
    // The RTL's ports and DMA timing: 1..hi, and nothing the model has.
    const auto rtlOnly = [&](const char* option, const std::string& text, uint64_t hi,
                             const char* why, unsigned& value) {
      if (text.empty()) return;
      value = unsigned(parseInRange(option, text, 1, hi));
      if (o.modelDevice) {
        throw BadArgument{std::string(option) + " " + text + ": needs --device rtl (" + why + ")"};
      }
    };
    rtlOnly("--csr-ready", csrReadyText, 100, "the model has no register bus", o.csrReadyPercent);
    rtlOnly("--work-ready", workReadyText, 100, "the model has no work port", o.workReadyPercent);
    rtlOnly("--irq-ready", irqReadyText, 100, "the model has no interrupt port", o.irqReadyPercent);
    rtlOnly("--dma-ready", dmaReadyText, 100, "the model has no DMA bus", o.dmaReadyPercent);
    rtlOnly("--dma-latency", dmaLatencyText, RunOptions::kMaxDmaLatency,
            "the model's DMA takes no cycles", o.dmaLatencyCycles);
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
    if (!o.traceFile.empty()) {
      if (!endsWith(o.traceFile, ".fst")) {
        throw BadArgument{"--trace " + o.traceFile +
                          ": must end in .fst (the waveform is FST; VCD is not written: "
                          "convert with fst2vcd FILE.fst > FILE.vcd)"};
      }
      checkWritable("--trace", o.traceFile);
    }
    if (o.jsonFile.empty() && app.count("--json") > 0) {
      throw BadArgument{"--json '': needs a file name"};
    }
    if (!o.jsonFile.empty()) checkWritable("--json", o.jsonFile);
    for (const std::string& fault : o.injections) {
      const FaultInfo* f = findFault(fault);
      if (f == nullptr) {
        throw BadArgument{"--inject " + fault + ": unknown fault; valid: " + faultNames()};
      }
      if (f->needsIm && o.imLayers == 0) {
        throw BadArgument{"--inject " + fault + ": needs --im-layers 1 or more"};
      }
      if (f->needsRtl && o.modelDevice) {
        throw BadArgument{"--inject " + fault +
                          ": needs --device rtl (the behavioural device's DMA is never in flight)"};
      }
      if (!o.targetDriver.empty() && fault.rfind("im.", 0) != 0) {
        throw BadArgument{"--inject " + fault +
                          ": acts on the built-in offload target; not with --target-driver"};
      }
    }
    checkOutput("--txlog", o.txlogFile, app.count("--txlog") > 0);
    checkOutput("--timeline", o.timelineFile, app.count("--timeline") > 0);
    if (!windowText.empty()) {
      if (o.traceOnFailDir.empty()) {
        throw BadArgument{"--trace-window " + windowText + ": needs --trace-on-fail DIR"};
      }
      const std::size_t comma = windowText.find(',');
      const std::string before = windowText.substr(0, comma);
      const std::string after = comma == std::string::npos ? "" : windowText.substr(comma + 1);
      const std::optional<uint64_t> n = parseUnsigned(before), m = parseUnsigned(after);
      if (comma == std::string::npos || !n || !m || *n > kMaxWindow || *m > kMaxWindow) {
        throw BadArgument{"--trace-window " + windowText +
                          ": must be N,M (cycles before and after, each 0.." +
                          std::to_string(kMaxWindow) + ")"};
      }
      o.windowBefore = *n;
      o.windowAfter = *m;
    }
    if (!o.traceOnFailDir.empty()) {
      if (o.modelDevice) {
        throw BadArgument{"--trace-on-fail " + o.traceOnFailDir +
                          ": needs --device rtl (the model has no waveform)"};
      }
      if (!o.traceFile.empty()) {
        throw BadArgument{"--trace-on-fail " + o.traceOnFailDir +
                          ": not with --trace (the replay writes its own trace)"};
      }
      makeDirectory("--trace-on-fail", o.traceOnFailDir);
    } else if (app.count("--trace-on-fail") > 0) {
      throw BadArgument{"--trace-on-fail '': needs a directory name"};
    }
    if (o.portLog.empty() && app.count("--record-ports") > 0) {
      throw BadArgument{"--record-ports '': needs a file name"};
    }
    if (o.modelDevice && !o.portLog.empty()) {
      throw BadArgument{"--record-ports " + o.portLog +
                        ": needs --device rtl (the model has no ports)"};
    }
    if (!o.portLog.empty()) checkWritable("--record-ports", o.portLog);
    if (o.coverageFile.empty() && app.count("--coverage") > 0) {
      throw BadArgument{"--coverage '': needs a file name"};
    }
    if (!o.coverageFile.empty()) {
#ifndef CHIMNEY_VL_COVERAGE
      throw BadArgument{"--coverage " + o.coverageFile +
                        ": this build has no code coverage (configure with -DCHIMNEY_COVERAGE=ON)"};
#endif
      if (o.modelDevice) {
        throw BadArgument{"--coverage " + o.coverageFile +
                          ": needs --device rtl (code coverage is of the RTL)"};
      }
      checkWritable("--coverage", o.coverageFile);
    }
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
