// `expect NODE key=value ...`: the keys, how each compares with a node's state, and the
// wanted-vs-got report of a failed expectation.
#ifndef QUORUMSIM_SIM_INTERNAL_EXPECTATIONS_H_
#define QUORUMSIM_SIM_INTERNAL_EXPECTATIONS_H_

#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "sim/cluster.h"
#include "sim/internal/script_lexer.h"

namespace quorumsim::internal {

// Checks every `key=value` token against `node`; returns one "key: wanted W, got G" line per
// key that does not hold, in token order. Every token is parsed before anything is reported,
// so a malformed one throws ScriptError and nothing is counted.
std::vector<std::string> UnmetExpectations(const NodeView& node, std::span<const Token> key_values);

// "FILE:LINE: expectation failed for node ID" and the lines of UnmetExpectations.
void ReportUnmetExpectations(std::ostream& err, const std::string& file, int line, NodeId id,
                             const std::vector<std::string>& unmet);

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_EXPECTATIONS_H_
