#include "sim/check/last_step.h"

#include <algorithm>
#include <map>
#include <set>

#include "sim/check/moves.h"

namespace quorumsim::check {

namespace {

// A group up to symmetry: for each old partition it takes nodes from, their labels.
using GroupKey = std::vector<std::vector<std::string>>;

GroupKey KeyOf(const Snapshot& s, uint32_t mask) {
  std::map<PartitionId, std::vector<std::string>> from;
  for (size_t i = 0; i < s.views.size(); ++i) {
    if (mask & (1u << i)) from[s.views[i].partition].push_back(s.labels[i]);
  }
  GroupKey k;
  for (auto& [p, labels] : from) {
    std::sort(labels.begin(), labels.end());
    k.push_back(labels);
  }
  std::sort(k.begin(), k.end());
  return k;
}

std::vector<NodeId> Members(const Snapshot& s, uint32_t mask) {
  std::vector<NodeId> ids;
  for (size_t i = 0; i < s.views.size(); ++i) {
    if (mask & (1u << i)) ids.push_back(s.views[i].node_id);
  }
  return ids;
}

bool GroupQuorate(const Snapshot& end, uint32_t mask) {
  for (size_t i = 0; i < end.views.size(); ++i) {
    const NodeView& v = end.views[i];
    if ((mask & (1u << i)) && v.run_state == NodeRunState::kUp && v.reported && v.quorate) return true;
  }
  return false;
}

}  // namespace

Status SplitBrainsOneSplitAway(const Model& model, const Reached& parent, size_t max_found,
                               std::vector<Reached>* found, uint64_t* runs) {
  const Snapshot& s = parent.snap;
  const size_t n = s.views.size();
  const uint32_t all = (1u << n) - 1;
  const bool device = model.device && s.device_alive;
  // quorate[with_device][mask]: the group split off from the rest is quorate.
  std::vector<char> quorate[2] = {std::vector<char>(all + 1, 0), std::vector<char>(all + 1, 0)};
  std::map<GroupKey, std::pair<char, char>> cache;
  for (uint32_t mask = 1; mask < all; ++mask) {
    GroupKey key = KeyOf(s, mask);
    auto it = cache.find(key);
    if (it == cache.end()) {
      std::pair<char, char> q{0, 0};
      for (int d = 0; d < (device ? 2 : 1); ++d) {
        Move m = MakeSplit(model, s, {Members(s, all & ~mask), Members(s, mask)}, d == 1 ? 1 : 0);
        Reached end;
        Status st = RunStep(model, parent, m, &end);
        if (!st.ok()) return st;
        ++*runs;
        (d == 1 ? q.second : q.first) = GroupQuorate(end.snap, mask);
      }
      if (!device) q.second = q.first;
      it = cache.emplace(key, q).first;
    }
    quorate[0][mask] = it->second.first;
    quorate[1][mask] = it->second.second;
  }
  // Pairs of disjoint groups that are quorate at once, with the device's vote in at most one
  // of them; each confirmed by running the split that separates both.
  std::set<std::pair<GroupKey, GroupKey>> tried;
  for (uint32_t a = 1; a < all && found->size() < max_found; ++a) {
    for (uint32_t b = a + 1; b < all && found->size() < max_found; ++b) {
      if ((a & b) != 0) continue;
      const uint32_t rest = all & ~(a | b);
      // Where the device's vote goes: 0 = the rest (or nowhere without a device), 1 = a, 2 = b.
      int choice = -1;
      if ((!device || rest != 0) && quorate[0][a] && quorate[0][b]) {
        choice = 0;
      } else if (device && quorate[1][a] && quorate[0][b]) {
        choice = 1;
      } else if (device && quorate[0][a] && quorate[1][b]) {
        choice = 2;
      }
      if (choice < 0) continue;
      GroupKey ka = KeyOf(s, a), kb = KeyOf(s, b);
      if (kb < ka) std::swap(ka, kb);
      if (!tried.insert({ka, kb}).second) continue;
      std::vector<std::vector<NodeId>> groups{Members(s, a), Members(s, b)};
      if (rest != 0) groups.push_back(Members(s, rest));
      const size_t device_group = choice == 1 ? 0 : choice == 2 ? 1 : (rest != 0 ? 2 : 0);
      Reached end;
      Status st = RunStep(model, parent, MakeSplit(model, s, groups, device_group), &end);
      if (!st.ok()) return st;
      ++*runs;
      if (IsSplitBrain(end.snap)) found->push_back(std::move(end));
    }
  }
  return Status::Ok();
}

}  // namespace quorumsim::check
