#include "tests/api/test_util.h"

#include <sstream>

namespace quorumsim::api::testing {

std::string ConfText(int nodes, const std::string& quorum_extra) {
  std::ostringstream out;
  out << "totem {\n version: 2\n cluster_name: apitest\n}\n";
  out << "quorum {\n provider: corosync_votequorum\n" << quorum_extra << "}\n";
  out << "nodelist {\n";
  for (int i = 1; i <= nodes; ++i) {
    out << " node {\n  ring0_addr: 192.0.2." << i << "\n  nodeid: " << i << "\n }\n";
  }
  out << "}\n";
  return out.str();
}

std::unique_ptr<Cluster> StartCluster(int nodes, const std::string& quorum_extra) {
  std::unique_ptr<Cluster> cluster;
  Status st = Cluster::FromConfText(ConfText(nodes, quorum_extra), "test.conf", ClusterOptions{}, &cluster);
  EXPECT_TRUE(st.ok()) << st.ToString();
  if (!st.ok()) return nullptr;
  (void)cluster->StartAll();
  st = cluster->Settle();
  EXPECT_TRUE(st.ok()) << st.ToString();
  return cluster;
}

Recorder*& ActiveRecorder() {
  static Recorder* r = nullptr;
  return r;
}

Recorder::Recorder() {
  callbacks_.votequorum_quorum_notify_fn = &OnQuorum;
  callbacks_.votequorum_nodelist_notify_fn = &OnNodelist;
  callbacks_.votequorum_expectedvotes_notify_fn = &OnExpected;
  ActiveRecorder() = this;
}

void Recorder::Name(votequorum_handle_t h, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  names_.emplace_back(h, name);
}

void Recorder::Add(votequorum_handle_t h, const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string who = "h?";
  for (const auto& [handle, name] : names_) {
    if (handle == h) who = name;
  }
  lines_.push_back(who + " " + line);
}

std::vector<std::string> Recorder::Take() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  out.swap(lines_);
  return out;
}

votequorum_ring_id_t Recorder::last_ring() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_ring_;
}

void Recorder::OnQuorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n,
                        votequorum_node_t nodes[]) {
  std::ostringstream line;
  line << "QUORUM ctx=" << ctx << " quorate=" << quorate << " nodes=";
  for (uint32_t i = 0; i < n; ++i) line << (i ? "," : "") << nodes[i].nodeid << ":" << nodes[i].state;
  ActiveRecorder()->Add(h, line.str());
}

void Recorder::OnNodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring,
                          uint32_t n, uint32_t members[]) {
  {
    std::lock_guard<std::mutex> lock(ActiveRecorder()->mu_);
    ActiveRecorder()->last_ring_ = ring;
  }
  std::ostringstream line;
  line << "NODELIST ctx=" << ctx << " ring=" << ring.nodeid << " members=";
  for (uint32_t i = 0; i < n; ++i) line << (i ? "," : "") << members[i];
  ActiveRecorder()->Add(h, line.str());
}

void Recorder::OnExpected(votequorum_handle_t h, uint64_t ctx, uint32_t expected) {
  ActiveRecorder()->Add(h, "EXPECTED ctx=" + std::to_string(ctx) + " " + std::to_string(expected));
}

}  // namespace quorumsim::api::testing
