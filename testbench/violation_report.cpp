#include "violation_report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <tuple>

namespace chimney::tb {

std::vector<ViolationRecord> byTime(std::vector<ViolationRecord> list) {
  std::stable_sort(
      list.begin(), list.end(),
      [](const ViolationRecord& a, const ViolationRecord& b) { return a.cycle < b.cycle; });
  return list;
}

namespace {

struct Group {
  const ViolationRecord* first = nullptr;
  uint64_t count = 0;
};

using GroupKey = std::tuple<int, std::string, std::string, int64_t>;

}  // namespace

void printViolations(const std::vector<ViolationRecord>& list, std::ostream& out,
                     std::size_t maxGroups) {
  if (list.empty()) return;
  const std::vector<ViolationRecord> sorted = byTime(list);
  out << "  first: " << sorted.front().message << "\n";
  if (sorted.size() == 1) return;
  // Groups in order of their first member.
  std::map<GroupKey, std::size_t> index;
  std::vector<Group> groups;
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    const ViolationRecord& v = sorted[i];
    const GroupKey key{v.invariant, v.check, v.layer, v.connection};
    auto [it, fresh] = index.emplace(key, groups.size());
    if (fresh) groups.push_back(Group{&v, 0});
    ++groups[it->second].count;
  }
  out << "  after it (" << sorted.size() - 1 << " more, grouped):\n";
  for (std::size_t g = 0; g < groups.size() && g < maxGroups; ++g) {
    const ViolationRecord& v = *groups[g].first;
    out << "    " << groups[g].count << " of invariant " << v.invariant << " " << v.check;
    if (!v.layer.empty()) out << " (layer " << v.layer << ")";
    if (v.connection >= 0) out << " on conn " << v.connection;
    out << ", the first at t=" << v.cycle << ": " << v.message << "\n";
  }
  if (groups.size() > maxGroups)
    out << "    ... and " << groups.size() - maxGroups << " groups more\n";
}

void printDeduplicated(const std::vector<std::string>& lines, std::ostream& out,
                       std::size_t maxShown) {
  std::vector<std::pair<std::string, uint64_t>> distinct;
  std::map<std::string, std::size_t> index;
  for (const std::string& line : lines) {
    auto [it, fresh] = index.emplace(line, distinct.size());
    if (fresh) distinct.emplace_back(line, 0);
    ++distinct[it->second].second;
  }
  for (std::size_t i = 0; i < distinct.size() && i < maxShown; ++i) {
    out << "  " << distinct[i].first;
    if (distinct[i].second > 1) out << " (x" << distinct[i].second << ")";
    out << "\n";
  }
  if (distinct.size() > maxShown) out << "  ... and " << distinct.size() - maxShown << " more\n";
}

std::string violationsJson(const std::vector<ViolationRecord>& list, int indent) {
  nlohmann::json array = nlohmann::json::array();
  auto orNull = [](int64_t v) { return v < 0 ? nlohmann::json() : nlohmann::json(v); };
  for (const ViolationRecord& v : byTime(list)) {
    nlohmann::json o;
    o["invariant"] = v.invariant;
    o["check"] = v.check;
    o["cycle"] = v.cycle;
    o["layer"] = v.layer.empty() ? nlohmann::json() : nlohmann::json(v.layer);
    o["connection"] = orNull(v.connection);
    o["op"] = v.op.empty() ? nlohmann::json() : nlohmann::json(v.op);
    o["nbl_id"] = v.nblId == 0 ? nlohmann::json() : nlohmann::json(v.nblId);
    o["nbl"] = v.nblId == 0 ? nlohmann::json() : nlohmann::json("nbl#" + std::to_string(v.nblId));
    o["tag"] = orNull(v.tag);
    o["queue_pair"] = orNull(v.queuePair);
    o["message"] = v.message;
    array.push_back(std::move(o));
  }
  return array.dump(indent);
}

}  // namespace chimney::tb
