// corosync.conf reader: a line-oriented tokenizer and a small section walker.
#include "sim/corosync_conf.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "sim/internal/conf_keys.h"

namespace quorumsim {

uint64_t TotemConfig::TokenTimeoutMs(size_t nodelist_size) const {
  uint64_t t = token;
  if (nodelist_size > 2) t += static_cast<uint64_t>(nodelist_size - 2) * token_coefficient;
  return t;
}

uint64_t TotemConfig::ConsensusMs(size_t nodelist_size) const {
  if (consensus) return *consensus;
  // corosync computes (int)(float)(1.2 * token_timeout).
  return static_cast<uint64_t>(static_cast<float>(1.2 * static_cast<double>(TokenTimeoutMs(nodelist_size))));
}

std::vector<NodeId> ClusterConfig::node_ids() const {
  std::vector<NodeId> ids;
  ids.reserve(votequorum.nodelist.size());
  for (const auto& n : votequorum.nodelist) ids.push_back(n.node_id);
  return ids;
}

std::vector<NodeId> ClusterConfig::VqsimStartOrder() const {
  std::vector<std::pair<std::string, NodeId>> keyed;
  for (size_t pos = 0; pos < votequorum.nodelist.size(); ++pos) {
    NodeId id = votequorum.nodelist[pos].node_id;
    if (without_ring0_addr.count(id) != 0) continue;
    // The '.' after the position is part of the key: "1." sorts before "10.".
    keyed.emplace_back(std::to_string(pos) + ".", id);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<NodeId> ids;
  for (const auto& k : keyed) ids.push_back(k.second);
  return ids;
}

namespace {

using internal::IntRule;

// corosync reads corosync.conf with fgets into a 512-byte buffer: a line of more than 510
// characters (plus its newline) is "Line too long".
constexpr size_t kMaxLineChars = 510;
// ICMAP_KEYNAME_MAXLEN / ICMAP_KEYNAME_MINLEN: every section path and stored key name must fit.
// Because a section path must stay shorter than this, nesting is at most 127 levels deep.
constexpr size_t kKeyNameMax = 255;
constexpr size_t kKeyNameMin = 3;
// knet's KNET_MAX_HOST: with the default knet transport node ids must be below it.
constexpr uint32_t kKnetMaxHost = 65536;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// coroparse's remove_whitespace: strips blanks at both ends and, when asked, ':' and '{' at
// the end too; like corosync it never strips the first remaining character.
std::string_view RemoveWhitespace(std::string_view s, bool colon_and_brace) {
  size_t b = 0;
  while (b < s.size() && IsBlank(s[b])) ++b;
  s.remove_prefix(b);
  size_t e = s.size();
  while (e > 1 && (IsBlank(s[e - 1]) || (colon_and_brace && (s[e - 1] == ':' || s[e - 1] == '{'))))
    --e;
  return s.substr(0, e);
}

// icmap_is_valid_name_char.
bool ValidNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
}

std::string Printable(std::string_view v) {
  constexpr size_t kShown = 80;  // values can be 500 characters; show the start only
  std::string out;
  for (size_t i = 0; i < v.size() && i < kShown; ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c < 0x20 || c >= 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (v.size() > kShown) out += "...";
  return out;
}

using State = internal::ParserState;
using internal::ParserStateFor;

// Keys of totem.interface that coroparse keeps aside instead of storing under their path.
bool InterfaceKeptKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "linknumber", "bindnetaddr", "mcastaddr", "broadcast", "mcastport", "ttl",
      "knet_link_priority", "knet_ping_interval", "knet_ping_timeout", "knet_ping_precision",
      "knet_pong_count", "knet_transport"};
  for (std::string_view k : kKeys) {
    if (k == key) return true;
  }
  return false;
}

// String values corosync's parser checks against a fixed list.
const std::vector<std::string_view>* AllowedValues(std::string_view full) {
  static const std::vector<std::string_view> kIpVersion = {"ipv4", "ipv6", "ipv6-4", "ipv4-6"};
  static const std::vector<std::string_view> kCipher = {"none", "aes256", "aes192", "aes128"};
  static const std::vector<std::string_view> kHash = {"none", "md5", "sha1", "sha256", "sha384",
                                                      "sha512"};
  static const std::vector<std::string_view> kIpc = {"native", "shm", "socket"};
  static const std::vector<std::string_view> kYesNo = {"yes", "no"};
  static const std::vector<std::string_view> kCgroup = {"yes", "no", "auto"};
  if (full == "totem.ip_version") return &kIpVersion;
  if (full == "totem.crypto_cipher") return &kCipher;
  if (full == "totem.crypto_hash") return &kHash;
  if (full == "system.qb_ipc_type") return &kIpc;
  if (full == "system.sched_rr" || full == "system.allow_knet_handle_fallback") return &kYesNo;
  if (full == "system.move_to_root_cgroup") return &kCgroup;
  return nullptr;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view file) : text_(text), file_(file) {
    bom_ = text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF";
  }

