#include "sim/internal/status_printer.h"

#include <algorithm>
#include <ostream>

#include "sim/internal/script_lexer.h"

namespace quorumsim::internal {

namespace {

std::string StatusLine(const NodeView& v) {
  std::string s = std::to_string(v.partition) + ":" + std::to_string(v.node_id) + ": ";
  if (!v.reported) return s + "q=UNINITIALIZED";
  return s + "q=" + std::to_string(v.quorate ? 1 : 0) + " ring=[" + FormatRingId(v.ring) +
         "] nodes=[" + JoinIds(v.members, ' ') + "]";
}

}  // namespace

std::vector<NodeView> StatusPrinter::Running() const {
  std::vector<NodeView> running;
  for (NodeId id : c_.node_ids()) {
    NodeView nv = c_.Node(id);
    if (nv.run_state != NodeRunState::kDown) running.push_back(std::move(nv));
  }
  std::sort(running.begin(), running.end(), [](const NodeView& a, const NodeView& b) {
    if (a.partition != b.partition) return a.partition < b.partition;
    return a.placement < b.placement;
  });
  return running;
}

void StatusPrinter::PrintNodes(bool only_changed) {
  for (const NodeView& v : Running()) {
    std::string line = StatusLine(v);
    auto it = last_line_.find(v.node_id);
    if (!only_changed || it == last_line_.end() || it->second != line) *out_ << line << '\n';
    last_line_[v.node_id] = line;
  }
}

void StatusPrinter::PrintSetting(const char* name, bool on) {
  *out_ << '#' << name << ": " << (on ? "on" : "off") << '\n';
}

void StatusPrinter::PrintQuit(PartitionId partition, NodeId id, const char* why) {
  *out_ << partition << ":" << id << ": Quit (" << why << ")\n";
}

}  // namespace quorumsim::internal
