// The quorumsim script interpreter: reads lines, starts the cluster as corosync-vqsim does,
// and runs each command from the table in internal/script_commands (words in
// internal/script_lexer, `expect` in internal/expectations, output in
// internal/status_printer, help text in script_help.cc).
#include "sim/script.h"

#include <fstream>

#include <istream>
#include <ostream>
#include <string_view>
#include <vector>

#include "sim/internal/script_commands.h"
#include "sim/internal/script_lexer.h"
#include "sim/script_reader.h"

namespace quorumsim {

using internal::Interp;
using internal::IsCommand;
using internal::Lower;
using internal::ScriptError;
using internal::Token;
using internal::Tokenize;

bool IsWaitCommand(std::string_view line) {
  std::vector<Token> t = Tokenize(line);
  return IsCommand(t) && Lower(t[0].text) == "wait";
}

bool ScriptStartsWithUp(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    std::vector<Token> t = Tokenize(line);
    if (IsCommand(t)) return Lower(t[0].text) == "up";
  }
  return false;
}

Status StartScriptNodes(Cluster& cluster, bool first_is_up, std::vector<NodeId>* started) {
  started->clear();
  if (first_is_up) return Status::Ok();
  // A configuration built without a nodelist (quorum.votes, or nodes given in code) has
  // no ring0_addr keys to go by: every node starts.
  std::vector<NodeId> order = cluster.config().votequorum.nodelist.empty()
                                  ? cluster.node_ids()
                                  : cluster.config().VqsimStartOrder();
  for (NodeId id : order) {
    if (!cluster.IsUp(id)) started->push_back(id);
  }
  return cluster.Up(*started);
}

struct ScriptRunner::Impl {
  Impl(Cluster& cluster, ScriptOptions options) : o(std::move(options)), s(cluster, o) {}
  ScriptOptions o;
  Interp s;
  bool started = false;  // the first command has come (or the end)
  // Lines before it, echoed once the cluster is up; repeated lines are counted, not
  // stored (a script may open with millions of blank lines).
  std::vector<std::pair<std::string, size_t>> held;

  void Echo(std::string_view line) {
    if (o.interactive) {
      s.out() << "vqsim> " << std::flush;
    } else if (o.prompt) {
      s.out() << "#vqsim> " << line << '\n';
    }
  }

  void Hold(std::string_view line) {
    if (!held.empty() && held.back().first == line) {
      ++held.back().second;
    } else {
      held.emplace_back(std::string(line), 1);
    }
  }

  // The first command has come (`up` says itself which nodes start) or the script ended.
  bool Start(bool first_is_up) {
    started = true;
    std::vector<NodeId> ids;
    Status st = StartScriptNodes(s.c, first_is_up, &ids);
    if (!st.ok()) {
      s.err() << s.file << ": cannot start the cluster: " << st.message() << "\n";
      return false;
    }
    if (!first_is_up) s.Finish(true);
    for (const auto& [line, count] : held) {
      for (size_t i = 0; i < count; ++i) Echo(line);
    }
    held.clear();
    return true;
  }
};

ScriptRunner::ScriptRunner(Cluster* cluster, ScriptOptions options)
    : impl_(std::make_unique<Impl>(*cluster, std::move(options))) {}

ScriptRunner::~ScriptRunner() = default;

int ScriptRunner::expectation_failures() const { return impl_->s.expect_failures; }

namespace {
Status Located(const std::string& name, int lineno, const ScriptError& e) {
  return Status::InvalidArgument(name + ":" + std::to_string(lineno) + ":" + std::to_string(e.col) +
                                 ": error: " + e.msg);
}
}  // namespace

LineResult ScriptRunner::RunLine(std::string_view line, const std::string& name, int lineno) {
  Impl& r = *impl_;
  Interp& s = r.s;
  s.file = name;
  std::vector<Token> t = Tokenize(line);
  if (!r.started) {
    if (!IsCommand(t)) {
      r.Hold(line);
      return LineResult{};
    }
    if (!r.Start(Lower(t[0].text) == "up")) {
      return LineResult{kScriptFailed, Status::Internal(name + ": cannot start the cluster")};
    }
  }
  s.line_no = lineno;
  r.Echo(line);
  if (!IsCommand(t)) return LineResult{};
  s.c.TraceCommand(name, lineno, line);
  try {
    internal::Action action = internal::ParseCommand(s.c, t);
    if (!action) return LineResult{kScriptExit, Status::Ok()};
    action(s);
  } catch (const ScriptError& e) {
    Status st = Located(name, lineno, e);
    s.err() << st.message() << "\n";
    return LineResult{kScriptFailed, st};
  }
  return LineResult{s.assert_failed ? kScriptAssert : kScriptOk, Status::Ok()};
}

bool ScriptRunner::StartIfNeeded(const std::string& name) {
  impl_->s.file = name;
  return impl_->started || impl_->Start(false);
}

int ScriptRunner::End(const std::string& name) {
  Impl& r = *impl_;
  if (!StartIfNeeded(name)) return kScriptFailed;
  if (r.s.expect_failures > 0) {
    r.s.err() << name << ": " << r.s.expect_failures << " expectation(s) failed\n";
    return kScriptFailed;
  }
  return kScriptOk;
}

int ScriptRunner::Run(std::istream& in, const std::string& name) {
  ScriptReader reader(in, name);
  std::string line;
  bool failed = false;
  while (true) {
    Status st = reader.Next(&line);
    if (!st.ok()) {
      impl_->s.err() << st.message() << "\n";
      return kScriptFailed;
    }
    if (reader.done()) break;
    LineResult rc = RunLine(line, name, reader.line_number());
    if (rc.code == kScriptExit) break;
    // At a terminal a typo is reported and the session goes on, as in corosync-vqsim.
    if (rc.code == kScriptFailed && impl_->o.interactive) {
      failed = true;
      continue;
    }
    if (rc.code != kScriptOk) return rc.code;
  }
  int end = End(name);
  return failed ? kScriptFailed : end;
}

Status CheckScript(std::istream& in, const std::string& name, const Cluster& cluster) {
  ScriptReader reader(in, name);
  std::string line;
  while (true) {
    Status st = reader.Next(&line);
    if (!st.ok() || reader.done()) return st;
    std::vector<Token> t = Tokenize(line);
    if (!IsCommand(t)) continue;
    try {
      if (!internal::ParseCommand(cluster, t)) return Status::Ok();  // exit
    } catch (const ScriptError& e) {
      return Located(name, reader.line_number(), e);
    }
  }
}

std::optional<std::string> ScriptConfigHeader(const std::string& script) {
  std::ifstream in(script);
  const std::string key = "# config:";
  for (std::string line; std::getline(in, line) && line.size() < 4096;) {
    if (line.empty()) continue;
    if (line[0] != '#') break;
    if (line.compare(0, key.size(), key) != 0) continue;
    size_t b = line.find_first_not_of(" \t", key.size());
    if (b == std::string::npos) break;
    std::string file = line.substr(b, line.find_last_not_of(" \t\r") + 1 - b);
    if (file[0] == '/') return file;
    size_t slash = script.rfind('/');
    return slash == std::string::npos ? file : script.substr(0, slash + 1) + file;
  }
  return std::nullopt;
}

}  // namespace quorumsim
