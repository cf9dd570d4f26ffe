// `quorumsim what-if`: one question about one change. From the configured start state (or
// the state a scenario prefix leaves), the change runs on the simulated cluster and every
// node's quorate flag, quorum, expected and total votes are compared before and after.
//
// It also computes what pcs's QuorumStatusFacade.stopping_nodes_cause_quorum_loss would
// answer for a `stop` from the same state (pcs reads corosync-quorumtool -p on one node and
// compares the remaining member votes plus the device's votes with the threshold), so the
// two can be compared; sim/CHECK.md lists where pcs's rule is wrong.
#ifndef QUORUMSIM_SIM_CHECK_WHAT_IF_H_
#define QUORUMSIM_SIM_CHECK_WHAT_IF_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/check/model.h"

namespace quorumsim::check {

struct WhatIfChange {
  std::string text;                 // as the user wrote it ("stop 1,2")
  std::vector<std::string> lines;   // the scenario lines it becomes
  std::vector<NodeId> stopped;      // nodes a `stop` names (for the pcs comparison)
};

// Turns the command-line words into changes; error names the word.
Status ParseChanges(const Model& model, const std::vector<std::string>& words,
                    std::vector<WhatIfChange>* out);

struct PcsAnswer {
  bool applicable = false;   // only every change being `stop`
  NodeId local = 0;          // the node pcs would read corosync-quorumtool on
  bool quorum_loss = false;  // pcs's answer
  uint32_t votes_left = 0;   // member votes not stopped + device votes, as pcs counts
  uint32_t needed = 0;       // "Quorum:" as quorumtool prints it
};

struct WhatIfResult {
  std::vector<std::string> state_lines;  // from --state
  std::vector<WhatIfChange> changes;
  std::vector<std::string> change_lines; // the scenario lines run for the changes
  std::vector<NodeView> before, after;   // Model::nodes order
  bool quorate_before = false, quorate_after = false;  // some running node quorate
  bool quorum_lost = false;              // some running node quorate before, none after
  PcsAnswer pcs;
};

Status WhatIf(const Model& model, const std::vector<std::string>& state_lines,
              const std::vector<WhatIfChange>& changes, WhatIfResult* out);

// pcs's answer from the state `views`, for stopping `stopped`.
PcsAnswer PcsStoppingCausesQuorumLoss(const std::vector<NodeView>& views,
                                      const std::vector<NodeId>& stopped);

}  // namespace quorumsim::check

#endif  // QUORUMSIM_SIM_CHECK_WHAT_IF_H_
