// The scenario registry: every scenario is declared once, completely, and the
// Markdown table of docs/scenarios.md is generated from it.
#include "scenario_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace chimney::tb {
namespace {

TEST(ScenarioRegistry, EveryScenarioIsDeclaredCompletelyAndOnce) {
  std::set<std::string> names;
  for (const ScenarioInfo& s : scenarioRegistry()) {
    EXPECT_TRUE(names.insert(s.name).second) << "declared twice: " << s.name;
    EXPECT_NE(s.configure, nullptr) << s.name;
    EXPECT_NE(s.body, nullptr) << s.name;
    EXPECT_FALSE(s.description.empty()) << s.name;
    EXPECT_FALSE(s.does.empty()) << s.name;
    EXPECT_FALSE(s.expected.empty()) << s.name;
    for (const std::string* text : {&s.description, &s.does, &s.expected}) {
      EXPECT_EQ(text->find('\n'), std::string::npos) << s.name << ": " << *text;
      EXPECT_EQ(text->find('|'), std::string::npos) << s.name << " breaks the table: " << *text;
    }
  }
  EXPECT_NE(findScenario(kDefaultScenario), nullptr);
  EXPECT_EQ(findScenario("no-such-scenario"), nullptr);
}

TEST(ScenarioRegistry, MarkdownTableHasOneRowPerScenarioWithItsDefaults) {
  std::ostringstream table;
  writeScenarioTable(table);
  std::istringstream lines(table.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "| scenario | what it does | expected (exact) |");
  std::getline(lines, line);
  EXPECT_EQ(line, "|---|---|---|");
  for (const ScenarioInfo& s : scenarioRegistry()) {
    ASSERT_TRUE(std::getline(lines, line)) << "no row for " << s.name;
    EXPECT_EQ(line.rfind("| `" + s.name + "` (" + describeDefaults(s.defaults) + ") | ", 0), 0u)
        << line;
    EXPECT_NE(line.find(" | " + s.expected + " |"), std::string::npos) << line;
  }
  EXPECT_FALSE(std::getline(lines, line)) << "extra row: " << line;
}

TEST(ScenarioRegistry, DefaultsAreDescribedWithEveryValue) {
  ScenarioDefaults d;
  d.ops = 1;
  d.connections = 2;
  d.queues = 1;
  d.imLayers = 0;
  d.ringSize = 8;
  EXPECT_EQ(describeDefaults(d), "1 op, 2 conns, 1 QP, 0 IM layers, ring 8");
}

}  // namespace
}  // namespace chimney::tb
