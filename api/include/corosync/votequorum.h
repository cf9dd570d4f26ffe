/*
 * quorumsim: the votequorum client API (<corosync/votequorum.h>).
 *
 * Written for quorumsim. Names, values, types, sizes and layouts match corosync 3.1's
 * header of the same name (checked by tests/api/abi_test), so a program written for
 * corosync compiles unchanged. Behind these functions is either a simulated cluster
 * (the default; see <quorumsim/binding.h> for choosing the node) or, with
 * QUORUMSIM_BACKEND=corosync, the system's real libvotequorum.
 *
 * Every function returns a cs_error_t; CS_OK means success. A handle that was never
 * returned by votequorum_initialize, or was finalized, gives CS_ERR_BAD_HANDLE.
 */
#ifndef COROSYNC_VOTEQUORUM_H_DEFINED
#define COROSYNC_VOTEQUORUM_H_DEFINED

#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque connection handle (not a file descriptor; see votequorum_fd_get). */
typedef uint64_t votequorum_handle_t;

/* Bits of votequorum_info.flags. 1..32 are cluster settings, 2 is the asking node's
 * verdict, 64..512 describe the quorum device of the node that was asked about. */
#define VOTEQUORUM_INFO_TWONODE 1
#define VOTEQUORUM_INFO_QUORATE 2
#define VOTEQUORUM_INFO_WAIT_FOR_ALL 4
#define VOTEQUORUM_INFO_LAST_MAN_STANDING 8
#define VOTEQUORUM_INFO_AUTO_TIE_BREAKER 16
#define VOTEQUORUM_INFO_ALLOW_DOWNSCALE 32
#define VOTEQUORUM_INFO_QDEVICE_REGISTERED 64
#define VOTEQUORUM_INFO_QDEVICE_ALIVE 128
#define VOTEQUORUM_INFO_QDEVICE_CAST_VOTE 256
#define VOTEQUORUM_INFO_QDEVICE_MASTER_WINS 512

/* The quorum device's pseudo node id: setvotes(h, 0, v) targets the device, while
 * getinfo(h, 0, ...) means "the local node". */
#define VOTEQUORUM_QDEVICE_NODEID 0
/* Device names have 1 .. VOTEQUORUM_QDEVICE_MAX_NAME_LEN - 1 characters. */
#define VOTEQUORUM_QDEVICE_MAX_NAME_LEN 255
/* Milliseconds (quorum.device.timeout / quorum.device.sync_timeout defaults). */
#define VOTEQUORUM_QDEVICE_DEFAULT_TIMEOUT 10000
#define VOTEQUORUM_QDEVICE_DEFAULT_SYNC_TIMEOUT 30000

/* votequorum_info.node_state and votequorum_node_t.state (0 marks the device entry). */
#define VOTEQUORUM_NODESTATE_MEMBER 1
#define VOTEQUORUM_NODESTATE_DEAD 2
#define VOTEQUORUM_NODESTATE_LEAVING 3

/* What votequorum_getinfo reports about one node, as the local node sees it. */
struct votequorum_info {
  unsigned int node_id;
  unsigned int node_state;
  unsigned int node_votes;
  unsigned int node_expected_votes;
  unsigned int highest_expected;
  unsigned int total_votes;
  unsigned int quorum;
  unsigned int flags; /* VOTEQUORUM_INFO_* */
  unsigned int qdevice_votes;
  char qdevice_name[VOTEQUORUM_QDEVICE_MAX_NAME_LEN]; /* NUL terminated, "" if none */
};

/* One entry of a quorum notification. */
typedef struct {
  uint32_t nodeid;
  uint32_t state; /* VOTEQUORUM_NODESTATE_*, 0 for the device entry */
} votequorum_node_t;

/* A totem ring id: representative node and sequence (printed with CS_PRI_RING_ID). */
typedef struct {
  uint32_t nodeid;
  uint64_t seq;
} votequorum_ring_id_t;

/* The verdict after a membership change (or a flip), with every node the local node
 * knows about. */
