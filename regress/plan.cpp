#include "plan.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace chimney::regress {

namespace {

// splitmix64: the plan's own generator, so a plan is the same with any
// standard library (std:: distributions are not portable).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
  // True with probability `p`.
  bool chance(double p) { return double(next() >> 11) * 0x1.0p-53 < p; }
  // Log-uniform in [lo, hi]: small values as likely per octave as large ones.
  uint64_t logUniform(uint64_t lo, uint64_t hi) {
    const double a = std::log(double(lo)), b = std::log(double(hi) + 1);
    const double x = std::exp(a + (b - a) * (double(next() >> 11) * 0x1.0p-53));
    return std::min<uint64_t>(hi, std::max<uint64_t>(lo, uint64_t(x)));
  }

 private:
  uint64_t state_;
};

void add(std::vector<std::string>& args, const std::string& option, uint64_t value) {
  args.push_back(option);
  args.push_back(std::to_string(value));
}

// Random values favour the ends of each range: bugs live at 1, at the
// maximum and at the smallest rings.
Point randomPoint(const PlanSpec& spec, const std::vector<std::string>& scenarios,
                  std::size_t index, const OptionLimits& lim) {
  Rng rng(spec.seed * 0x9e3779b97f4a7c15ull ^ (index + 1) * 0xd1b54a32d192ed03ull);
  rng.next();
  Point p;
  p.index = index;
  const std::size_t devices = spec.devices.size();
  const std::string& device = spec.devices[index % devices];
  const std::string& scenario = scenarios[(index / devices) % scenarios.size()];
  auto& a = p.args;
  a = {"--scenario", scenario};
  add(a, "--seed",
      rng.chance(0.02)  ? 0
      : rng.chance(0.1) ? rng.next()
                        : rng.below(uint64_t{1} << 32));
  const unsigned maxOps = std::min(spec.maxOps, lim.maxOps);
  const uint64_t ops = rng.chance(0.08) ? 1 : rng.chance(0.05) ? maxOps : rng.logUniform(1, maxOps);
  add(a, "--ops", ops);
  const uint64_t conns = rng.chance(0.1)   ? 1
                         : rng.chance(0.1) ? lim.maxConnections
                                           : rng.between(1, lim.maxConnections);
  add(a, "--connections", conns);
  add(a, "--queues", rng.between(1, lim.maxQueues));
  const uint64_t imLayers = rng.between(0, lim.maxImLayers);
  add(a, "--im-layers", imLayers);
  const uint64_t ringLog2 =
      rng.chance(0.12) ? lim.minRingLog2 : rng.between(lim.minRingLog2, lim.maxRingLog2);
  add(a, "--ring-size", uint64_t{1} << ringLog2);
  a.push_back("--device");
  a.push_back(device);
  // A generous watchdog must not change the outcome of a run.
  if (rng.chance(0.03)) add(a, "--max-cycles", 4 * (100000 + 500 * ops) + rng.below(1000000));
  if (device == "rtl" && rng.chance(spec.traceShare)) {
    a.push_back("--trace");
    a.push_back("trace-" + std::to_string(index) + ".fst");
    const uint64_t from = rng.below(20000);
    add(a, "--trace-from", from);
    add(a, "--trace-to", from + rng.between(1, 20000));
  }
  if (rng.chance(0.5)) a.push_back("--quiet");
  // Built-in IMs named by --im-driver, stacked below the --im-layers ones
  // (the same IM reached through the driver-list path), within the limit
  // on IM layers in all. Drawn last so the draws above stay those of plans
  // made before.
  if (imLayers < lim.maxImLayers && rng.chance(0.15)) {
    const uint64_t drivers = rng.between(1, lim.maxImLayers - imLayers);
    for (uint64_t i = 0; i < drivers; ++i) {
      a.push_back("--im-driver");
      a.push_back("builtin");
    }
  }
  // Observers that must not change a run's outcome, each on a small share:
  // the transaction log, the timeline, the engine's port record (RTL, small
  // runs: it grows with every cycle) and the replay-on-failure options (RTL,
  // not with --trace). Drawn after everything above, for the same reason.
  const std::string n = std::to_string(index);
  if (rng.chance(0.02)) {
    a.push_back("--txlog");
    a.push_back("txlog-" + n + ".jsonl");
  }
  if (rng.chance(0.02)) {
    a.push_back("--timeline");
    a.push_back("timeline-" + n + ".json");
  }
  const bool traced = p.option("--trace") != "";
  if (device == "rtl" && ops <= 300 && rng.chance(0.02)) {
    a.push_back("--record-ports");
    a.push_back("ports-" + n + ".log");
  }
  if (device == "rtl" && !traced && rng.chance(0.02)) {
    a.push_back("--trace-on-fail");
    a.push_back("replay-" + n);
    if (rng.chance(0.5)) {
      a.push_back("--trace-window");
      a.push_back(std::to_string(rng.below(5000)) + "," + std::to_string(rng.below(5000)));
    }
  }
  // A loaded offload target (the sample one, by default) in place of the
  // built-in one, on a tenth of the points whose scenario works with it
  // (surprise-removal needs the built-in target). Drawn last.
  if (!spec.targetDrivers.empty() && scenario != "surprise-removal" && rng.chance(0.1)) {
    a.push_back("--target-driver");
    a.push_back(spec.targetDrivers[rng.below(spec.targetDrivers.size())]);
  }
  // Back-pressure on the RTL's register bus, work port, interrupt port and
  // DMA bus (the model has none of them), each on a tenth of the RTL points,
  // 5 % of those at the floor of 1 %. Drawn last.
  for (const char* option : {"--csr-ready", "--work-ready", "--irq-ready", "--dma-ready"}) {
    if (device == "rtl" && rng.chance(0.1)) {
      add(a, option, rng.chance(0.05) ? 1 : rng.between(5, 99));
    }
  }
  // Slow host memory on a tenth of the RTL points: 2..400 cycles, 5 % of
  // those at the ceiling of 1000. Drawn after everything above.
  if (device == "rtl" && rng.chance(0.1)) {
    add(a, "--dma-latency", rng.chance(0.05) ? 1000 : rng.between(2, 400));
  }
  // A drawn --max-cycles grows as chimney-cosim's own watchdog does with a
  // slow DMA or register bus: (500 + 8 x (latency - 1)) x 100 / DMA ready %
  // + 8 x (100 - CSR ready %) / CSR ready % cycles per operation instead of
  // 500 (RunOptions::watchdogCyclesPerOp, which
  // Plan.AMaxCyclesDrawnWithASlowDmaBusGrowsWithIt compares it with).
  // Computed, not drawn: other points keep theirs.
  const uint64_t csrReady = std::stoull(p.option("--csr-ready", "100"));
  const uint64_t perOp = (500 + 8 * (std::stoull(p.option("--dma-latency", "1")) - 1)) * 100 /
                             std::stoull(p.option("--dma-ready", "100")) +
                         8 * (100 - csrReady) / csrReady;
  for (std::size_t i = 0; perOp != 500 && i + 1 < a.size(); ++i) {
    if (a[i] == "--max-cycles") a[i + 1] = std::to_string(std::stoull(a[i + 1]) / 500 * perOp);
  }
  return p;
}

