// The check's result and its three renderings: text for people, JSON for tools (schema in
// sim/CHECK.md), and ready-to-run scenario files for each finding.
#ifndef QUORUMSIM_SIM_CHECK_REPORT_H_
#define QUORUMSIM_SIM_CHECK_REPORT_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "sim/check/availability.h"
#include "sim/check/classify.h"
#include "sim/check/explore.h"

namespace quorumsim::check {

struct SplitBrainFinding {
  Classification cls;
  Reached state;
  std::vector<std::vector<NodeId>> quorate;  // the quorate nodes of each partition
  std::string scenario;                      // the scenario file's text
  std::string file;                          // where it was written ("" if not)
  std::string picture;                       // its timeline (.svg, with an .html beside it)
};

struct ScenarioOut {
  std::string what;
  std::string scenario;
  std::string file;
};

struct CheckReport {
  std::string config_path;     // as given
  std::string config_ref;      // what the scenarios' "# config:" lines name
  Model model;
  ExploreOptions options;
  ExploreResult explored;
  std::vector<SplitBrainFinding> findings;  // one per distinct classification, shortest first
  Availability availability;
  std::vector<ScenarioOut> availability_scenarios;
  bool strict = false;         // findings that rely on fencing count as hazards too

  bool Hazard() const;
};

// Scenario text: header comments, start lines, `lines`, then `expect` lines.
std::string ScenarioText(const CheckReport& r, const std::string& title,
                         const std::vector<std::string>& comments,
                         const std::vector<std::string>& lines);

// Split-brain `expect` lines: one quorate node per quorate partition, with its members.
std::vector<std::string> SplitBrainExpects(const Snapshot& s);

void WriteText(const CheckReport& r, std::ostream& os);
void WriteJson(const CheckReport& r, std::ostream& os);

// JSON string literal (quotes included).
std::string JsonString(const std::string& s);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_REPORT_H_