typedef void (*votequorum_quorum_notification_fn_t)(votequorum_handle_t handle,
                                                    uint64_t context, uint32_t quorate,
                                                    uint32_t node_list_entries,
                                                    votequorum_node_t node_list[]);

/* The start of a membership change: the new ring id and its members. A quorum device
 * must quote this ring id in votequorum_qdevice_poll. */
typedef void (*votequorum_nodelist_notification_fn_t)(votequorum_handle_t handle,
                                                      uint64_t context,
                                                      votequorum_ring_id_t ring_id,
                                                      uint32_t node_list_entries,
                                                      uint32_t node_list[]);

/* Expected votes were set or raised. */
typedef void (*votequorum_expectedvotes_notification_fn_t)(votequorum_handle_t handle,
                                                           uint64_t context,
                                                           uint32_t expected_votes);

/* Any member may be NULL: that kind of notification is then dropped by dispatch. */
typedef struct {
  votequorum_quorum_notification_fn_t votequorum_quorum_notify_fn;
  votequorum_expectedvotes_notification_fn_t votequorum_expectedvotes_notify_fn;
  votequorum_nodelist_notification_fn_t votequorum_nodelist_notify_fn;
} votequorum_callbacks_t;

/* Connects to the local node's votequorum service. callbacks may be NULL (no
 * notifications); the structure is copied. */
cs_error_t votequorum_initialize(votequorum_handle_t *handle, votequorum_callbacks_t *callbacks);

/* Closes the connection; the handle is invalid afterwards (also inside a callback). */
cs_error_t votequorum_finalize(votequorum_handle_t handle);

/* Runs pending notifications; the only place callbacks are called from. */
cs_error_t votequorum_dispatch(votequorum_handle_t handle, cs_dispatch_flags_t dispatch_types);

/* A descriptor that polls readable while a notification is waiting for dispatch. */
cs_error_t votequorum_fd_get(votequorum_handle_t handle, int *fd);

/* Vote information about nodeid (0: the local node). */
cs_error_t votequorum_getinfo(votequorum_handle_t handle, unsigned int nodeid,
                              struct votequorum_info *info);

/* Changes expected votes cluster-wide; refused if it would cost the local node quorum. */
cs_error_t votequorum_setexpected(votequorum_handle_t handle, unsigned int expected_votes);

/* Changes the votes of nodeid (0: the quorum device) cluster-wide. */
cs_error_t votequorum_setvotes(votequorum_handle_t handle, unsigned int nodeid,
                               unsigned int votes);

/* Asks for notifications (CS_TRACK_* flags); context is passed back to the callbacks. */
cs_error_t votequorum_trackstart(votequorum_handle_t handle, uint64_t context,
                                 unsigned int flags);

/* Stops change notifications. */
cs_error_t votequorum_trackstop(votequorum_handle_t handle);

/* A pointer the application keeps with the handle; NULL until set. */
cs_error_t votequorum_context_get(votequorum_handle_t handle, void **context);
cs_error_t votequorum_context_set(votequorum_handle_t handle, void *context);

/* Quorum device calls, made by the device's daemon on its local node. A registered
 * device counts no votes until its first successful poll. */
cs_error_t votequorum_qdevice_register(votequorum_handle_t handle, const char *name);
cs_error_t votequorum_qdevice_unregister(votequorum_handle_t handle, const char *name);
cs_error_t votequorum_qdevice_update(votequorum_handle_t handle, const char *oldname,
                                     const char *newname);
/* "I am alive; count my votes (cast_vote != 0) or not". ring_id must be the one of the
 * latest nodelist notification. */
cs_error_t votequorum_qdevice_poll(votequorum_handle_t handle, const char *name,
                                   unsigned int cast_vote, votequorum_ring_id_t ring_id);
/* Whether a member whose device has master_wins and casts its vote makes this node
 * quorate. */
cs_error_t votequorum_qdevice_master_wins(votequorum_handle_t handle, const char *name,
                                          unsigned int allow);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_VOTEQUORUM_H_DEFINED */