std::string joined(const std::vector<std::string>& words, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? sep : "") + words[i];
  return out;
}

}  // namespace

const std::vector<std::string>& drawnOptions() {
  static const std::vector<std::string> options = {
      "--scenario",   "--seed",         "--ops",           "--connections",  "--queues",
      "--im-layers",  "--ring-size",    "--device",        "--max-cycles",   "--trace",
      "--trace-from", "--trace-to",     "--quiet",         "--im-driver",    "--txlog",
      "--timeline",   "--record-ports", "--trace-on-fail", "--trace-window", "--csr-ready",
      "--work-ready", "--irq-ready",    "--dma-ready",     "--dma-latency"};
  return options;
}

std::string Point::option(const std::string& name, const std::string& fallback) const {
  std::string value = fallback;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) value = args[i + 1];  // the last one counts, as in chimney-cosim
  }
  return value;
}

std::vector<std::string> Point::outputs() const {
  std::vector<std::string> out;
  for (const char* o : {"--trace", "--txlog", "--timeline", "--record-ports", "--trace-on-fail"}) {
    const std::string v = option(o);
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

std::string Point::repeatLine() const {
  return "chimney-cosim " + joined(args, " ");
}

uint64_t fnv1a(const std::string& text, uint64_t hash) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

Plan makePlan(const PlanSpec& spec, const std::vector<std::string>& allScenarios,
              const OptionLimits& limits) {
  Plan plan;
  plan.spec = spec;
  if (!spec.given.empty()) {
    for (std::size_t i = 0; i < spec.given.size(); ++i) plan.points.push_back({i, spec.given[i]});
  } else {
    const std::vector<std::string>& scenarios =
        spec.scenarios.empty() ? allScenarios : spec.scenarios;
    if (scenarios.empty()) throw std::runtime_error("no scenario to run");
    if (spec.devices.empty()) throw std::runtime_error("no device to run");
    for (std::size_t i = 0; i < spec.points; ++i) {
      plan.points.push_back(randomPoint(spec, scenarios, i, limits));
    }
  }
  uint64_t hash = fnv1a(std::to_string(plan.points.size()));
  for (const Point& p : plan.points) hash = fnv1a(joined(p.args, " ") + "\n", hash);
  std::ostringstream id;
  id << std::hex << hash;
  plan.id = id.str();
  return plan;
}

std::vector<Point> shardOf(const Plan& plan, std::size_t shard, std::size_t shards) {
  std::vector<Point> out;
  for (const Point& p : plan.points) {
    if (p.index % shards == shard) out.push_back(p);
  }
  return out;
}

std::vector<std::vector<std::string>> parsePointList(const std::string& text) {
  std::vector<std::vector<std::string>> points;
  std::istringstream in(text);
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::istringstream words(line);
    std::vector<std::string> args;
    for (std::string w; words >> w;) args.push_back(w);
    if (args.empty() || args.front()[0] == '#') continue;
    if (args.front() == "chimney-cosim" ||
        args.front().find("/chimney-cosim") != std::string::npos) {
      args.erase(args.begin());
    }
    for (const std::string& w : args) {
      if (w == "--json" || w == "--coverage") {
        throw std::runtime_error("line " + std::to_string(number) + ": " + w +
                                 " is set by chimney-regress; leave it out");
      }
    }
    points.push_back(std::move(args));
  }
  return points;
}

}  // namespace chimney::regress
