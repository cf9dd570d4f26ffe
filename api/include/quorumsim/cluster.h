/*
 * quorumsim: create and drive a simulated cluster from C, and bind votequorum clients
 * to its nodes. Not part of corosync's API; exported by libvotequorum.so.8 and by the
 * in-process library //api:votequorum.
 *
 *   quorumsim_cluster_t *c;
 *   if (quorumsim_cluster_create("three-node.conf", 0, &c) != CS_OK)
 *     fprintf(stderr, "%s\n", quorumsim_last_error());
 *   quorumsim_cluster_bind(c, 1);          // votequorum_initialize now talks to node 1
 *   votequorum_initialize(&h, &callbacks);
 *   quorumsim_cluster_run(c, "split 1:3"); // node 3 alone in partition 1
 *   votequorum_dispatch(h, CS_DISPATCH_ALL);
 *   ...
 *   votequorum_finalize(h);
 *   quorumsim_cluster_destroy(c);
 *
 * Every function returns CS_OK or a code below and never crashes on NULL arguments.
 * When one fails, quorumsim_last_error() says why; on success it is "".
 */
#ifndef QUORUMSIM_CLUSTER_H_
#define QUORUMSIM_CLUSTER_H_

#include <corosync/corotypes.h>
#include <quorumsim/binding.h> /* quorumsim_unbind */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A simulated cluster running in this process, in virtual time. Opaque. */
typedef struct quorumsim_cluster quorumsim_cluster_t;

/* Builds the cluster a corosync.conf describes, starts every node of its nodelist and
 * runs until the cluster has settled. `seed` drives message-delay jitter only: same
 * file, seed and calls give the same cluster history.
 * On success *out is the new cluster; on failure *out is NULL and:
 *   CS_ERR_INVALID_PARAM  a NULL argument, or the file is not a valid configuration
 *                         (the message names file and line) or has no nodelist;
 *   CS_ERR_NOT_EXIST      the file cannot be read;
 *   CS_ERR_TIMEOUT        the cluster did not settle. */
cs_error_t quorumsim_cluster_create(const char *corosync_conf_path, uint64_t seed,
                                    quorumsim_cluster_t **out);

/* Runs one line of the scenario language (`quorumsim -h`: "split 1:3", "join 0 1",
 * "crash 2", "wait 10s", "expect 1 quorate=1", ...) and then runs the cluster until it
 * settles, as the quorumsim command does. Status lines are discarded. Takes the lock
 * every client call to this cluster takes, so clients on other threads may keep
 * calling the votequorum_* functions meanwhile; their callbacks are queued for their
 * own votequorum_dispatch, never run from here. Blank and comment lines are CS_OK.
 *   CS_ERR_INVALID_PARAM     a NULL argument, an unknown command, a bad argument or an
 *                            unknown node id; also `exit` (end the cluster with
 *                            quorumsim_cluster_destroy, stop nodes with `down`/`crash`);
 *   CS_ERR_FAILED_OPERATION  an `expect` that does not hold (the message lists the
 *                            fields that differ);
 *   CS_ERR_TIMEOUT           `assert on` is in force and the cluster did not settle. */
cs_error_t quorumsim_cluster_run(quorumsim_cluster_t *cluster, const char *command);

/* From now on votequorum_initialize, from any thread of the process, connects to node
 * `nodeid` of `cluster`. Replaces any earlier quorumsim_cluster_bind or quorumsim_bind;
 * quorumsim_unbind (<quorumsim/binding.h>) removes it. Handles keep the node they were
 * created on, so bind, initialize, bind again, initialize again gives clients on two
 * nodes. A C++ ScopedBinding in force still takes precedence (binding.h).
 *   CS_ERR_INVALID_PARAM  NULL cluster;
 *   CS_ERR_NOT_EXIST      `nodeid` is not in the cluster's nodelist (the binding is
 *                         left as it was). */
cs_error_t quorumsim_cluster_bind(quorumsim_cluster_t *cluster, uint32_t nodeid);

/* Gives the cluster up; NULL is ignored. If the C binding points at it, it is removed
 * (later initializes fall back to the environment). Handles still open on it stay
 * valid: the nodes live on until the last of them is finalized. Must not race with
 * another call on the same cluster pointer. */
void quorumsim_cluster_destroy(quorumsim_cluster_t *cluster);

/* Why the calling thread's last quorumsim_cluster_* call failed ("" if it succeeded or
 * none was made). Never NULL; valid until that thread's next quorumsim_cluster_* call. */
const char *quorumsim_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* QUORUMSIM_CLUSTER_H_ */
