/*
 * quorumsim: the configuration client API (<corosync/cfg.h>, libcfg.so.7).
 *
 * Written for quorumsim. Names, values, types, sizes and layouts match corosync 3.1's
 * header of the same name (checked by tests/api/abi_test). On a simulated node: the local
 * node id, the nodelist addresses of a node, its reachability, a clean shutdown of the
 * node and killing another node. What has no meaning in a simulation returns
 * CS_ERR_NOT_SUPPORTED (api/README.md lists every function with its status). With
 * QUORUMSIM_BACKEND=corosync every call goes to the system's real libcfg.
 */
#ifndef COROSYNC_CFG_H_DEFINED
#define COROSYNC_CFG_H_DEFINED

#include <netinet/in.h>
#include <corosync/corotypes.h>

typedef uint64_t corosync_cfg_handle_t;

typedef enum {
	/* Ask the other cfg clients first. */
	COROSYNC_CFG_SHUTDOWN_FLAG_REQUEST = 0,
	/* Tell the other cfg clients, whatever they answer. */
	COROSYNC_CFG_SHUTDOWN_FLAG_REGARDLESS = 1,
	/* Shut down at once (the other nodes are still told). */
	COROSYNC_CFG_SHUTDOWN_FLAG_IMMEDIATE = 2,
} corosync_cfg_shutdown_flags_t;

typedef enum {
	COROSYNC_CFG_SHUTDOWN_FLAG_NO = 0,
	COROSYNC_CFG_SHUTDOWN_FLAG_YES = 1,
} corosync_cfg_shutdown_reply_flags_t;

typedef void (*corosync_cfg_shutdown_callback_t) (
	corosync_cfg_handle_t cfg_handle,
	corosync_cfg_shutdown_flags_t flags);

typedef struct {
	corosync_cfg_shutdown_callback_t corosync_cfg_shutdown_callback;
} corosync_cfg_callbacks_t;

/* One address of a node: a struct sockaddr_in or sockaddr_in6 in `address`. */
typedef struct
{
	int address_length;
	char address[sizeof(struct sockaddr_in6)];
} corosync_cfg_node_address_t;

#ifdef __cplusplus
extern "C" {
#endif

cs_error_t
corosync_cfg_initialize (
	corosync_cfg_handle_t *cfg_handle,
	const corosync_cfg_callbacks_t *cfg_callbacks);

cs_error_t
corosync_cfg_fd_get (
	corosync_cfg_handle_t cfg_handle,
	int32_t *selection_fd);

cs_error_t
corosync_cfg_dispatch (
	corosync_cfg_handle_t cfg_handle,
	cs_dispatch_flags_t dispatch_flags);

cs_error_t
corosync_cfg_finalize (
	corosync_cfg_handle_t cfg_handle);

/* Not simulated: CS_ERR_NOT_SUPPORTED. */
cs_error_t
corosync_cfg_ring_status_get (
	corosync_cfg_handle_t cfg_handle,
	char ***interface_names,
	char ***status,
	unsigned int *interface_count);

typedef enum {
	CFG_NODE_STATUS_V1 = 1,
} corosync_cfg_node_status_version_t;

#define CFG_MAX_HOST_LEN 256
#define CFG_MAX_LINKS 8

struct corosync_knet_link_status_v1 {
	uint8_t enabled;		/* configured and enabled */
	uint8_t connected;		/* connected (local view) */
	uint8_t dynconnected;		/* activated by a remote dynamic address */
	unsigned int mtu;		/* detected MTU */
	char src_ipaddr[CFG_MAX_HOST_LEN];
	char dst_ipaddr[CFG_MAX_HOST_LEN];
};

struct corosync_cfg_node_status_v1 {
	corosync_cfg_node_status_version_t version;
	unsigned int nodeid;
	uint8_t reachable;
	uint8_t remote;
	uint8_t external;
	uint8_t onwire_min;
	uint8_t onwire_max;
	uint8_t onwire_ver;
	struct corosync_knet_link_status_v1 link_status[CFG_MAX_LINKS];
};

/* node_status points to the struct of `version` (CFG_NODE_STATUS_V1). */
cs_error_t
corosync_cfg_node_status_get (
	corosync_cfg_handle_t cfg_handle,
	unsigned int nodeid,
	corosync_cfg_node_status_version_t version,
	void *node_status);

/* The node `nodeid`, if it is in this node's membership, exits (as a crash). */
cs_error_t
corosync_cfg_kill_node (
	corosync_cfg_handle_t cfg_handle,
	unsigned int nodeid,
	const char *reason);

/* Registers for the shutdown callback. */
cs_error_t
corosync_cfg_trackstart (
	corosync_cfg_handle_t cfg_handle,
	uint8_t track_flags);

cs_error_t
corosync_cfg_trackstop (
	corosync_cfg_handle_t cfg_handle);

/* Shuts the node down cleanly (it leaves the cluster). */
cs_error_t
corosync_cfg_try_shutdown (
	corosync_cfg_handle_t cfg_handle,
	corosync_cfg_shutdown_flags_t flags);

/* Not simulated: CS_ERR_NOT_SUPPORTED (try_shutdown does not wait for replies). */
cs_error_t
corosync_cfg_replyto_shutdown (
	corosync_cfg_handle_t cfg_handle,
	corosync_cfg_shutdown_reply_flags_t flags);

/* The addresses of node `nodeid` (0: this node) in link order, from its nodelist entry.
 * *num_addrs is their number (it may exceed max_addrs; only max_addrs are written).
 * CS_ERR_NOT_EXIST for a node that is not in the nodelist. */
cs_error_t
corosync_cfg_get_node_addrs (
	corosync_cfg_handle_t cfg_handle,
	unsigned int nodeid,
	size_t max_addrs,
	int *num_addrs,
	corosync_cfg_node_address_t *addrs);

cs_error_t
corosync_cfg_local_get (
	corosync_cfg_handle_t handle,
	unsigned int *local_nodeid);

/* Not simulated: CS_ERR_NOT_SUPPORTED. */
cs_error_t corosync_cfg_reload_config (
	corosync_cfg_handle_t handle);

/* Not simulated: CS_ERR_NOT_SUPPORTED. */
cs_error_t corosync_cfg_reopen_log_files (
	corosync_cfg_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_CFG_H_DEFINED */
