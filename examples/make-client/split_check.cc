// split_check: quorumsim's C++ API through quorumsim.pc. Splits the example cluster
// (examples/client/cluster.conf: 6 votes, quorum 4) into {11,12} and {13,14,15} and prints
// which nodes are quorate: only the side holding node 13's two votes reaches 4.
#include <cstdio>
#include <memory>
#include <string>

#include "sim/cluster.h"

int main(int argc, char** argv) {
  const std::string conf = argc > 1 ? argv[1] : "../client/cluster.conf";
  std::unique_ptr<quorumsim::Cluster> cluster;
  quorumsim::Status st = quorumsim::Cluster::FromConfFile(conf, {}, &cluster);
  if (st.ok()) st = cluster->StartAll();
  if (st.ok()) st = cluster->Settle();
  if (st.ok()) st = cluster->Split({{11, 12}, {13, 14, 15}});
  if (st.ok()) st = cluster->Settle();
  for (quorumsim::NodeId id = 11; st.ok() && id <= 15; id++) {
    quorumsim::NodeView view;
    st = cluster->GetNode(id, &view);
    if (st.ok()) std::printf("node %u: %s\n", id, view.quorate ? "quorate" : "inquorate");
  }
  if (!st.ok()) {
    std::fprintf(stderr, "split_check: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
