/*
 * quorumsim: choosing what votequorum_initialize connects to, for C programs.
 *
 * Not part of corosync's API (programs that must stay unmodified use the environment
 * variables instead: QUORUMSIM_CONF, QUORUMSIM_NODEID, QUORUMSIM_SCENARIO,
 * QUORUMSIM_SPEED, QUORUMSIM_BACKEND, QUORUMSIM_COROSYNC_LIB). C++ code should prefer
 * quorumsim::api::ScopedBinding (api/cpp/binding.hpp), which cannot be left bound by
 * accident; C code that builds its own cluster uses <quorumsim/cluster.h>, whose typed
 * quorumsim_cluster_bind replaces quorumsim_bind below.
 *
 * A binding applies to votequorum_initialize calls made after it, from any thread;
 * handles keep the node they were created on for their whole life. A C++ ScopedBinding
 * in force takes precedence over the C binding; the C binding takes precedence over
 * the environment.
 */
#ifndef QUORUMSIM_BINDING_H_
#define QUORUMSIM_BINDING_H_

#include <corosync/corotypes.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deprecated for C callers: prefer quorumsim_cluster_bind (<quorumsim/cluster.h>).
 * Binds to node `nodeid` of a simulated cluster; `cluster` is a quorumsim::Cluster*
 * (sim/cluster.h) that must outlive every handle created under the binding.
 * CS_ERR_INVALID_PARAM for a NULL cluster or a node id the cluster does not have. */
cs_error_t quorumsim_bind(void *cluster, uint32_t nodeid);

/* Binds to the real corosync through the system library at `library_path` (NULL: the
 * default path, or QUORUMSIM_COROSYNC_LIB). */
cs_error_t quorumsim_bind_corosync(const char *library_path);

/* Removes the C binding: initialize falls back to the environment again. */
void quorumsim_unbind(void);

#ifdef __cplusplus
}
#endif

#endif /* QUORUMSIM_BINDING_H_ */
