/*
 * quorumsim: the quorum client API (<corosync/quorum.h>, libquorum.so.5).
 *
 * Written for quorumsim. Names, values, types, sizes and layouts match corosync 3.1's
 * header of the same name (checked by tests/api/abi_test), so a program written for
 * corosync compiles unchanged. Behind it is the quorum service of a simulated node (the
 * node a binding or QUORUMSIM_CONF / QUORUMSIM_NODEID names) or, with
 * QUORUMSIM_BACKEND=corosync, the system's real libquorum.
 *
 * The quorum service reports the verdict of the quorum provider (votequorum) and the
 * membership. Model V0 connections receive quorum notifications with the ring sequence
 * number; model V1 connections receive the full ring id and, after every membership
 * change, a nodelist notification with the members that joined and left.
 */
#ifndef COROSYNC_QUORUM_H_DEFINED
#define COROSYNC_QUORUM_H_DEFINED

#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	QUORUM_MODEL_V0 = 0,
	QUORUM_MODEL_V1 = 1,
} quorum_model_t;

/* An opaque connection handle (see quorum_fd_get for the descriptor). */
typedef uint64_t quorum_handle_t;

struct quorum_ring_id {
	uint32_t nodeid;
	uint64_t seq;
};

/* V0: the verdict, the ring's sequence number and the members of the quorum view. */
typedef void (*quorum_notification_fn_t) (
	quorum_handle_t handle,
	uint32_t quorate,
	uint64_t ring_seq,
	uint32_t view_list_entries,
	uint32_t *view_list
	);

/* V1: the verdict with the full ring id. */
typedef void (*quorum_v1_quorum_notification_fn_t) (
	quorum_handle_t handle,
	uint32_t quorate,
	struct quorum_ring_id ring_id,
	uint32_t member_list_entries, const uint32_t *member_list
);

/* V1: a membership change has completed; joined and left are relative to the previous
 * completed membership (both empty in the snapshot quorum_trackstart sends). */
typedef void (*quorum_v1_nodelist_notification_fn_t) (
	quorum_handle_t handle,
	struct quorum_ring_id ring_id,
	uint32_t member_list_entries, const uint32_t *member_list,
	uint32_t joined_list_entries, const uint32_t *joined_list,
	uint32_t left_list_entries, const uint32_t *left_list
);

typedef struct {
	quorum_notification_fn_t quorum_notify_fn;
} quorum_callbacks_t;

typedef struct {
	quorum_model_t model;
} quorum_model_data_t;

typedef struct {
	quorum_model_t model;
	quorum_notification_fn_t quorum_notify_fn;
} quorum_model_v0_data_t;

typedef struct {
	quorum_model_t model;
	quorum_v1_quorum_notification_fn_t quorum_notify_fn;
	quorum_v1_nodelist_notification_fn_t nodelist_notify_fn;
} quorum_model_v1_data_t;

/* quorum_type values: no quorum provider (always quorate) or a provider is configured. */
#define QUORUM_FREE	0
#define QUORUM_SET	1

/* Connects with model V0. callbacks may be NULL; quorum_type may be NULL. */
cs_error_t quorum_initialize (
	quorum_handle_t *handle,
	quorum_callbacks_t *callbacks,
	uint32_t *quorum_type);

/* Connects with the given model; model_data points to a quorum_model_v0_data_t or
 * quorum_model_v1_data_t (or is NULL: no callbacks). CS_ERR_INVALID_PARAM for another
 * model. context is what quorum_context_get returns. */
cs_error_t quorum_model_initialize (
	quorum_handle_t *handle,
	quorum_model_t model,
	quorum_model_data_t *model_data,
	uint32_t *quorum_type,
	void *context);

cs_error_t quorum_finalize (
	quorum_handle_t handle);

/* A descriptor that polls readable while notifications wait for quorum_dispatch. */
cs_error_t quorum_fd_get (
	quorum_handle_t handle,
	int *fd);

/* Runs the callbacks of waiting notifications: CS_DISPATCH_ONE, CS_DISPATCH_ALL,
 * CS_DISPATCH_BLOCKING or CS_DISPATCH_ONE_NONBLOCKING. */
cs_error_t quorum_dispatch (
	quorum_handle_t handle,
	cs_dispatch_flags_t dispatch_types);

/* *quorate: 1 when the node is in the quorate partition. */
cs_error_t quorum_getquorate (
	quorum_handle_t handle,
	int *quorate);

/* CS_TRACK_CURRENT and CS_TRACK_CHANGES send the current state at once; CS_TRACK_CHANGES
 * and CS_TRACK_CHANGES_ONLY keep notifying. CS_ERR_EXIST when already tracking. */
cs_error_t quorum_trackstart (
	quorum_handle_t handle,
	unsigned int flags );

cs_error_t quorum_trackstop (
	quorum_handle_t handle);

cs_error_t quorum_context_set (
	quorum_handle_t handle,
	const void *context);

cs_error_t quorum_context_get (
	quorum_handle_t handle,
	const void **context);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_QUORUM_H_DEFINED */
