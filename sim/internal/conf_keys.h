// What corosync 3.1.7 knows about individual corosync.conf keys: which values its parser
// checks as integers (and in which range), and which key names it documents, so that a
// misspelt key can be reported with the nearest valid one.
#ifndef QUORUMSIM_SIM_INTERNAL_CONF_KEYS_H_
#define QUORUMSIM_SIM_INTERNAL_CONF_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace quorumsim::internal {

// coroparse's parser states; a subsection inherits its parent's state unless its own path
// names one (main_config_parser_cb, PARSER_CB_SECTION_START).
enum class ParserState { kNormal, kTotem, kInterface, kMember, kSystem, kLoggerSubsys,
                         kLoggingDaemon, kUidgid, kQuorum, kQdevice, kNodelist, kNode, kResources };

// The state of a section opened at dotted `path` inside a section in state `inherited`.
ParserState ParserStateFor(std::string_view path, ParserState inherited);

// The integer type coroparse stores a converted value as.
enum class IntKind : uint8_t { kU8, kU16, kU32, kI32, kU64 };

// How coroparse.c converts a value: a signed range checked after strtoll (safe_atoq), or
// strtoull without a range (str_to_ull, which also accepts a leading '-').
struct IntRule {
  int64_t min;
  int64_t max;
  bool unsigned_64 = false;
  IntKind kind = IntKind::kU32;
};

// The rule corosync applies to `key` (its last component) in the section at `path`
// (dotted, e.g. "quorum.device"), or nullopt when corosync stores the value as a string.
// `node_state` is true anywhere inside nodelist.node, where corosync compares the key alone.
std::optional<IntRule> IntRuleFor(std::string_view path, std::string_view key, bool node_state);

// corosync's safe_atoq/str_to_ull: optional leading white space and sign, decimal digits,
// nothing after them, within the rule's range. Returns false when corosync would reject it.
bool ParseCorosyncInt(std::string_view value, const IntRule& rule, int64_t* out);

// str_to_ull's value: strtoull, so "-1" is 18446744073709551615. False when corosync
// would reject the text.
bool ParseCorosyncU64(std::string_view value, uint64_t* out);

// For the sections whose keys corosync documents (totem, quorum, nodelist, nodelist.node):
// empty when `key` is known there (or the section is not one of those); otherwise a
// warning text, with "did you mean `X`?" when a known key is close.
std::string UnknownKeyWarning(std::string_view path, std::string_view key);

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_CONF_KEYS_H_
