// corosync.conf -> configuration map, as exec/coroparse.c's main_config_parser_cb stores it.
//
// Most keys are stored under their dotted path, typed when coroparse converts them (the
// same rules the parser validated with). Some sections are collected and written when they
// close: totem.interface (under totem.interface.<linknumber>.*), its member subsection,
// logging.logger_subsys and logging.logging_daemon (under their subsys / daemon name), and
// uidgid (as uidgid.config.uid.<uid>). Node keys go to nodelist.node.<position>.*.
#include <grp.h>
#include <pwd.h>

#include <climits>
#include <optional>
#include <utility>

#include "sim/internal/cmap_stages.h"
#include "sim/internal/conf_keys.h"

namespace quorumsim::internal {
namespace {

// main_cp_cb_data: what coroparse keeps while a section is open.
struct SectionData {
  int linknumber = 0;
  std::optional<std::string> bindnetaddr;
  std::optional<std::string> mcastaddr;
  std::optional<std::string> broadcast;
  // -1: not written. coroparse keeps them in an int, so a u32 value above INT_MAX reads
  // as negative and is dropped when the section closes.
  int mcastport = -1;
  int ttl = -1;
  int knet_link_priority = -1;
  int knet_ping_interval = -1;
  int knet_ping_timeout = -1;
  int knet_ping_precision = -1;
  int knet_pong_count = -1;
  std::optional<std::string> knet_transport;
  std::vector<std::pair<std::string, std::string>> log_items;  // in the order written
  std::optional<std::string> subsys;
  std::optional<std::string> logging_daemon_name;
  std::vector<std::string> members;  // memberaddr values, in the order written
  unsigned node_number = 0;
};

Status Stored(CmapEntries* map, const std::string& key, CmapValue v, int line) {
  Status st = IcmapSet(map, key, std::move(v));
  if (!st.ok()) return Status::InvalidConfig("line " + std::to_string(line) + ": " + st.message());
  return st;
}

Status BadNumber(const std::string& key, std::string_view text, int line) {
  return Status::InvalidConfig("line " + std::to_string(line) + ": value of '" + key + "' ('" +
                               std::string(text) + "') is not an integer corosync accepts");
}

// The value coroparse stores for `text` under the conversion `rule`.
Status Converted(const std::string& key, std::string_view text, const IntRule& rule, int line,
                 CmapValue* out) {
  if (rule.kind == IntKind::kU64) {
    uint64_t u = 0;
    if (!ParseCorosyncU64(text, &u)) return BadNumber(key, text, line);
    *out = CmapU64(u);
    return Status::Ok();
  }
  int64_t n = 0;
  if (!ParseCorosyncInt(text, rule, &n)) return BadNumber(key, text, line);
  switch (rule.kind) {
    case IntKind::kU8: *out = CmapU8(static_cast<uint8_t>(n)); break;
    case IntKind::kU16: *out = CmapU16(static_cast<uint16_t>(n)); break;
    case IntKind::kI32: *out = CmapI32(static_cast<int32_t>(n)); break;
    default: *out = CmapU32(static_cast<uint32_t>(n)); break;
  }
  return Status::Ok();
}

// A kept totem.interface value converted as coroparse does (range checked, then an int).
Status KeptInt(const std::string& key, std::string_view text, IntRule rule, int line, int* out) {
  int64_t n = 0;
  if (!ParseCorosyncInt(text, rule, &n)) return BadNumber(key, text, line);
  *out = static_cast<int>(static_cast<int32_t>(n));
  return Status::Ok();
}

// uid_determine / gid_determine: a number in 0..UINT_MAX (strtol), else a name looked up in
// the host's user database, as the starting daemon does.
std::optional<unsigned> NumericId(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  const size_t digits = i;
  uint64_t v = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
    if (v > UINT_MAX) return std::nullopt;  // beyond UINT_MAX: looked up as a name
  }
  if (text.empty() || i == digits || i != text.size()) return std::nullopt;
  if (neg && v != 0) return std::nullopt;
  return static_cast<unsigned>(v);
}

Status HostId(bool user, const std::string& name, int line, unsigned* out) {
  if (auto n = NumericId(name)) {
    // uid_determine returns the id as an int, and -1 means failure.
    if (*n == UINT_MAX) {
      return Status::InvalidConfig("line " + std::to_string(line) + ": " + (user ? "uid " : "gid ") +
                                   name + " reads as -1 in corosync, which refuses to start");
    }
    *out = *n;
    return Status::Ok();
  }
  std::vector<char> buf(16384);
  int rc = 0;
  bool found = false;
  if (user) {
    struct passwd pw, *res = nullptr;
    rc = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &res);
    if (rc == 0 && res != nullptr) {
      *out = static_cast<unsigned>(pw.pw_uid);
      found = true;
    }
  } else {
    struct group gr, *res = nullptr;
    rc = getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &res);
    if (rc == 0 && res != nullptr) {
      *out = static_cast<unsigned>(gr.gr_gid);
      found = true;
    }
  }
  if (found) return Status::Ok();
  return Status::InvalidConfig("line " + std::to_string(line) + ": the " +
                               (user ? "user '" : "group '") + name +
                               "' is not known on this host (corosync refuses to start)");
}

