// Connections to one node of a simulated cluster.
#ifndef QUORUMSIM_API_SRC_SIM_CONNECTION_H_
#define QUORUMSIM_API_SRC_SIM_CONNECTION_H_

#include <memory>

#include "api/src/cluster_host.h"
#include "api/src/connection.h"
#include "engine/types.h"

namespace quorumsim::api {

// votequorum_initialize under this factory connects to node `node` of the host's cluster.
std::shared_ptr<ConnectionFactory> MakeSimFactory(std::shared_ptr<ClusterHost> host, NodeId node);

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SIM_CONNECTION_H_
