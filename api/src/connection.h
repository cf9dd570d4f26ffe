// The daemon side of one library connection, as seen by the C functions.
//
// votequorum.cc does what corosync's library does itself (argument checks, handles,
// callbacks, finalize); everything corosync's library sends to the daemon goes through a
// Connection. Implementations: the simulator (sim_connection), the real corosync library
// (corosync_connection) and a scripted fake for the library's own tests.
#ifndef QUORUMSIM_API_SRC_CONNECTION_H_
#define QUORUMSIM_API_SRC_CONNECTION_H_

#include <memory>
#include <string>

#include <corosync/votequorum.h>

#include "api/src/deliver.h"
#include "api/src/notification.h"

namespace quorumsim::api {

class Connection {
 public:
  virtual ~Connection() = default;

  virtual cs_error_t GetInfo(unsigned int nodeid, votequorum_info* info) = 0;
  virtual cs_error_t SetExpected(unsigned int expected_votes) = 0;
  virtual cs_error_t SetVotes(unsigned int nodeid, unsigned int votes) = 0;
  virtual cs_error_t TrackStart(uint64_t context, unsigned int flags) = 0;
  virtual cs_error_t TrackStop() = 0;
  virtual cs_error_t QdeviceRegister(const char* name) = 0;
  virtual cs_error_t QdeviceUnregister(const char* name) = 0;
  virtual cs_error_t QdeviceUpdate(const char* oldname, const char* newname) = 0;
  virtual cs_error_t QdevicePoll(const char* name, unsigned int cast_vote,
                                 votequorum_ring_id_t ring_id) = 0;
  virtual cs_error_t QdeviceMasterWins(const char* name, unsigned int allow) = 0;

  virtual cs_error_t FdGet(int* fd) = 0;

  // Runs notifications as `type` asks, calling `deliver` for each one. `deliver` returns
  // false when the handle was finalized meanwhile; dispatch then stops with
  // CS_ERR_BAD_HANDLE, as corosync's does.
  using Deliver = DeliverRef;
  virtual cs_error_t Dispatch(cs_dispatch_flags_t type, const Deliver& deliver) = 0;

  // votequorum_finalize: the daemon forgets the connection; a thread blocked in
  // Dispatch wakes up. Called once.
  virtual void Close() = 0;
};

class ClusterHost;

// Where the other corosync services of a binding live (libquorum, libcmap, libcfg): a
// node of a simulated cluster, or the real daemon through the system libraries in
// `corosync_library_dir`. Neither (a fake): those libraries fail with CS_ERR_LIBRARY.
struct Endpoint {
  std::shared_ptr<ClusterHost> host;  // simulated: the cluster ...
  uint32_t node = 0;                  // ... and the node
  std::string corosync_library_dir;   // real: where corosync's libraries are
};

// Where votequorum_initialize connects to (one node of a simulated cluster, the real
// daemon, a fake).
class ConnectionFactory {
 public:
  virtual ~ConnectionFactory() = default;
  virtual Endpoint endpoint() const { return Endpoint{}; }
  // CS_OK and a connection, or the error initialize returns (CS_ERR_LIBRARY when the
  // node's "daemon" is not running).
  virtual cs_error_t Open(std::unique_ptr<Connection>* out) = 0;
};

// Dispatch for connections that queue notifications in a NotificationQueue; implements
// the ONE / ALL / BLOCKING / ONE_NONBLOCKING rules of corosync's library.
cs_error_t DispatchFromQueue(NotificationQueue& queue, cs_dispatch_flags_t type,
                             const Connection::Deliver& deliver);

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_CONNECTION_H_
