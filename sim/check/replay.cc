#include "sim/check/replay.h"

#include <ostream>

namespace quorumsim::check {

namespace {
// Status lines are not needed: the checker reads node state through the Cluster API.
// A stream without a buffer drops everything written to it.
std::ostream& NullStream() {
  static std::ostream null(nullptr);
  return null;
}
const std::string kName = "check";
}  // namespace

Status Replay::Create(const ClusterConfig& config, const Quirks& quirks, std::unique_ptr<Replay>* out) {
  std::unique_ptr<Replay> r(new Replay());
  ClusterOptions opts;  // seed 0, like the quorumsim command
  opts.quirks = quirks;
  Status st = Cluster::Create(config, opts, &r->cluster_);
  if (!st.ok()) return st;
  ScriptOptions so;
  so.out = &NullStream();
  so.err = &NullStream();
  so.sync = false;
  so.prompt = false;
  r->runner_ = std::make_unique<ScriptRunner>(r->cluster_.get(), so);
  *out = std::move(r);
  return Status::Ok();
}

Replay::~Replay() = default;

Status Replay::Run(const std::string& line) {
  const int failures = runner_->expectation_failures();
  LineResult lr = runner_->RunLine(line, kName, ++line_no_);
  if (lr.code == kScriptFailed && !lr.error.ok()) return lr.error;
  if (lr.code == kScriptAssert) return Status::Internal("cluster did not settle after: " + line);
  if (runner_->expectation_failures() != failures) {
    return Status::InvalidArgument("expectation failed: " + line);
  }
  return Status::Ok();
}

Status Replay::RunAll(const std::vector<std::string>& lines) {
  for (const std::string& l : lines) {
    Status st = Run(l);
    if (!st.ok()) return st;
  }
  Start();
  return Status::Ok();
}

void Replay::Start() { runner_->StartIfNeeded(kName); }

}  // namespace quorumsim::check