bool IsKeptInterfaceKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "linknumber", "bindnetaddr", "mcastaddr", "broadcast", "mcastport", "ttl",
      "knet_link_priority", "knet_ping_interval", "knet_ping_timeout", "knet_ping_precision",
      "knet_pong_count", "knet_transport"};
  for (std::string_view k : kKeys) {
    if (k == key) return true;
  }
  return false;
}

class Flattener {
 public:
  explicit Flattener(CmapEntries* map) : map_(map) {}

  Status Run(const std::vector<ConfEntry>& entries) {
    for (const ConfEntry& e : entries) {
      Status st;
      switch (e.kind) {
        case ConfEntry::Kind::kSectionStart: st = Start(e); break;
        case ConfEntry::Kind::kSectionEnd: st = End(e); break;
        case ConfEntry::Kind::kKey: st = Item(e); break;
      }
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }

 private:
  ParserState state() const { return states_.empty() ? ParserState::kNormal : states_.back(); }

  Status Start(const ConfEntry& e) {
    states_.push_back(ParserStateFor(e.path, state()));
    if (e.path == "totem.interface") {
      d_.linknumber = 0;
      d_.mcastport = d_.ttl = d_.knet_link_priority = -1;
      d_.knet_ping_interval = d_.knet_ping_timeout = d_.knet_ping_precision = -1;
      d_.knet_pong_count = -1;
      d_.knet_transport.reset();
      d_.members.clear();
    }
    if (e.path == "logging.logger_subsys" || e.path == "logging.logging_daemon") {
      d_.log_items.clear();
      d_.subsys.reset();
      d_.logging_daemon_name.reset();
    }
    if (e.path == "nodelist") d_.node_number = 0;  // a second nodelist starts again at 0
    return Status::Ok();
  }

  Status End(const ConfEntry& e) {
    const ParserState st = state();
    if (!states_.empty()) states_.pop_back();
    switch (st) {
      case ParserState::kInterface: return EndInterface(e.line);
      case ParserState::kLoggerSubsys: return EndLoggerSubsys(e.line);
      case ParserState::kLoggingDaemon: return EndLoggingDaemon(e.line);
      case ParserState::kNode: ++d_.node_number; return Status::Ok();
      default: return Status::Ok();
    }
  }

  Status Item(const ConfEntry& e) {
    const std::string full = e.path.empty() ? e.key : e.path + "." + e.key;
    switch (state()) {
      case ParserState::kInterface:
        if (e.path == "totem.interface" && IsKeptInterfaceKey(e.key)) return Keep(e, full);
        break;
      case ParserState::kLoggerSubsys:
      case ParserState::kLoggingDaemon:
        if (e.key == "subsys") {
          d_.subsys = e.value;
        } else if (e.key == "name" && state() == ParserState::kLoggingDaemon) {
          d_.logging_daemon_name = e.value;
        } else {
          d_.log_items.emplace_back(e.key, e.value);
        }
        return Status::Ok();
      case ParserState::kUidgid: {
        if (e.key != "uid" && e.key != "gid") {
          return Status::InvalidConfig("line " + std::to_string(e.line) +
                                       ": uidgid: only uid and gid are allowed items");
        }
        unsigned id = 0;
        if (Status st = HostId(e.key == "uid", e.value, e.line, &id); !st.ok()) return st;
        return Stored(map_, ComposedKey("uidgid.config." + e.key + "." + std::to_string(id)),
                      CmapU8(1), e.line);
      }
      case ParserState::kMember:
        if (e.key != "memberaddr") {
          return Status::InvalidConfig("line " + std::to_string(e.line) +
                                       ": only memberaddr is allowed in a member section");
        }
        d_.members.push_back(e.value);
        return Status::Ok();
      case ParserState::kNode: {
        const std::string key =
            ComposedKey("nodelist.node." + std::to_string(d_.node_number) + "." + e.key);
        CmapValue v = CmapStr(e.value);
        if (auto rule = IntRuleFor(e.path, e.key, true)) {
          if (Status st = Converted(key, e.value, *rule, e.line, &v); !st.ok()) return st;
        }
        return Stored(map_, key, std::move(v), e.line);
      }
      default:
        break;
    }
    CmapValue v = CmapStr(e.value);
    if (auto rule = IntRuleFor(e.path, e.key, false)) {
      if (Status st = Converted(full, e.value, *rule, e.line, &v); !st.ok()) return st;
    }
    return Stored(map_, full, std::move(v), e.line);
  }

  // A totem.interface key coroparse keeps until the section closes.
  Status Keep(const ConfEntry& e, const std::string& full) {
    const std::string& k = e.key;
    std::optional<IntRule> rule = IntRuleFor(e.path, k, false);
    if (k == "bindnetaddr") d_.bindnetaddr = e.value;
    if (k == "mcastaddr") d_.mcastaddr = e.value;
    if (k == "broadcast") d_.broadcast = e.value;
    if (k == "knet_transport") d_.knet_transport = e.value;
    if (!rule) return Status::Ok();
    int* field = nullptr;
    if (k == "linknumber") field = &d_.linknumber;
    if (k == "mcastport") field = &d_.mcastport;
    if (k == "ttl") field = &d_.ttl;
    if (k == "knet_link_priority") field = &d_.knet_link_priority;
    if (k == "knet_ping_interval") field = &d_.knet_ping_interval;
    if (k == "knet_ping_timeout") field = &d_.knet_ping_timeout;
    if (k == "knet_ping_precision") field = &d_.knet_ping_precision;
    if (k == "knet_pong_count") field = &d_.knet_pong_count;
    return field == nullptr ? Status::Ok() : KeptInt(full, e.value, *rule, e.line, field);
  }

  Status EndInterface(int line) {
    const std::string base = "totem.interface." + std::to_string(d_.linknumber) + ".";
    auto text = [&](std::optional<std::string>* v, const char* name) -> Status {
      if (!v->has_value()) return Status::Ok();
      Status st = Stored(map_, ComposedKey(base + name), CmapStr(**v), line);
      v->reset();  // freed and cleared by coroparse
      return st;
    };
    if (Status st = text(&d_.bindnetaddr, "bindnetaddr"); !st.ok()) return st;
    if (Status st = text(&d_.mcastaddr, "mcastaddr"); !st.ok()) return st;
    if (Status st = text(&d_.broadcast, "broadcast"); !st.ok()) return st;
    struct {
      int value;
      const char* name;
      CmapType type;
    } nums[] = {{d_.mcastport, "mcastport", CmapType::kUint16},
                {d_.ttl, "ttl", CmapType::kUint8},
                {d_.knet_link_priority, "knet_link_priority", CmapType::kUint8},
                {d_.knet_ping_interval, "knet_ping_interval", CmapType::kUint32},
                {d_.knet_ping_timeout, "knet_ping_timeout", CmapType::kUint32},
                {d_.knet_ping_precision, "knet_ping_precision", CmapType::kUint32},
                {d_.knet_pong_count, "knet_pong_count", CmapType::kUint32}};
    for (const auto& n : nums) {
      if (n.value < 0) continue;
      CmapValue v = n.type == CmapType::kUint16  ? CmapU16(static_cast<uint16_t>(n.value))
                    : n.type == CmapType::kUint8 ? CmapU8(static_cast<uint8_t>(n.value))
                                                 : CmapU32(static_cast<uint32_t>(n.value));
      if (Status st = Stored(map_, ComposedKey(base + n.name), std::move(v), line); !st.ok()) {
        return st;
      }
    }
    if (d_.knet_transport) {
      Status st = Stored(map_, ComposedKey(base + "knet_transport"), CmapStr(*d_.knet_transport),
                         line);
      if (!st.ok()) return st;
    }
    // The member list is a qb_list filled at its head, so it is written last-first.
    for (size_t i = 0; i < d_.members.size(); ++i) {
      const std::string& v = d_.members[d_.members.size() - 1 - i];
      Status st = Stored(map_, ComposedKey(base + "member." + std::to_string(i)), CmapStr(v), line);
      if (!st.ok()) return st;
    }
    // coroparse frees the items without emptying the list head; a later close of an
    // interface section would walk freed memory. Start it empty instead.
    d_.members.clear();
    return Status::Ok();
  }

  // The collected items, written in reverse (a qb_list filled at its head): of two equal
  // keys in one section, the first one written stays.
  Status WriteItems(const std::string& prefix, int line) {
    for (size_t i = d_.log_items.size(); i-- > 0;) {
      const auto& [key, value] = d_.log_items[i];
      if (Status st = Stored(map_, ComposedKey(prefix + key), CmapStr(value), line); !st.ok()) {
        return st;
      }
    }
    d_.log_items.clear();
    return Status::Ok();
  }

  Status EndLoggerSubsys(int line) {
    if (!d_.subsys) {
      return Status::InvalidConfig("line " + std::to_string(line) +
                                   ": no subsys key in logger_subsys directive");
    }
    const std::string sub = *d_.subsys;
    if (Status st = WriteItems("logging.logger_subsys." + sub + ".", line); !st.ok()) return st;
    d_.subsys.reset();
    return Stored(map_, ComposedKey("logging.logger_subsys." + sub + ".subsys"), CmapStr(sub), line);
  }

  Status EndLoggingDaemon(int line) {
    if (!d_.logging_daemon_name) {
      return Status::InvalidConfig("line " + std::to_string(line) +
                                   ": no name key in logging_daemon directive");
    }
    const std::string name = *d_.logging_daemon_name;
    const bool corosync = name == "corosync";
    const std::optional<std::string> sub = d_.subsys;
    d_.subsys.reset();
    d_.logging_daemon_name.reset();
    std::string prefix;
    if (!sub) {
      prefix = corosync ? "logging." : "logging.logging_daemon." + name + ".";
    } else {
      prefix = corosync ? "logging.logger_subsys." + *sub + "."
                        : "logging.logging_daemon." + name + "." + *sub + ".";
    }
    if (Status st = WriteItems(prefix, line); !st.ok()) return st;
    if (!sub) {
      if (corosync) return Status::Ok();
      return Stored(map_, ComposedKey(prefix + "name"), CmapStr(name), line);
    }
    if (Status st = Stored(map_, ComposedKey(prefix + "subsys"), CmapStr(*sub), line); !st.ok()) {
      return st;
    }
    if (corosync) return Status::Ok();
    return Stored(map_, ComposedKey(prefix + "name"), CmapStr(name), line);
  }

  CmapEntries* map_;
  SectionData d_;
  std::vector<ParserState> states_;
};

}  // namespace

std::string ComposedKey(std::string name) {
  if (name.size() > 254) name.resize(254);
  return name;
}

Status IcmapSet(CmapEntries* map, const std::string& key, CmapValue value) {
  auto it = map->find(key);
  if (it != map->end()) {
    it->second = std::move(value);
    return Status::Ok();
  }
  if (!CmapValidKeyName(key)) {
    return Status::InvalidConfig("corosync cannot store key '" + key +
                                 "' (CS_ERR_NAME_TOO_LONG: a key name is 3 to 255 characters "
                                 "of a-z A-Z 0-9 . _ - / :)");
  }
  map->emplace(key, std::move(value));
  return Status::Ok();
}

Status CoroparseToCmap(const std::vector<ConfEntry>& entries, CmapEntries* map) {
  Flattener f(map);
  return f.Run(entries);
}

}  // namespace quorumsim::internal
