// RunRecorder: the transaction log (--txlog, JSON Lines) and the timeline
// (--timeline, Chrome trace-event JSON for Perfetto / chrome://tracing) of a
// run. Every record has a cycle, a kind and its fields (docs/debugging.md
// has the schema); the same record goes to both outputs, each written as the
// run goes (memory does not grow with the run).
//
// Timeline: one track per layer of the driver stack (host, each IM, NDIS,
// the target, the DPC) in process "driver stack", one per queue pair in
// process "engine"; each record is a slice on its track, and each NBL's
// journey from post to host completion is a flow (id = the NBL's id).
// Time is simulated time: ts = cycle x clock period.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <queue>
#include <string>
#include <vector>

namespace chimney::tb {

class RunRecorder {
 public:
  enum class Flow : uint8_t { kNone, kStart, kStep, kEnd };

  // Either file may be empty (that output is not written).
  RunRecorder(const std::string& txlogFile, const std::string& timelineFile,
              uint32_t clockPeriodPs);
  ~RunRecorder();
  RunRecorder(const RunRecorder&) = delete;
  RunRecorder& operator=(const RunRecorder&) = delete;

  bool active() const { return txlog_.is_open() || timeline_.is_open(); }
  // Declares the layer tracks in stack order (top first) before the run.
  void declareTracks(const std::vector<std::string>& layers, unsigned queuePairs);
  // Only records from cycle `from` to `to` are written (with --trace, the
  // log covers the traced window).
  void setWindow(uint64_t from, uint64_t to) {
    from_ = from;
    to_ = to;
  }

  // Records may come out of cycle order (the engine runs ahead of the
  // driver side, each stamped with its own cycle): they are held until
  // `settled` (no record to come has an earlier cycle) passes them, then
  // written in cycle order, records of one cycle in the order they came.
  // Without a settled clock every record is written as it comes.
  void setSettledClock(std::function<uint64_t()> settled) { settled_ = std::move(settled); }

  // One record: `fields` gets "cycle" and "kind" added. `track` is a layer
  // name or "qp N"; `nbls` are the NBL ids it concerns, drawn as flow steps.
  void record(uint64_t cycle, const std::string& kind, nlohmann::json fields,
              const std::string& track, const std::vector<uint64_t>& nbls = {},
              Flow flow = Flow::kNone, uint64_t durationCycles = 0);

  // Closes both files; false when a write failed.
  bool finish();
  uint64_t records() const { return records_; }
  std::size_t held() const { return held_.size(); }  // records not yet written

 private:
  struct Track {
    int pid = 1;
    int tid = 0;
  };
  struct Pending {
    uint64_t cycle;
    uint64_t seq;  // arrival order, within a cycle
    std::string kind;
    nlohmann::json fields;
    std::string track;
    std::vector<uint64_t> nbls;
    Flow flow;
    uint64_t durationCycles;
    bool operator>(const Pending& o) const {
      return cycle != o.cycle ? cycle > o.cycle : seq > o.seq;
    }
  };
  void write(const Pending& r);
  void flush(uint64_t before);  // writes the held records of cycles < before
  Track track(const std::string& name);
  void timelineEvent(const nlohmann::json& event);
  double micros(uint64_t cycle) const { return double(cycle) * periodPs_ / 1e6; }

  std::ofstream txlog_;
  std::ofstream timeline_;
  uint32_t periodPs_;
  bool firstEvent_ = true;
  bool finished_ = false;
  std::map<std::string, Track> tracks_;
  int nextTid_[3] = {0, 1, 1};
  uint64_t records_ = 0;
  uint64_t from_ = 0, to_ = UINT64_MAX;
  std::function<uint64_t()> settled_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> held_;
  uint64_t arrivals_ = 0;
};

}  // namespace chimney::tb
