#include "run_recorder.h"

namespace chimney::tb {

namespace {
constexpr int kStackPid = 1;
constexpr int kEnginePid = 2;
}  // namespace

RunRecorder::RunRecorder(const std::string& txlogFile, const std::string& timelineFile,
                         uint32_t clockPeriodPs)
    : periodPs_(clockPeriodPs) {
  if (!txlogFile.empty()) txlog_.open(txlogFile, std::ios::out | std::ios::trunc);
  if (!timelineFile.empty()) {
    timeline_.open(timelineFile, std::ios::out | std::ios::trunc);
    timeline_ << "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n";
    timelineEvent({{"ph", "M"},
                   {"pid", kStackPid},
                   {"name", "process_name"},
                   {"args", {{"name", "driver stack"}}}});
    timelineEvent({{"ph", "M"},
                   {"pid", kEnginePid},
                   {"name", "process_name"},
                   {"args", {{"name", "engine (queue pairs)"}}}});
  }
}

RunRecorder::~RunRecorder() {
  // The owner calls finish() and checks it; here it only closes what an
  // early exit left open. Writing the held records may throw (JSON, memory),
  // which a destructor must not pass on.
  try {
    finish();
  } catch (...) {
    txlog_.close();
    timeline_.close();
  }
}

void RunRecorder::declareTracks(const std::vector<std::string>& layers, unsigned queuePairs) {
  for (const std::string& l : layers) track(l);
  for (unsigned q = 0; q < queuePairs; ++q) track("qp " + std::to_string(q));
}

RunRecorder::Track RunRecorder::track(const std::string& name) {
  auto it = tracks_.find(name);
  if (it != tracks_.end()) return it->second;
  Track t;
  t.pid = name.rfind("qp ", 0) == 0 ? kEnginePid : kStackPid;
  t.tid = nextTid_[t.pid]++;
  tracks_.emplace(name, t);
  timelineEvent({{"ph", "M"},
                 {"pid", t.pid},
                 {"tid", t.tid},
                 {"name", "thread_name"},
                 {"args", {{"name", name}}}});
  timelineEvent({{"ph", "M"},
                 {"pid", t.pid},
                 {"tid", t.tid},
                 {"name", "thread_sort_index"},
                 {"args", {{"sort_index", t.tid}}}});
  return t;
}

void RunRecorder::timelineEvent(const nlohmann::json& event) {
  if (!timeline_.is_open()) return;
  timeline_ << (firstEvent_ ? "" : ",\n") << event.dump();
  firstEvent_ = false;
}

void RunRecorder::record(uint64_t cycle, const std::string& kind, nlohmann::json fields,
                         const std::string& trackName, const std::vector<uint64_t>& nbls, Flow flow,
                         uint64_t durationCycles) {
  if (cycle < from_ || cycle > to_) return;
  ++records_;
  Pending r{cycle, arrivals_++, kind, std::move(fields), trackName, nbls, flow, durationCycles};
  if (!settled_) {
    write(r);
    return;
  }
  held_.push(std::move(r));
  flush(settled_());
}

void RunRecorder::flush(uint64_t before) {
  while (!held_.empty() && held_.top().cycle < before) {
    write(held_.top());
    held_.pop();
  }
}

void RunRecorder::write(const Pending& r) {
  const uint64_t cycle = r.cycle;
  const std::string& kind = r.kind;
  const nlohmann::json& fields = r.fields;
  const Flow flow = r.flow;
  const uint64_t durationCycles = r.durationCycles;
  if (timeline_.is_open()) {
    const Track t = track(r.track);
    std::string name = kind;
    if (fields.contains("op") && fields["op"].is_string()) {
      name += " " + fields["op"].get<std::string>();
    }
    const double ts = micros(cycle);
    // A slice at least one cycle long, so flows have something to bind to.
    const double dur = micros(durationCycles == 0 ? 1 : durationCycles);
    timelineEvent({{"ph", "X"},
                   {"pid", t.pid},
                   {"tid", t.tid},
                   {"ts", ts},
                   {"dur", dur},
                   {"name", name},
                   {"cat", kind},
                   {"args", fields}});
    const char* ph = flow == Flow::kStart ? "s" : flow == Flow::kEnd ? "f" : "t";
    for (const uint64_t id : r.nbls) {
      if (id == 0) continue;
      nlohmann::json f = {{"ph", ph},
                          {"pid", t.pid},
                          {"tid", t.tid},
                          {"ts", ts},
                          {"id", id},
                          {"cat", "nbl"},
                          {"name", "nbl#" + std::to_string(id)}};
      if (flow == Flow::kEnd) f["bp"] = "e";
      timelineEvent(f);
    }
  }
  if (txlog_.is_open()) {
    nlohmann::ordered_json line;  // cycle and kind first, the fields after
    line["cycle"] = cycle;
    line["kind"] = kind;
    for (const auto& [key, value] : fields.items()) line[key] = value;
    txlog_ << line.dump() << '\n';
  }
}

bool RunRecorder::finish() {
  if (finished_) return true;
  flush(UINT64_MAX);
  finished_ = true;
  bool ok = true;
  if (timeline_.is_open()) {
    timeline_ << "\n]}\n";
    timeline_.close();
    ok = ok && !timeline_.fail();
  }
  if (txlog_.is_open()) {
    txlog_.close();
    ok = ok && !txlog_.fail();
  }
  return ok;
}

}  // namespace chimney::tb
