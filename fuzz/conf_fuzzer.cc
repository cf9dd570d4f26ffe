// Fuzz target: the corosync.conf parser. Besides not crashing, an accepted file must give
// a nodelist corosync would accept (1..384 nodes, unique non-zero ids).
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "sim/corosync_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  quorumsim::ClusterConfig cfg;
  quorumsim::Status st = quorumsim::ParseCorosyncConf(text, "fuzz.conf", &cfg);
  if (st.ok()) {
    const auto& nodes = cfg.votequorum.nodelist;
    if (nodes.empty() || nodes.size() > static_cast<size_t>(quorumsim::kMaxNodes)) std::abort();
    std::set<quorumsim::NodeId> ids;
    for (const auto& n : nodes) {
      if (n.node_id == 0 || !ids.insert(n.node_id).second) std::abort();
    }
  } else if (st.message().rfind("fuzz.conf:", 0) != 0) {
    std::abort();  // every parse error is located
  }
  return 0;
}
