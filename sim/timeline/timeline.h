// A timeline: what each node was doing over virtual time, built from a trace (sim/TRACE.md)
// and, for a live run, from vote samples read through the Cluster API after every settled
// command. Rendering is in svg.h.
#ifndef QUORUMSIM_SIM_TIMELINE_TIMELINE_H_
#define QUORUMSIM_SIM_TIMELINE_TIMELINE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/types.h"
#include "sim/cluster.h"
#include "sim/timeline/trace_reader.h"

namespace quorumsim::timeline {

// One stretch of a node's life with the same run state, quorate flag and ring.
struct Segment {
  uint64_t t0 = 0, t1 = 0;
  enum class Run { kDown, kUp, kPaused } run = Run::kDown;
  bool reported = false;  // a quorum notification arrived in this incarnation
  bool quorate = false;
  std::string ring;       // "" until the first notification
  std::vector<uint64_t> members;
};

struct Marker {
  uint64_t t = 0;
  NodeId node = 0;     // 0: the whole cluster (a script command)
  std::string kind;    // command, start, crash, exit, shutdown, pause, resume, move, api,
                       // callback, timer, qdevice
  std::string label;
};

// Votes as a node saw them at time t (from samples, or expected votes from the node's own
// NODEINFO messages when no sample exists).
struct VotePoint {
  uint64_t t = 0;
  uint32_t expected = 0;
  uint32_t quorum = 0;     // 0: unknown (trace only)
  uint32_t total = 0;      // 0: unknown
};

struct Timeline {
  std::string title;
  std::vector<NodeId> nodes;  // sorted
  uint64_t end = 0;           // last event time
  std::map<NodeId, std::vector<Segment>> segments;
  std::map<NodeId, std::vector<VotePoint>> votes;
  std::vector<Marker> markers;
};

// Collects vote samples from a live cluster (ScriptOptions' settle and wait hooks call
// Sample after each command).
class VoteSampler {
 public:
  void Sample(const Cluster& cluster);
  const std::map<NodeId, std::vector<VotePoint>>& points() const { return points_; }

 private:
  std::map<NodeId, std::vector<VotePoint>> points_;
};

// Builds the timeline. `samples` may be empty (a saved trace).
Timeline BuildTimeline(const std::vector<TraceEvent>& events,
                       const std::map<NodeId, std::vector<VotePoint>>& samples,
                       const std::string& title);

}  // namespace quorumsim::timeline

#endif  // QUORUMSIM_SIM_TIMELINE_TIMELINE_H_