  Status Run(ClusterConfig* out) {
    out_ = out;
    *out = ClusterConfig{};
    size_t pos = 0;
    int line_no = 0;
    while (pos < text_.size()) {
      size_t nl = text_.find('\n', pos);
      if (nl == std::string_view::npos) nl = text_.size();
      ++line_no;
      Status st = Line(text_.substr(pos, nl - pos), line_no);
      if (!st.ok()) return st;
      pos = nl + 1;
    }
    if (!stack_.empty()) {
      return Err(line_no, 1, "end of file inside section '" + Printable(stack_.back().name) +
                                 "' opened at line " + std::to_string(stack_.back().line) +
                                 "; expected '}' (corosync: Missing closing brace)");
    }
    return CheckNodes(line_no);
  }

 private:
  struct Frame {
    std::string name;
    int line;
    size_t path_len;  // length of path_ before this frame was pushed
    State state;
  };
  struct NodeEntry {
    std::optional<uint32_t> id;
    std::optional<uint32_t> votes;
    bool ring0_addr = false;
    int line = 0;
    int id_line = 0;
    size_t id_col = 0;
  };

  Status Err(int line, size_t col, const std::string& what) const {
    std::string msg = std::string(file_) + ":" + std::to_string(line) + ":" +
                      std::to_string(col) + ": " + what;
    if (bom_) {
      msg += " (the file starts with a UTF-8 byte order mark; corosync reads it as part of the "
             "first line, so the file must be saved without one)";
    }
    return Status::InvalidConfig(msg);
  }

  State state() const { return stack_.empty() ? State::kNormal : stack_.back().state; }

