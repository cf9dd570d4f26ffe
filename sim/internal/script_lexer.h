// The words of a quorumsim script line: tokens with their columns, and the argument forms
// commands share (numbers, durations, on/off, node lists "[P:]id[,id...]").
//
// Parsers throw ScriptError; ScriptRunner turns it into "file:line:col: error: msg".
#ifndef QUORUMSIM_SIM_INTERNAL_SCRIPT_LEXER_H_
#define QUORUMSIM_SIM_INTERNAL_SCRIPT_LEXER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster.h"  // NodeId, PartitionId

namespace quorumsim::internal {

struct Token {
  std::string text;
  size_t col = 1;  // 1-based column in the line
};

// Thrown while one command runs; caught by the line loop (never crosses the API).
struct ScriptError {
  size_t col;
  std::string msg;
};

// Whitespace-separated words of `line`.
std::vector<Token> Tokenize(std::string_view line);

// True for a line holding a command (not blank, not a comment).
bool IsCommand(const std::vector<Token>& tokens);

// Commands and keywords are case-insensitive.
std::string Lower(std::string s);

// `what` names the expected thing in the message: "expected <what>, got '<s>'".
uint64_t ParseU64(std::string_view s, size_t col, const std::string& what, int base = 10);
uint32_t ParseU32(std::string_view s, size_t col, const std::string& what, int base = 10);

// "1500ms", "12s", "2m", "1h", or a plain number of milliseconds.
uint64_t ParseDuration(const Token& t);

// "on" or "off".
bool ParseOnOff(const Token& t);
// "1" or "0" (or "on" or "off").
bool Parse01(const Token& t);

struct NodeGroup {
  std::optional<PartitionId> partition;
  std::vector<NodeId> ids;
};

// "[P:]id[,id...]"; node id 0 is refused.
NodeGroup ParseGroup(const Token& t);

// The ids as text, separated by `sep` (',' writes a node list back, ' ' a status line's).
std::string JoinIds(const std::vector<NodeId>& ids, char sep);

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_SCRIPT_LEXER_H_
