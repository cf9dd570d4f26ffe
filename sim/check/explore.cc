#include "sim/check/explore.h"

#include <deque>
#include <memory>
#include <random>
#include <unordered_set>

#include "sim/check/last_step.h"
#include "sim/check/moves.h"
#include "sim/check/replay.h"

namespace quorumsim::check {

bool IsSplitBrain(const Snapshot& s) { return QuoratePartitions(s).size() >= 2; }

Status RunLines(const Model& model, const ClusterConfig& config,
                const std::vector<std::string>& lines, bool device_alive,
                PartitionId device_target, Snapshot* out) {
  std::unique_ptr<Replay> r;
  Status st = Replay::Create(config, model.quirks, &r);
  if (!st.ok()) return st;
  if (!(st = r->RunAll(model.start_lines)).ok()) return st;
  if (!(st = r->RunAll(lines)).ok()) return st;
  *out = TakeSnapshot(model, r->cluster(), device_alive, device_target);
  return Status::Ok();
}

Status RunStep(const Model& model, const Reached& parent, const Move& move, Reached* child) {
  std::unique_ptr<Replay> r;
  Status st = Replay::Create(model.config, &r);
  if (!st.ok()) return st;
  if (!(st = r->RunAll(model.start_lines)).ok()) return st;
  if (!(st = r->RunAll(parent.lines)).ok()) return st;
  child->lines = parent.lines;
  child->steps = parent.steps;
  if (!(st = ApplyMove(model, move, *r, &child->lines)).ok()) {
    return Status::Internal("step '" + move.what + "' after " + std::to_string(parent.steps.size()) +
                            " steps failed: " + st.message());
  }
  child->steps.push_back(move.what);
  child->snap = TakeSnapshot(model, r->cluster(), move.device_alive, move.device_target);
  return Status::Ok();
}

namespace {

void Note(const ExploreOptions& o, const Reached& r, ExploreResult* out) {
  if (!IsSplitBrain(r.snap)) return;
  ++out->split_brain_states;
  if (out->split_brains.size() < o.keep_split_brains) out->split_brains.push_back(r);
}

}  // namespace

Status Explore(const Model& model, const ExploreOptions& o, ExploreResult* out) {
  *out = ExploreResult{};
  Reached start;
  Status st = RunLines(model, model.config, {}, model.device, 0, &start.snap);
  if (!st.ok()) return st;
  ++out->runs;
  out->states = 1;
  Note(o, start, out);

  if (model.nodes.size() > kExhaustiveMaxNodes) {
    out->exhaustive = false;
    std::mt19937_64 rng(o.seed);
    std::unordered_set<std::string> seen{start.snap.fingerprint};
    for (uint64_t walk = 0; walk < o.samples; ++walk) {
      Reached cur = start;
      for (int d = 0; d < o.max_faults; ++d) {
        Move m = RandomMove(model, cur.snap, rng);
        Reached next;
        if (!(st = RunStep(model, cur, m, &next)).ok()) return st;
        ++out->runs;
        ++out->steps;
        if (seen.insert(next.snap.fingerprint).second) {
          ++out->states;
          Note(o, next, out);
        }
        cur = std::move(next);
      }
    }
    return Status::Ok();
  }

  std::unordered_set<std::string> seen{start.snap.fingerprint};
  std::deque<Reached> frontier{start};
  for (int depth = 0; depth < o.max_faults; ++depth) {
    std::deque<Reached> next_frontier;
    const bool last = depth + 1 == o.max_faults;
    for (const Reached& parent : frontier) {
      // At the last step, splits are decided per group (last_step.h).
      for (const Move& m : GenerateMoves(model, parent.snap, /*splits=*/!last)) {
        Reached child;
        if (!(st = RunStep(model, parent, m, &child)).ok()) return st;
        ++out->runs;
        ++out->steps;
        if (!seen.insert(child.snap.fingerprint).second) continue;
        ++out->states;
        Note(o, child, out);
        if (!last) next_frontier.push_back(std::move(child));
      }
      if (!last) continue;
      std::vector<Reached> found;
      uint64_t runs = 0;
      if (!(st = SplitBrainsOneSplitAway(model, parent, 2, &found, &runs)).ok()) return st;
      out->runs += runs;
      out->steps += runs;
      for (Reached& child : found) {
        if (!seen.insert(child.snap.fingerprint).second) continue;
        ++out->states;
        Note(o, child, out);
      }
    }
    frontier = std::move(next_frontier);
  }
  return Status::Ok();
}

}  // namespace quorumsim::check
