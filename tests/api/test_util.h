// Helpers for the API tests: simulated clusters from corosync.conf text and a recorder
// that turns callbacks into comparable lines.
#ifndef QUORUMSIM_TESTS_API_TEST_UTIL_H_
#define QUORUMSIM_TESTS_API_TEST_UTIL_H_

#include <corosync/votequorum.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/cluster.h"

namespace quorumsim::api::testing {

// A corosync.conf with nodes 1..n (one vote each) and the given extra quorum keys.
std::string ConfText(int nodes, const std::string& quorum_extra = "");

// Builds the cluster, starts every node and lets it settle (fails the test otherwise).
std::unique_ptr<Cluster> StartCluster(int nodes, const std::string& quorum_extra = "");

// Records every callback of the handles created with Recorder::callbacks(), as lines
// such as "h1 NODELIST ctx=7 ring=1 members=1,2" (ring seq omitted: it is arbitrary).
class Recorder {
 public:
  Recorder();
  votequorum_callbacks_t* callbacks() { return &callbacks_; }
  std::vector<std::string> Take();  // and clear
  // Names handles in the lines ("h1", "h2", ...) in the order they were named here.
  void Name(votequorum_handle_t h, const std::string& name);
  votequorum_ring_id_t last_ring() const;

 private:
  static void OnQuorum(votequorum_handle_t, uint64_t, uint32_t, uint32_t, votequorum_node_t[]);
  static void OnNodelist(votequorum_handle_t, uint64_t, votequorum_ring_id_t, uint32_t, uint32_t[]);
  static void OnExpected(votequorum_handle_t, uint64_t, uint32_t);
  void Add(votequorum_handle_t h, const std::string& line);

  votequorum_callbacks_t callbacks_{};
  mutable std::mutex mu_;
  std::vector<std::pair<votequorum_handle_t, std::string>> names_;
  std::vector<std::string> lines_;
  votequorum_ring_id_t last_ring_{};
};

// The recorder the static callbacks report to (one per test).
Recorder*& ActiveRecorder();

}  // namespace quorumsim::api::testing

#endif  // QUORUMSIM_TESTS_API_TEST_UTIL_H_
