// Key tables taken from corosync 3.1.7's exec/coroparse.c (main_config_parser_cb) and the
// key lists of its corosync.conf(5) and votequorum(5) manual pages.
#include "sim/internal/conf_keys.h"

#include <algorithm>
#include <array>
#include <climits>
#include <vector>

namespace quorumsim::internal {
namespace {

constexpr IntRule kU8{0, UINT8_MAX, false, IntKind::kU8};
constexpr IntRule kU16{0, UINT16_MAX, false, IntKind::kU16};
constexpr IntRule kU32{0, UINT32_MAX, false, IntKind::kU32};
constexpr IntRule kI32{INT32_MIN, INT32_MAX, false, IntKind::kI32};
constexpr IntRule kU64{0, 0, true, IntKind::kU64};

struct PathRule {
  std::string_view path;  // full dotted key path
  IntRule rule;
};

// Keys corosync converts by their full path (any other key is stored as a string).
constexpr std::array kPathRules = {
    PathRule{"quorum.expected_votes", kU32}, PathRule{"quorum.votes", kU32},
    PathRule{"quorum.last_man_standing_window", kU32}, PathRule{"quorum.leaving_timeout", kU32},
    PathRule{"quorum.two_node", kU8}, PathRule{"quorum.expected_votes_tracking", kU8},
    PathRule{"quorum.allow_downscale", kU8}, PathRule{"quorum.wait_for_all", kU8},
    PathRule{"quorum.auto_tie_breaker", kU8}, PathRule{"quorum.last_man_standing", kU8},
    PathRule{"quorum.device.timeout", kU32}, PathRule{"quorum.device.sync_timeout", kU32},
    PathRule{"quorum.device.votes", kU32}, PathRule{"quorum.device.master_wins", kU8},
    PathRule{"totem.version", kU32}, PathRule{"totem.nodeid", kU32},
    PathRule{"totem.threads", kU32}, PathRule{"totem.token", kU32},
    PathRule{"totem.token_coefficient", kU32}, PathRule{"totem.token_retransmit", kU32},
    PathRule{"totem.token_warning", kU32}, PathRule{"totem.hold", kU32},
    PathRule{"totem.token_retransmits_before_loss_const", kU32}, PathRule{"totem.join", kU32},
    PathRule{"totem.send_join", kU32}, PathRule{"totem.consensus", kU32},
    PathRule{"totem.merge", kU32}, PathRule{"totem.downcheck", kU32},
    PathRule{"totem.fail_recv_const", kU32}, PathRule{"totem.seqno_unchanged_const", kU32},
    PathRule{"totem.rrp_token_expired_timeout", kU32},
    PathRule{"totem.rrp_problem_count_timeout", kU32},
    PathRule{"totem.rrp_problem_count_threshold", kU32},
    PathRule{"totem.rrp_problem_count_mcast_threshold", kU32},
    PathRule{"totem.rrp_autorecovery_check_timeout", kU32},
    PathRule{"totem.heartbeat_failures_allowed", kU32},
    PathRule{"totem.max_network_delay", kU32}, PathRule{"totem.window_size", kU32},
    PathRule{"totem.max_messages", kU32}, PathRule{"totem.miss_count_const", kU32},
    PathRule{"totem.knet_pmtud_interval", kU32}, PathRule{"totem.knet_mtu", kU32},
    PathRule{"totem.knet_compression_threshold", kU32}, PathRule{"totem.netmtu", kU32},
    PathRule{"totem.knet_compression_level", kI32}, PathRule{"totem.config_version", kU64},
    PathRule{"totem.interface.linknumber", kU8}, PathRule{"totem.interface.mcastport", kU16},
    PathRule{"totem.interface.ttl", kU8}, PathRule{"totem.interface.knet_link_priority", kU8},
    PathRule{"totem.interface.knet_ping_interval", kU32},
    PathRule{"totem.interface.knet_ping_timeout", kU32},
    PathRule{"totem.interface.knet_ping_precision", kU32},
    PathRule{"totem.interface.knet_pong_count", kU32},
};

constexpr std::array<std::string_view, 40> kTotemKeys = {
    "version", "clear_node_high_bit", "crypto_model", "crypto_hash", "crypto_cipher",
    "secauth", "keyfile", "key", "link_mode", "netmtu", "transport", "cluster_name",
    "config_version", "ip_version", "token", "token_warning", "token_coefficient",
    "token_retransmit", "knet_compression_model", "knet_compression_threshold",
    "knet_compression_level", "hold", "token_retransmits_before_loss_const", "join",
    "send_join", "consensus", "merge", "downcheck", "fail_recv_const", "seqno_unchanged_const",
    "heartbeat_failures_allowed", "max_network_delay", "window_size", "max_messages",
    "miss_count_const", "knet_pmtud_interval", "knet_mtu", "block_unlisted_ips",
    "cancel_token_hold_on_retransmit", "nodeid"};
// Read by corosync's code although the 3.1 manual no longer lists them.
constexpr std::array<std::string_view, 6> kTotemCodeKeys = {
    "threads", "rrp_token_expired_timeout", "rrp_problem_count_timeout",
    "rrp_problem_count_threshold", "rrp_problem_count_mcast_threshold",
    "rrp_autorecovery_check_timeout"};
constexpr std::array<std::string_view, 12> kQuorumKeys = {
    "provider", "expected_votes", "votes", "two_node", "wait_for_all", "last_man_standing",
    "last_man_standing_window", "auto_tie_breaker", "auto_tie_breaker_node", "allow_downscale",
    "expected_votes_tracking", "leaving_timeout"};
constexpr std::array<std::string_view, 11> kNodeKeys = {
    "nodeid", "name", "quorum_votes", "ring0_addr", "ring1_addr", "ring2_addr", "ring3_addr",
    "ring4_addr", "ring5_addr", "ring6_addr", "ring7_addr"};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

template <typename... Lists>
std::string Check(std::string_view section, std::string_view key, const Lists&... lists) {
  bool known = false;
  ((known = known || std::find(lists.begin(), lists.end(), key) != lists.end()), ...);
  if (known) return "";
  // Keys are short; a long key can only be compared against the tables at bounded cost.
  std::string_view best;
  size_t best_d = SIZE_MAX;
  if (key.size() <= 64) {
    auto scan = [&](const auto& list) {
      for (std::string_view k : list) {
        size_t d = EditDistance(key, k);
        if (d < best_d) {
          best_d = d;
          best = k;
        }
      }
    };
    (scan(lists), ...);
  }
  std::string w = "unknown key '" + std::string(key) + "' in section '" + std::string(section) +
                  "' (corosync 3.1.7 does not use it)";
  // Two edits catch a doubled, dropped or swapped letter without suggesting unrelated keys.
  if (best_d <= 2 && best_d < key.size()) w += "; did you mean `" + std::string(best) + "`?";
  return w;
}

}  // namespace

ParserState ParserStateFor(std::string_view path, ParserState inherited) {
  if (path == "totem") return ParserState::kTotem;
  if (path == "totem.interface") return ParserState::kInterface;
  if (path == "totem.interface.member") return ParserState::kMember;
  if (path == "system") return ParserState::kSystem;
  if (path == "logging.logger_subsys") return ParserState::kLoggerSubsys;
  if (path == "logging.logging_daemon") return ParserState::kLoggingDaemon;
  if (path == "uidgid") return ParserState::kUidgid;
  if (path == "quorum") return ParserState::kQuorum;
  if (path == "quorum.device") return ParserState::kQdevice;
  if (path == "nodelist") return ParserState::kNodelist;
  if (path == "nodelist.node") return ParserState::kNode;
  if (path == "resources") return ParserState::kResources;
  return inherited;
}

std::optional<IntRule> IntRuleFor(std::string_view path, std::string_view key, bool node_state) {
  if (node_state) {
    if (key == "nodeid" || key == "quorum_votes") return kU32;
    return std::nullopt;
  }
  // resources: coroparse compares the key alone. Its state is chosen by the second path
  // component (system / process, else the `resources` state, inherited by other subsections).
  if (path == "resources" || path.rfind("resources.", 0) == 0) {
    std::string_view second = path.size() > 10 ? path.substr(10) : std::string_view();
    second = second.substr(0, second.find('.'));
    bool sys_or_proc = second == "system" || second == "process";
    if (!sys_or_proc && key == "watchdog_timeout") return kU32;
    if (sys_or_proc && key == "poll_period") return kU64;
    return std::nullopt;
  }
  // coroparse compares the whole path with fixed names inside the named section's own state,
  // so "device.votes" written inside quorum { } (quorum state) stays a string.
  if (key.find('.') != std::string_view::npos) return std::nullopt;
  for (const PathRule& r : kPathRules) {
    if (r.path.size() == path.size() + 1 + key.size() && r.path.substr(0, path.size()) == path &&
        r.path[path.size()] == '.' && r.path.substr(path.size() + 1) == key) {
      return r.rule;
    }
  }
  return std::nullopt;
}

bool ParseCorosyncInt(std::string_view value, const IntRule& rule, int64_t* out) {
  size_t i = 0;
  // strtoll skips isspace() characters.
  while (i < value.size() && (value[i] == ' ' || (value[i] >= '\t' && value[i] <= '\r'))) ++i;
  bool neg = false;
  if (i < value.size() && (value[i] == '+' || value[i] == '-')) neg = value[i++] == '-';
  size_t digits = i;
  // Accumulate as unsigned 64-bit and stop at overflow (strtoll's ERANGE).
  uint64_t v = 0;
  const uint64_t limit = rule.unsigned_64 ? UINT64_MAX : (neg ? uint64_t{1} << 63 : INT64_MAX);
  while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
    uint64_t d = static_cast<uint64_t>(value[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
    ++i;
  }
  if (i == digits || i != value.size()) return false;
  if (rule.unsigned_64) {
    // str_to_ull negates in unsigned arithmetic: "-1" is 2^64-1; the caller only needs
    // to know that corosync accepts it.
    *out = 0;
    return true;
  }
  int64_t s = neg ? (v == (uint64_t{1} << 63) ? INT64_MIN : -static_cast<int64_t>(v))
                  : static_cast<int64_t>(v);
  if (s < rule.min || s > rule.max) return false;
  *out = s;
  return true;
}

bool ParseCorosyncU64(std::string_view value, uint64_t* out) {
  size_t i = 0;
  while (i < value.size() && (value[i] == ' ' || (value[i] >= '\t' && value[i] <= '\r'))) ++i;
  bool neg = false;
  if (i < value.size() && (value[i] == '+' || value[i] == '-')) neg = value[i++] == '-';
  const size_t digits = i;
  uint64_t v = 0;
  while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
    const uint64_t d = static_cast<uint64_t>(value[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;  // strtoull's ERANGE
    v = v * 10 + d;
    ++i;
  }
  if (i == digits || i != value.size()) return false;
  // strtoull negates in unsigned arithmetic.
  *out = neg ? uint64_t{0} - v : v;
  return true;
}

std::string UnknownKeyWarning(std::string_view path, std::string_view key) {
  if (path == "totem") return Check(path, key, kTotemKeys, kTotemCodeKeys);
  if (path == "quorum") return Check(path, key, kQuorumKeys);
  if (path == "nodelist") return Check(path, key, std::array<std::string_view, 0>{});
  if (path == "nodelist.node") return Check(path, key, kNodeKeys);
  return "";
}

}  // namespace quorumsim::internal
