// Which node (or which real daemon) votequorum_initialize connects to.
//
// Resolution, first match wins:
//   1. the innermost thread-scoped binding of the calling thread,
//   2. the innermost process-wide scoped binding (C++ ScopedBinding),
//   3. the C binding (quorumsim_bind / quorumsim_bind_corosync),
//   4. the environment: QUORUMSIM_BACKEND=corosync, else QUORUMSIM_CONF (a simulated
//      cluster built from that file, node QUORUMSIM_NODEID),
//   5. nothing: initialize fails with CS_ERR_LIBRARY, as without a running corosync.
// Explicit code wins over the environment, so a test harness binding clients to
// simulated nodes keeps doing so whatever the environment says.
#ifndef QUORUMSIM_API_SRC_BINDING_STACK_H_
#define QUORUMSIM_API_SRC_BINDING_STACK_H_

#include <cstdint>
#include <memory>

#include "api/src/connection.h"

namespace quorumsim::api {

std::shared_ptr<ConnectionFactory> CurrentFactory();

// Scoped bindings; the token removes exactly that binding (bindings may end in any
// order when several threads use them).
uint64_t PushBinding(std::shared_ptr<ConnectionFactory> factory, bool this_thread_only);
void PopBinding(uint64_t token);

// The single C-level binding slot; null clears it.
void SetCBinding(std::shared_ptr<ConnectionFactory> factory);
// Clears the C binding only if it is still `factory` (a cluster being destroyed must
// not undo a binding made since to another one).
void ClearCBindingIf(const ConnectionFactory* factory);

// Step 4 (env_factory.cc): the factory the environment asks for, or null.
std::shared_ptr<ConnectionFactory> EnvironmentFactory();

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_BINDING_STACK_H_
