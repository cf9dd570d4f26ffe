// corosync.conf reader: a line-oriented tokenizer and a small section walker.
#include "sim/corosync_conf.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

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

std::string_view Trim(std::string_view s, size_t* lead = nullptr) {
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  size_t e = s.size();
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  if (lead) *lead = b;
  return s.substr(b, e - b);
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  Status Run(ClusterConfig* out) {
    out_ = out;
    *out = ClusterConfig{};
    size_t pos = 0;
    int line_no = 0;
    while (pos <= text_.size()) {
      size_t nl = text_.find('\n', pos);
      if (nl == std::string_view::npos) nl = text_.size();
      std::string_view raw = text_.substr(pos, nl - pos);
      ++line_no;
      Status st = Line(raw, line_no);
      if (!st.ok()) return st;
      if (nl == text_.size()) break;
      pos = nl + 1;
    }
    if (!stack_.empty()) {
      return Err(line_no, 1, "end of file inside section '" + stack_.back().name +
                                 "' opened at line " + std::to_string(stack_.back().line) +
                                 "; expected '}'");
    }
    if (out_->votequorum.nodelist.size() > static_cast<size_t>(kMaxNodes)) {
      return Status::InvalidConfig(std::string(file_) + ": nodelist has " +
                                   std::to_string(out_->votequorum.nodelist.size()) +
                                   " nodes; corosync supports at most " +
                                   std::to_string(kMaxNodes));
    }
    return Status::Ok();
  }

 private:
  struct Frame {
    std::string name;
    int line;
  };

  Status Err(int line, size_t col, const std::string& what) const {
    return Status::InvalidConfig(std::string(file_) + ":" + std::to_string(line) + ":" +
                                 std::to_string(col) + ": " + what);
  }

  std::string Path() const {
    std::string p;
    for (const auto& f : stack_) {
      if (!p.empty()) p += '.';
      p += f.name;
    }
    return p;
  }

  Status Line(std::string_view raw, int line_no) {
    size_t lead = 0;
    std::string_view s = Trim(raw, &lead);
    if (s.empty() || s[0] == '#') return Status::Ok();
    size_t col = lead + 1;
    if (s == "}") return Close(line_no, col);
    if (s.back() == '{') {
      std::string_view name = Trim(s.substr(0, s.size() - 1));
      if (name.empty()) return Err(line_no, col, "expected a section name before '{'");
      for (char c : name) {
        if (c == ' ' || c == '\t' || c == ':' || c == '{' || c == '}') {
          return Err(line_no, col, "expected a section name (one word) before '{', got '" +
                                       std::string(name) + "'");
        }
      }
      return Open(std::string(name), line_no);
    }
    size_t colon = s.find(':');
    if (colon == std::string_view::npos) {
      return Err(line_no, col, "expected 'key: value', 'name {' or '}', got '" +
                                   std::string(s) + "'");
    }
    std::string_view key = Trim(s.substr(0, colon));
    size_t vlead = 0;
    std::string_view value = Trim(s.substr(colon + 1), &vlead);
    size_t vcol = col + colon + 1 + vlead;
    if (key.empty()) return Err(line_no, col, "expected a key before ':'");
    if (stack_.empty()) {
      return Err(line_no, col, "key '" + std::string(key) + "' outside any section");
    }
    return Key(std::string(key), value, line_no, vcol);
  }

  Status Open(std::string name, int line_no) {
    std::string path = Path();
    if (path == "nodelist" && name == "node") {
      in_node_ = true;
      node_ = NodeEntry{};
      node_.line = line_no;
    }
    stack_.push_back(Frame{std::move(name), line_no});
    return Status::Ok();
  }

  Status Close(int line_no, size_t col) {
    if (stack_.empty()) return Err(line_no, col, "unexpected '}' with no open section");
    std::string path = Path();
    stack_.pop_back();
    if (path == "nodelist.node") {
      in_node_ = false;
      if (!node_.id) {
        return Err(node_.line, 1, "node section has no 'nodeid' (expected 'nodeid: N')");
      }
      if (!ids_.insert(*node_.id).second) {
        return Err(node_.id_line, node_.id_col,
                   "duplicate node id " + std::to_string(*node_.id));
      }
      if (out_->votequorum.nodelist.size() >= static_cast<size_t>(kMaxNodes)) {
        return Err(node_.line, 1, "too many nodes: corosync supports at most " +
                                      std::to_string(kMaxNodes));
      }
      VotequorumConfig::Node n;
      n.node_id = *node_.id;
      n.quorum_votes = node_.votes;
      out_->votequorum.nodelist.push_back(n);
      if (!node_.ring0_addr) out_->without_ring0_addr.insert(n.node_id);
    }
    return Status::Ok();
  }

  Status Num(std::string_view value, int line_no, size_t col, const std::string& key,
             uint32_t* out) const {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (value.empty() || ec != std::errc() || p != value.data() + value.size() ||
        v > UINT32_MAX) {
      return Err(line_no, col, "expected an unsigned 32-bit integer for '" + key + "', got '" +
                                   std::string(value) + "'");
    }
    *out = static_cast<uint32_t>(v);
    return Status::Ok();
  }

  Status Opt(std::string_view value, int line_no, size_t col, const std::string& key,
             std::optional<uint32_t>* out) const {
    uint32_t v = 0;
    Status st = Num(value, line_no, col, key, &v);
    if (st.ok()) *out = v;
    return st;
  }

  Status Key(const std::string& key, std::string_view value, int line_no, size_t col) {
    const std::string path = Path();
    const std::string full = path + "." + key;
    VotequorumConfig& q = out_->votequorum;
    TotemConfig& t = out_->totem;
    if (path == "totem") {
      if (key == "token") return Num(value, line_no, col, full, &t.token);
      if (key == "token_coefficient") return Num(value, line_no, col, full, &t.token_coefficient);
      if (key == "consensus") return Opt(value, line_no, col, full, &t.consensus);
      if (key == "join") return Num(value, line_no, col, full, &t.join);
      if (key == "merge") return Num(value, line_no, col, full, &t.merge);
      return Status::Ok();
    }
    if (path == "nodelist.node" && in_node_) {
      if (key == "nodeid") {
        uint32_t id = 0;
        Status st = Num(value, line_no, col, full, &id);
        if (!st.ok()) return st;
        if (id == 0) return Err(line_no, col, "node id 0 is reserved; expected 1..4294967295");
        node_.id = id;
        node_.id_line = line_no;
        node_.id_col = col;
        return Status::Ok();
      }
      if (key == "quorum_votes") return Opt(value, line_no, col, full, &node_.votes);
      if (key == "ring0_addr") node_.ring0_addr = true;
      return Status::Ok();
    }
    if (path == "quorum") {
      if (key == "expected_votes") return Opt(value, line_no, col, full, &q.expected_votes);
      if (key == "votes") return Opt(value, line_no, col, full, &q.votes);
      if (key == "two_node") return Opt(value, line_no, col, full, &q.two_node);
      if (key == "wait_for_all") return Opt(value, line_no, col, full, &q.wait_for_all);
      if (key == "last_man_standing") return Opt(value, line_no, col, full, &q.last_man_standing);
      if (key == "last_man_standing_window")
        return Opt(value, line_no, col, full, &q.last_man_standing_window);
      if (key == "auto_tie_breaker") return Opt(value, line_no, col, full, &q.auto_tie_breaker);
      if (key == "auto_tie_breaker_node") {
        q.auto_tie_breaker_node = std::string(value);
        return Status::Ok();
      }
      if (key == "allow_downscale") return Opt(value, line_no, col, full, &q.allow_downscale);
      if (key == "expected_votes_tracking")
        return Opt(value, line_no, col, full, &q.expected_votes_tracking);
      if (key == "provider") {
        if (value != "corosync_votequorum") {
          return Err(line_no, col, "expected 'corosync_votequorum' for quorum.provider, got '" +
                                       std::string(value) + "'");
        }
        return Status::Ok();
      }
      return Status::Ok();
    }
    if (path == "quorum.device") {
      if (key == "model") {
        q.device_model = std::string(value);
        return Status::Ok();
      }
      if (key == "votes") return Opt(value, line_no, col, full, &q.device_votes);
      if (key == "timeout") return Opt(value, line_no, col, full, &q.device_timeout);
      if (key == "sync_timeout") return Opt(value, line_no, col, full, &q.device_sync_timeout);
      return Status::Ok();
    }
    return Status::Ok();
  }

  struct NodeEntry {
    std::optional<uint32_t> id;
    std::optional<uint32_t> votes;
    bool ring0_addr = false;
    int line = 0;
    int id_line = 0;
    size_t id_col = 0;
  };

  std::string_view text_;
  std::string_view file_;
  ClusterConfig* out_ = nullptr;
  std::vector<Frame> stack_;
  bool in_node_ = false;
  NodeEntry node_;
  std::set<NodeId> ids_;
};

}  // namespace

Status ParseCorosyncConf(std::string_view text, std::string_view filename, ClusterConfig* out) {
  Parser p(text, filename);
  return p.Run(out);
}

Status LoadCorosyncConf(const std::string& path, ClusterConfig* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open corosync.conf '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseCorosyncConf(ss.str(), path, out);
}

}  // namespace quorumsim
