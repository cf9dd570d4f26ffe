// RapidCheck properties of the arithmetic and of whole clusters driven through random
// membership histories (partitions, crashes, restarts, merges).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/internal/arithmetic.h"
#include "tests/engine/test_util.h"

namespace quorumsim::testing {
namespace {

using internal::ComputeThreshold;
using internal::Majority;
using internal::ThresholdInputs;

// ---------------------------------------------------------------------------------------
// Arithmetic

RC_GTEST_PROP(ThresholdProperty, NeverBelowMajorityOfExpectedWithoutTwoNode, ()) {
  ThresholdInputs in;
  in.highest_expected = *rc::gen::inRange<uint32_t>(0, 100000);
  in.total_votes = *rc::gen::inRange<uint32_t>(0, 100000);
  in.node_count = *rc::gen::inRange<uint32_t>(0, 400);
  in.stored_quorum = *rc::gen::inRange<uint32_t>(0, 256);
  in.allow_decrease = *rc::gen::arbitrary<bool>();
  const uint32_t q = ComputeThreshold(in);
  RC_ASSERT(q >= Majority(in.highest_expected));
  RC_ASSERT(q >= Majority(in.total_votes));
}

RC_GTEST_PROP(ThresholdProperty, StickyUnlessDecreaseAllowedOrTwoNode, ()) {
  ThresholdInputs in;
  in.highest_expected = *rc::gen::inRange<uint32_t>(0, 1000);
  in.total_votes = *rc::gen::inRange<uint32_t>(0, 1000);
  in.node_count = *rc::gen::inRange<uint32_t>(0, 10);
  in.stored_quorum = *rc::gen::inRange<uint32_t>(0, 1000);
  in.two_node = *rc::gen::arbitrary<bool>();
  const uint32_t q = ComputeThreshold(in);
  if (in.two_node && in.node_count <= 2) {
    RC_ASSERT(q == 1u);
  } else {
    RC_ASSERT(q >= in.stored_quorum);
  }
}

RC_GTEST_PROP(ThresholdProperty, DownscaleNeverBelowStartupExpected, ()) {
  ThresholdInputs in;
  in.highest_expected = *rc::gen::inRange<uint32_t>(0, 1000);
  in.total_votes = *rc::gen::inRange<uint32_t>(0, 1000);
  in.max_expected = *rc::gen::inRange<uint32_t>(1, 1000);
  in.ev_barrier = *rc::gen::inRange<uint32_t>(0, 1000);
  in.allow_downscale = true;
  in.allow_decrease = true;
  RC_ASSERT(ComputeThreshold(in) >= Majority(in.ev_barrier));
}

// ---------------------------------------------------------------------------------------
// Random clusters

struct Op {
  enum Kind { kPartition, kCrash, kRestart, kMergeAll } kind;
  std::vector<int> groups;  // kPartition: group index per node id (0-based)
  int pick = 0;             // kCrash/kRestart: which candidate
};

struct Scenario {
  int n = 3;
  std::vector<uint32_t> votes;  // per node
  std::vector<int> list_len;    // node i's configuration lists nodes 1..list_len[i]
  std::vector<Op> ops;
};

rc::Gen<Scenario> GenScenario(bool uniform) {
  return rc::gen::exec([uniform] {
    Scenario s;
    s.n = *rc::gen::inRange(2, 7);
    for (int i = 0; i < s.n; ++i) {
      s.votes.push_back(*rc::gen::inRange<uint32_t>(1, 4));
      s.list_len.push_back(uniform ? s.n : *rc::gen::inRange(i + 1, s.n + 1));
    }
    const int steps = *rc::gen::inRange(1, 9);
    for (int k = 0; k < steps; ++k) {
      Op op;
      op.kind = static_cast<Op::Kind>(*rc::gen::inRange(0, 4));
      op.groups = *rc::gen::container<std::vector<int>>(s.n, rc::gen::inRange(0, 3));
      op.pick = *rc::gen::inRange(0, 100);
      s.ops.push_back(op);
    }
    return s;
  });
}

VotequorumConfig ConfigFor(const Scenario& s, int i) {
  VotequorumConfig c;
  for (int j = 0; j < s.list_len[i]; ++j) c.nodelist.push_back({static_cast<NodeId>(j + 1), s.votes[j]});
  return c;
}

std::vector<NodeId> UpNodes(RingDriver& d, int n) {
  std::vector<NodeId> up;
  for (NodeId id = 1; id <= static_cast<NodeId>(n); ++id) {
    if (d.is_up(id)) up.push_back(id);
  }
  return up;
}

void StartAll(RingDriver& d, const Scenario& s) {
  std::vector<NodeId> all;
  for (int i = 0; i < s.n; ++i) {
    d.Configure(i + 1, ConfigFor(s, i));
    RC_ASSERT(d.Start(i + 1).ok());
    all.push_back(i + 1);
  }
  d.FormRing(all);
}

void Apply(RingDriver& d, const Scenario& s, const Op& op) {
  const std::vector<NodeId> up = UpNodes(d, s.n);
  switch (op.kind) {
    case Op::kPartition: {
      std::vector<std::vector<NodeId>> parts(3);
      for (NodeId id : up) parts[op.groups[id - 1]].push_back(id);
      std::vector<std::vector<NodeId>> nonempty;
      for (auto& p : parts) {
        if (!p.empty()) nonempty.push_back(p);
      }
      d.Partition(nonempty);
      break;
    }
    case Op::kCrash:
      if (up.size() > 1) d.Crash({up[op.pick % up.size()]});
      break;
    case Op::kRestart: {
      std::vector<NodeId> down;
      for (NodeId id = 1; id <= static_cast<NodeId>(s.n); ++id) {
        if (!d.is_up(id)) down.push_back(id);
      }
      if (down.empty()) break;
      const NodeId id = down[op.pick % down.size()];
      RC_ASSERT(d.Start(id).ok());
      std::vector<NodeId> ring(d.engine(up.front()).members().begin(), d.engine(up.front()).members().end());
      ring.push_back(id);
      d.FormRing(ring);
      break;
    }
    case Op::kMergeAll:
      d.FormRing(up);
      break;
  }
}

RC_GTEST_PROP(ClusterProperty, QuorumNeverBelowMajorityOfHighestExpected, ()) {
  const Scenario s = *GenScenario(false);
  RingDriver d;
  StartAll(d, s);
  for (const Op& op : s.ops) {
    Apply(d, s, op);
    for (NodeId id : UpNodes(d, s.n)) {
      const VoteInfo i = d.Info(id);
      RC_ASSERT(i.quorum >= Majority(i.highest_expected));
    }
  }
}

RC_GTEST_PROP(ClusterProperty, QuorateNodesNeverLowerTheirThreshold, ()) {
  // Without API calls, LMS, allow_downscale or two_node the only way down is adopting a
  // quorate peer's expected votes while inquorate; a node that stays quorate never uses it.
  const Scenario s = *GenScenario(false);
  RingDriver d;
  StartAll(d, s);
  for (const Op& op : s.ops) {
    std::map<NodeId, uint32_t> before;
    for (NodeId id : UpNodes(d, s.n)) {
      if (d.engine(id).quorate()) before[id] = d.engine(id).quorum();
    }
    Apply(d, s, op);
    for (const auto& [id, q] : before) {
      if (d.is_up(id) && d.engine(id).quorate()) RC_ASSERT(d.engine(id).quorum() >= q);
    }
  }
}

RC_GTEST_PROP(ClusterProperty, AddingMembersKeepsQuorateNodesQuorate, ()) {
  const Scenario s = *GenScenario(true);
  RingDriver d;
  StartAll(d, s);
  for (const Op& op : s.ops) Apply(d, s, op);
  // Merge every ring into the one of the lowest up node, one ring at a time.
  std::vector<NodeId> up = UpNodes(d, s.n);
  for (NodeId other : up) {
    const NodeId base = up.front();
    std::vector<NodeId> a(d.engine(base).members().begin(), d.engine(base).members().end());
    if (std::find(a.begin(), a.end(), other) != a.end()) continue;
    std::vector<NodeId> merged = a;
    for (NodeId m : d.engine(other).members()) merged.push_back(m);
    std::vector<NodeId> quorate;
    for (NodeId m : merged) {
      if (d.engine(m).quorate()) quorate.push_back(m);
    }
    d.FormRing(merged);
    for (NodeId m : quorate) RC_ASSERT(d.engine(m).quorate());
  }
}

std::vector<std::string> Transcript(const Scenario& s, Quirks q = {}) {
  RingDriver d(q);
  StartAll(d, s);
  for (const Op& op : s.ops) Apply(d, s, op);
  std::vector<std::string> out = d.trace();
  for (NodeId id = 1; id <= static_cast<NodeId>(s.n); ++id) {
    for (const auto& c : d.all_callbacks(id)) out.push_back(std::to_string(id) + " " + c.text);
    for (const auto& c : d.notifications(id)) out.push_back(std::to_string(id) + " " + c);
    if (d.is_up(id)) out.push_back(State(d, id));
  }
  return out;
}

RC_GTEST_PROP(ClusterProperty, SameInputsGiveSameOutputs, ()) {
  const Scenario s = *GenScenario(false);
  RC_ASSERT(Transcript(s) == Transcript(s));
}

RC_GTEST_PROP(ClusterProperty, SortedNodeListWhenQuirkOff, ()) {
  const Scenario s = *GenScenario(false);
  Quirks q;
  q.unsorted_node_list = false;
  RingDriver d(q);
  StartAll(d, s);
  for (const Op& op : s.ops) Apply(d, s, op);
  for (NodeId id : UpNodes(d, s.n)) {
    const auto recs = d.engine(id).records();
    RC_ASSERT(std::is_sorted(recs.begin(), recs.end(),
                             [](const NodeRecord& a, const NodeRecord& b) { return a.node_id < b.node_id; }));
  }
}

}  // namespace
}  // namespace quorumsim::testing