  Status Line(std::string_view raw, int line_no) {
    if (raw.size() > kMaxLineChars) {
      return Err(line_no, kMaxLineChars + 1,
                 "line too long: " + std::to_string(raw.size()) +
                     " characters; corosync reads at most " + std::to_string(kMaxLineChars) +
                     " per line");
    }
    size_t nul = raw.find('\0');
    if (nul != std::string_view::npos) {
      return Err(line_no, nul + 1, "NUL byte in the line (a corosync.conf is text)");
    }
    std::string_view s = raw;
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
    size_t first = 0;
    while (first < s.size() && IsBlank(s[first])) ++first;
    if (first == s.size() || s[first] == '#') return Status::Ok();
    const size_t col = first + 1;

    // corosync tests for '{' first, then ':', then '}', each anywhere in the line.
    size_t brace = s.find('{');
    if (brace != std::string_view::npos) {
      std::string_view name = RemoveWhitespace(s.substr(0, brace), true);
      std::string_view after = RemoveWhitespace(s.substr(brace + 1), false);
      if (name.empty()) {
        return Err(line_no, col, "expected a section name before '{' "
                                 "(corosync: Missing section name before opening bracket '{')");
      }
      if (!after.empty()) {
        size_t at = brace + 1;
        while (IsBlank(s[at])) ++at;  // `after` is not empty, so a non-blank follows
        return Err(line_no, at + 1,
                   "extra characters after '{': '" + Printable(after) +
                       "' (corosync: Extra characters after opening bracket '{'); a section's "
                       "keys go on their own lines, e.g. `" + Printable(name) +
                       " {` / `nodeid: 3` / `}`");
      }
      return Open(name, line_no, col);
    }
    size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      std::string_view key = RemoveWhitespace(s.substr(0, colon), true);
      size_t vstart = colon + 1;
      while (vstart < s.size() && IsBlank(s[vstart])) ++vstart;
      std::string_view value = RemoveWhitespace(s.substr(vstart), false);
      return Key(key, value, line_no, col, vstart + 1);
    }
    if (s.find('}') != std::string_view::npos) {
      if (RemoveWhitespace(s, false) != "}") {
        return Err(line_no, col, "expected '}' alone on its line, got '" + Printable(s.substr(first)) +
                                     "' (corosync: Extra characters before or after closing "
                                     "bracket '}')");
      }
      return Close(line_no, col);
    }
    return Err(line_no, col, "expected 'key: value', 'name {' or '}', got '" +
                                 Printable(s.substr(first)) + "'");
  }

  Status Open(std::string_view name, int line_no, size_t col) {
    if (path_.size() + name.size() + 1 >= kKeyNameMax) {
      return Err(line_no, col,
                 "section '" + Printable(name) + "' makes its path longer than corosync's " +
                     std::to_string(kKeyNameMax - 1) + "-character limit for key paths " +
                     "(nesting depth " + std::to_string(stack_.size() + 1) + ")");
    }
    if (state() == State::kNode) {
      // corosync 3.1.7 accepts this but files the inner section's keys under the next node
      // and skips a node number, silently changing the nodelist; refuse rather than guess.
      return Err(line_no, col,
                 "section '" + Printable(name) + "' inside a node section (opened at line " +
                     std::to_string(node_.line) +
                     "); a node's keys must be directly in it and node sections must not nest");
    }
    Frame f{std::string(name), line_no, path_.size(), State::kNormal};
    if (!path_.empty()) path_ += '.';
    path_ += name;
    f.state = ParserStateFor(path_, state());
    if (f.state == State::kNode && path_ == "nodelist.node") {
      node_ = NodeEntry{};
      node_.line = line_no;
    }
    if (path_ == "nodelist" && nodelist_line_ == 0) nodelist_line_ = line_no;
    out_->entries.push_back({ConfEntry::Kind::kSectionStart, path_, "", "", line_no});
    stack_.push_back(std::move(f));
    return Status::Ok();
  }

  Status Close(int line_no, size_t col) {
    if (stack_.empty()) {
      return Err(line_no, col, "unexpected '}' with no open section "
                               "(corosync: Unexpected closing brace)");
    }
    const Frame& f = stack_.back();
    State st = f.state;
    if (st == State::kLoggerSubsys && !logger_subsys_seen_) {
      return Err(line_no, col, "logger_subsys section opened at line " + std::to_string(f.line) +
                                   " has no 'subsys' key (corosync: No subsys key in "
                                   "logger_subsys directive)");
    }
    if (st == State::kLoggerSubsys) logger_subsys_seen_ = false;
    if (st == State::kLoggingDaemon) {
      if (!logging_daemon_name_) {
        return Err(line_no, col, "logging_daemon section opened at line " +
                                     std::to_string(f.line) +
                                     " has no 'name' key (corosync: No name key in "
                                     "logging_daemon directive)");
      }
      logging_daemon_name_ = false;
    }
    out_->entries.push_back({ConfEntry::Kind::kSectionEnd, path_, "", "", line_no});
    path_.resize(f.path_len);
    stack_.pop_back();
    if (st == State::kNode) nodes_.push_back(node_);
    return Status::Ok();
  }

  Status IntErr(int line_no, size_t col, const std::string& full, const IntRule& r,
                std::string_view value) const {
    std::string range = r.unsigned_64 ? std::string("0..18446744073709551615")
                                      : std::to_string(r.min) + ".." + std::to_string(r.max);
    return Err(line_no, col, "expected an integer in " + range + " for '" + Printable(full) +
                                 "', got '" + Printable(value) + "'");
  }

  Status Key(std::string_view key, std::string_view value, int line_no, size_t col,
             size_t vcol) {
    if (path_.size() + key.size() + 1 >= kKeyNameMax) {
      return Err(line_no, col, "key '" + Printable(key) + "' makes its path longer than "
                               "corosync's " + std::to_string(kKeyNameMax - 1) +
                               "-character limit for key paths");
    }
    const std::string full = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    const State st = state();
    const bool in_node = st == State::kNode;

    std::optional<IntRule> rule = internal::IntRuleFor(path_, key, in_node);
    int64_t number = 0;
    if (rule && !internal::ParseCorosyncInt(value, *rule, &number)) {
      return IntErr(line_no, vcol, full, *rule, value);
    }
    if (const auto* allowed = AllowedValues(full)) {
      bool ok = false;
      std::string list;
      for (std::string_view a : *allowed) {
        ok = ok || a == value;
        list += (list.empty() ? "" : ", ") + std::string(a);
      }
      if (!ok) {
        return Err(line_no, vcol, "expected one of " + list + " for '" + full + "', got '" +
                                      Printable(value) + "'");
      }
    }

    // Where corosync stores the key decides whether its name is checked (icmap_set).
    std::string stored;
    switch (st) {
      case State::kNode:
        stored = "nodelist.node." + std::to_string(nodes_.size()) + "." + std::string(key);
        break;
      case State::kInterface:
        if (path_ != "totem.interface" || !InterfaceKeptKey(key)) stored = full;
        break;
      case State::kMember:
        if (key != "memberaddr") {
          return Err(line_no, col, "only 'memberaddr' is allowed in a member section, got '" +
                                       Printable(key) + "'");
        }
        break;
      case State::kLoggerSubsys:
      case State::kLoggingDaemon:
        if (key == "subsys") logger_subsys_seen_ = true;
        if (key == "name" && st == State::kLoggingDaemon) logging_daemon_name_ = true;
        break;
      case State::kUidgid:
        if (key != "uid" && key != "gid") {
          return Err(line_no, col, "only 'uid' and 'gid' are allowed in the uidgid section, got '" +
                                       Printable(key) + "'");
        }
        break;
      default:
        stored = full;
    }
    if (!stored.empty()) {
      bool valid = stored.size() >= kKeyNameMin && stored.size() <= kKeyNameMax;
      for (char c : stored) valid = valid && ValidNameChar(c);
      if (!valid) {
        return Err(line_no, col,
                   "invalid key name '" + Printable(stored) +
                       "': corosync key paths are 3 to 255 characters of a-z A-Z 0-9 . _ - / :");
      }
    }

    std::string w = internal::UnknownKeyWarning(path_, key);
    if (!w.empty()) {
      out_->warnings.push_back(std::string(file_) + ":" + std::to_string(line_no) + ":" +
                               std::to_string(col) + ": warning: " + w);
    }
    out_->entries.push_back(
        {ConfEntry::Kind::kKey, path_, std::string(key), std::string(value), line_no});
    return Use(key, value, number, line_no, vcol);
  }

  // Takes the keys quorumsim simulates into the config; the syntax was checked above.
  Status Use(std::string_view key, std::string_view value, int64_t number, int line_no,
             size_t col) {
    VotequorumConfig& q = out_->votequorum;
    TotemConfig& t = out_->totem;
    const uint32_t n = static_cast<uint32_t>(number);
    if (path_ == "totem") {
      if (key == "token") t.token = n;
      if (key == "token_coefficient") t.token_coefficient = n;
      if (key == "consensus") t.consensus = n;
      if (key == "join") t.join = n;
      if (key == "merge") t.merge = n;
      if (key == "transport") {
        transport_ = std::string(value);
      }
      return Status::Ok();
    }
    if (path_ == "nodelist.node") {
      if (key == "ring0_addr") node_.ring0_addr = true;
      if (key == "nodeid") {
        node_.id = n;
        node_.id_line = line_no;
        node_.id_col = col;
      }
      if (key == "quorum_votes") node_.votes = n;
      return Status::Ok();
    }
    if (path_ == "quorum") {
      if (key == "expected_votes") q.expected_votes = n;
      if (key == "votes") q.votes = n;
      if (key == "two_node") q.two_node = n;
      if (key == "wait_for_all") q.wait_for_all = n;
      if (key == "last_man_standing") q.last_man_standing = n;
      if (key == "last_man_standing_window") q.last_man_standing_window = n;
      if (key == "auto_tie_breaker") q.auto_tie_breaker = n;
      if (key == "auto_tie_breaker_node") q.auto_tie_breaker_node = std::string(value);
      if (key == "allow_downscale") q.allow_downscale = n;
      if (key == "expected_votes_tracking") q.expected_votes_tracking = n;
      if (key == "provider" && value != "corosync_votequorum") {
        return Err(line_no, col, "expected 'corosync_votequorum' for quorum.provider, got '" +
                                     Printable(value) + "' (quorumsim simulates votequorum only)");
      }
      return Status::Ok();
    }
    if (path_ == "quorum.device") {
      if (key == "model") q.device_model = std::string(value);
      if (key == "votes") q.device_votes = n;
      if (key == "timeout") q.device_timeout = n;
      if (key == "sync_timeout") q.device_sync_timeout = n;
    }
    return Status::Ok();
  }

  // What corosync's totemconfig checks on the nodelist after parsing, plus what the
  // simulator itself needs (an explicit id for every node).
  Status CheckNodes(int last_line) {
    if (nodes_.empty()) {
      if (nodelist_line_ == 0) {
        return Err(last_line, 1, "no nodelist section: the cluster has no nodes "
                                 "(corosync: No interfaces defined)");
      }
      return Err(nodelist_line_, 1, "the nodelist has no node sections, so the cluster has no "
                                    "nodes (corosync: No interfaces defined)");
    }
    const bool knet = transport_.empty() || transport_ == "knet";
    std::set<NodeId> ids;
    for (const NodeEntry& e : nodes_) {
      if (!e.id || *e.id == 0) {
        std::string why = knet ? "corosync's knet transport requires an explicit nodeid"
                               : "quorumsim needs an explicit nodeid for every node";
        return Err(e.line, 1, "node section has no nonzero 'nodeid' (" + why +
                                  "; write 'nodeid: N' with N in 1.." +
                                  std::to_string(knet ? kKnetMaxHost - 1 : UINT32_MAX) + ")");
      }
      if (knet && *e.id >= kKnetMaxHost) {
        return Err(e.id_line, e.id_col,
                   "node id " + std::to_string(*e.id) + " is too large: with the knet "
                   "transport corosync 3 requires node ids below " +
                       std::to_string(kKnetMaxHost) + " (1.." + std::to_string(kKnetMaxHost - 1) +
                       ")");
      }
      if (!ids.insert(*e.id).second) {
        return Err(e.id_line, e.id_col, "duplicate node id " + std::to_string(*e.id) +
                                            " (corosync: Nodeid " + std::to_string(*e.id) +
                                            " appears twice in corosync.conf)");
      }
      if (out_->votequorum.nodelist.size() >= static_cast<size_t>(kMaxNodes)) {
        return Err(e.line, 1, "too many nodes: corosync supports at most " +
                                  std::to_string(kMaxNodes));
      }
      VotequorumConfig::Node n;
      n.node_id = *e.id;
      n.quorum_votes = e.votes;
      out_->votequorum.nodelist.push_back(n);
      if (!e.ring0_addr) out_->without_ring0_addr.insert(n.node_id);
    }
    return Status::Ok();
  }

  std::string_view text_;
  std::string_view file_;
  bool bom_ = false;
  ClusterConfig* out_ = nullptr;
  std::vector<Frame> stack_;
  std::string path_;  // dotted path of the open sections, kept incrementally (linear time)
  NodeEntry node_;
  std::vector<NodeEntry> nodes_;
  int nodelist_line_ = 0;
  std::string transport_;
  bool logger_subsys_seen_ = false;
  bool logging_daemon_name_ = false;
};

}  // namespace

Status ParseCorosyncConf(std::string_view text, std::string_view filename, ClusterConfig* out) {
  Parser p(text, filename);
  return p.Run(out);
}

Status LoadCorosyncConf(const std::string& path, ClusterConfig* out) {
  std::string text;
  Status st = ReadConfFile(path, &text);
  if (!st.ok()) return st;
  return ParseCorosyncConf(text, path, out);
}

Status ReadConfFile(const std::string& path, std::string* text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot open corosync.conf '" + path + "': " + std::strerror(errno));
  }
  text->clear();
  char buf[65536];
  Status st;
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // A directory opens fine and fails here with EISDIR.
      st = Status::IoError("cannot read corosync.conf '" + path + "': " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    if (text->size() + static_cast<size_t>(n) > kMaxConfBytes) {
      st = Status::InvalidConfig("corosync.conf '" + path + "' is larger than " +
                                 std::to_string(kMaxConfBytes) +
                                 " bytes (quorumsim's limit for a configuration file)");
      break;
    }
    text->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (!st.ok()) text->clear();
  return st;
}

}  // namespace quorumsim
