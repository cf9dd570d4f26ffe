// vqsim's status output: one "P:ID: q=Q ring=[R] nodes=[...]" line per running node, in
// vqsim's order (by partition, then by arrival in the partition: NodeView::placement, kept
// by the cluster), the "#name: on|off"
// setting lines, "P:ID: Quit (why)" lines, and printing only what changed (vqsim's -n).
#ifndef QUORUMSIM_SIM_INTERNAL_STATUS_PRINTER_H_
#define QUORUMSIM_SIM_INTERNAL_STATUS_PRINTER_H_

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "sim/cluster.h"

namespace quorumsim::internal {

class StatusPrinter {
 public:
  // `out` may be null until the first print (ScriptOptions leaves it to the caller).
  StatusPrinter(const Cluster& cluster, std::ostream* out) : c_(cluster), out_(out) {}

  // Running (or paused) nodes in print order.
  std::vector<NodeView> Running() const;

  // Every running node's line (only_changed false), or only the lines that differ from the
  // last printed for that node (only_changed true: vqsim's "sync off").
  void PrintNodes(bool only_changed);
  // "#NAME: on|off".
  void PrintSetting(const char* name, bool on);
  // "P:ID: Quit (WHY)".
  void PrintQuit(PartitionId partition, NodeId id, const char* why);
  // The node's next line counts as changed (it quit; a new process starts afresh).
  void Forget(NodeId id) { last_line_.erase(id); }

 private:
  const Cluster& c_;
  std::ostream* out_;
  std::map<NodeId, std::string> last_line_;  // last printed line per node
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_STATUS_PRINTER_H_
