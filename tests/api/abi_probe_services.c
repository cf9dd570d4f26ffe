/* The same as abi_probe.c for libquorum, libcmap and libcfg: every size, field offset and
 * constant printed, every prototype checked at compile time. */
#include <corosync/cfg.h>
#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <stddef.h>
#include <stdio.h>

#define SIZE(t) printf("sizeof(%s)=%zu align=%zu\n", #t, sizeof(t), _Alignof(t))
#define FIELD(t, f) printf("offsetof(%s,%s)=%zu size=%zu\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f))
#define VALUE(c) printf("%s=%lld\n", #c, (long long)(c))
#define PROTOTYPE(fn, type) _Static_assert(_Generic(&fn, type: 1, default: 0), #fn " has another prototype")

PROTOTYPE(quorum_initialize, cs_error_t (*)(quorum_handle_t *, quorum_callbacks_t *, uint32_t *));
PROTOTYPE(quorum_model_initialize, cs_error_t (*)(quorum_handle_t *, quorum_model_t, quorum_model_data_t *, uint32_t *, void *));
PROTOTYPE(quorum_finalize, cs_error_t (*)(quorum_handle_t));
PROTOTYPE(quorum_fd_get, cs_error_t (*)(quorum_handle_t, int *));
PROTOTYPE(quorum_dispatch, cs_error_t (*)(quorum_handle_t, cs_dispatch_flags_t));
PROTOTYPE(quorum_getquorate, cs_error_t (*)(quorum_handle_t, int *));
PROTOTYPE(quorum_trackstart, cs_error_t (*)(quorum_handle_t, unsigned int));
PROTOTYPE(quorum_trackstop, cs_error_t (*)(quorum_handle_t));
PROTOTYPE(quorum_context_set, cs_error_t (*)(quorum_handle_t, const void *));
PROTOTYPE(quorum_context_get, cs_error_t (*)(quorum_handle_t, const void **));

PROTOTYPE(cmap_initialize, cs_error_t (*)(cmap_handle_t *));
PROTOTYPE(cmap_initialize_map, cs_error_t (*)(cmap_handle_t *, cmap_map_t));
PROTOTYPE(cmap_finalize, cs_error_t (*)(cmap_handle_t));
PROTOTYPE(cmap_fd_get, cs_error_t (*)(cmap_handle_t, int *));
PROTOTYPE(cmap_dispatch, cs_error_t (*)(cmap_handle_t, cs_dispatch_flags_t));
PROTOTYPE(cmap_context_get, cs_error_t (*)(cmap_handle_t, const void **));
PROTOTYPE(cmap_context_set, cs_error_t (*)(cmap_handle_t, const void *));
PROTOTYPE(cmap_set, cs_error_t (*)(cmap_handle_t, const char *, const void *, size_t, cmap_value_types_t));
PROTOTYPE(cmap_set_int8, cs_error_t (*)(cmap_handle_t, const char *, int8_t));
PROTOTYPE(cmap_set_uint8, cs_error_t (*)(cmap_handle_t, const char *, uint8_t));
PROTOTYPE(cmap_set_int16, cs_error_t (*)(cmap_handle_t, const char *, int16_t));
PROTOTYPE(cmap_set_uint16, cs_error_t (*)(cmap_handle_t, const char *, uint16_t));
PROTOTYPE(cmap_set_int32, cs_error_t (*)(cmap_handle_t, const char *, int32_t));
PROTOTYPE(cmap_set_uint32, cs_error_t (*)(cmap_handle_t, const char *, uint32_t));
PROTOTYPE(cmap_set_int64, cs_error_t (*)(cmap_handle_t, const char *, int64_t));
PROTOTYPE(cmap_set_uint64, cs_error_t (*)(cmap_handle_t, const char *, uint64_t));
PROTOTYPE(cmap_set_float, cs_error_t (*)(cmap_handle_t, const char *, float));
PROTOTYPE(cmap_set_double, cs_error_t (*)(cmap_handle_t, const char *, double));
PROTOTYPE(cmap_set_string, cs_error_t (*)(cmap_handle_t, const char *, const char *));
PROTOTYPE(cmap_delete, cs_error_t (*)(cmap_handle_t, const char *));
PROTOTYPE(cmap_get, cs_error_t (*)(cmap_handle_t, const char *, void *, size_t *, cmap_value_types_t *));
PROTOTYPE(cmap_get_int8, cs_error_t (*)(cmap_handle_t, const char *, int8_t *));
PROTOTYPE(cmap_get_uint8, cs_error_t (*)(cmap_handle_t, const char *, uint8_t *));
PROTOTYPE(cmap_get_int16, cs_error_t (*)(cmap_handle_t, const char *, int16_t *));
PROTOTYPE(cmap_get_uint16, cs_error_t (*)(cmap_handle_t, const char *, uint16_t *));
PROTOTYPE(cmap_get_int32, cs_error_t (*)(cmap_handle_t, const char *, int32_t *));
PROTOTYPE(cmap_get_uint32, cs_error_t (*)(cmap_handle_t, const char *, uint32_t *));
PROTOTYPE(cmap_get_int64, cs_error_t (*)(cmap_handle_t, const char *, int64_t *));
PROTOTYPE(cmap_get_uint64, cs_error_t (*)(cmap_handle_t, const char *, uint64_t *));
PROTOTYPE(cmap_get_float, cs_error_t (*)(cmap_handle_t, const char *, float *));
PROTOTYPE(cmap_get_double, cs_error_t (*)(cmap_handle_t, const char *, double *));
PROTOTYPE(cmap_get_string, cs_error_t (*)(cmap_handle_t, const char *, char **));
PROTOTYPE(cmap_inc, cs_error_t (*)(cmap_handle_t, const char *));
PROTOTYPE(cmap_dec, cs_error_t (*)(cmap_handle_t, const char *));
PROTOTYPE(cmap_iter_init, cs_error_t (*)(cmap_handle_t, const char *, cmap_iter_handle_t *));
PROTOTYPE(cmap_iter_next, cs_error_t (*)(cmap_handle_t, cmap_iter_handle_t, char *, size_t *, cmap_value_types_t *));
PROTOTYPE(cmap_iter_finalize, cs_error_t (*)(cmap_handle_t, cmap_iter_handle_t));
PROTOTYPE(cmap_track_add, cs_error_t (*)(cmap_handle_t, const char *, int32_t, cmap_notify_fn_t, void *, cmap_track_handle_t *));
PROTOTYPE(cmap_track_delete, cs_error_t (*)(cmap_handle_t, cmap_track_handle_t));

PROTOTYPE(corosync_cfg_initialize, cs_error_t (*)(corosync_cfg_handle_t *, const corosync_cfg_callbacks_t *));
PROTOTYPE(corosync_cfg_fd_get, cs_error_t (*)(corosync_cfg_handle_t, int32_t *));
PROTOTYPE(corosync_cfg_dispatch, cs_error_t (*)(corosync_cfg_handle_t, cs_dispatch_flags_t));
PROTOTYPE(corosync_cfg_finalize, cs_error_t (*)(corosync_cfg_handle_t));
PROTOTYPE(corosync_cfg_ring_status_get, cs_error_t (*)(corosync_cfg_handle_t, char ***, char ***, unsigned int *));
PROTOTYPE(corosync_cfg_node_status_get, cs_error_t (*)(corosync_cfg_handle_t, unsigned int, corosync_cfg_node_status_version_t, void *));
PROTOTYPE(corosync_cfg_kill_node, cs_error_t (*)(corosync_cfg_handle_t, unsigned int, const char *));
PROTOTYPE(corosync_cfg_trackstart, cs_error_t (*)(corosync_cfg_handle_t, uint8_t));
PROTOTYPE(corosync_cfg_trackstop, cs_error_t (*)(corosync_cfg_handle_t));
PROTOTYPE(corosync_cfg_try_shutdown, cs_error_t (*)(corosync_cfg_handle_t, corosync_cfg_shutdown_flags_t));
PROTOTYPE(corosync_cfg_replyto_shutdown, cs_error_t (*)(corosync_cfg_handle_t, corosync_cfg_shutdown_reply_flags_t));
PROTOTYPE(corosync_cfg_get_node_addrs, cs_error_t (*)(corosync_cfg_handle_t, unsigned int, size_t, int *, corosync_cfg_node_address_t *));
PROTOTYPE(corosync_cfg_local_get, cs_error_t (*)(corosync_cfg_handle_t, unsigned int *));
PROTOTYPE(corosync_cfg_reload_config, cs_error_t (*)(corosync_cfg_handle_t));
PROTOTYPE(corosync_cfg_reopen_log_files, cs_error_t (*)(corosync_cfg_handle_t));

typedef struct quorum_ring_id quorum_ring_id_t;
typedef struct cmap_notify_value cmap_notify_value_t;
typedef struct corosync_knet_link_status_v1 link_status_t;
typedef struct corosync_cfg_node_status_v1 node_status_t;

int main(void) {
  SIZE(quorum_handle_t);
  SIZE(quorum_ring_id_t);
  FIELD(quorum_ring_id_t, nodeid);
  FIELD(quorum_ring_id_t, seq);
  SIZE(quorum_callbacks_t);
  SIZE(quorum_model_data_t);
  SIZE(quorum_model_v0_data_t);
  FIELD(quorum_model_v0_data_t, quorum_notify_fn);
  SIZE(quorum_model_v1_data_t);
  FIELD(quorum_model_v1_data_t, quorum_notify_fn);
  FIELD(quorum_model_v1_data_t, nodelist_notify_fn);
  SIZE(quorum_model_t);
  VALUE(QUORUM_MODEL_V0);
  VALUE(QUORUM_MODEL_V1);
  VALUE(QUORUM_FREE);
  VALUE(QUORUM_SET);

  SIZE(cmap_handle_t);
  SIZE(cmap_iter_handle_t);
  SIZE(cmap_track_handle_t);
  SIZE(cmap_value_types_t);
  SIZE(cmap_map_t);
  SIZE(cmap_notify_value_t);
  FIELD(cmap_notify_value_t, type);
  FIELD(cmap_notify_value_t, len);
  FIELD(cmap_notify_value_t, data);
  VALUE(CMAP_KEYNAME_MAXLEN);
  VALUE(CMAP_KEYNAME_MINLEN);
  VALUE(CMAP_TRACK_ADD);
  VALUE(CMAP_TRACK_DELETE);
  VALUE(CMAP_TRACK_MODIFY);
  VALUE(CMAP_TRACK_PREFIX);
  VALUE(CMAP_VALUETYPE_INT8);
  VALUE(CMAP_VALUETYPE_UINT8);
  VALUE(CMAP_VALUETYPE_INT16);
  VALUE(CMAP_VALUETYPE_UINT16);
  VALUE(CMAP_VALUETYPE_INT32);
  VALUE(CMAP_VALUETYPE_UINT32);
  VALUE(CMAP_VALUETYPE_INT64);
  VALUE(CMAP_VALUETYPE_UINT64);
  VALUE(CMAP_VALUETYPE_FLOAT);
  VALUE(CMAP_VALUETYPE_DOUBLE);
  VALUE(CMAP_VALUETYPE_STRING);
  VALUE(CMAP_VALUETYPE_BINARY);
  VALUE(CMAP_MAP_DEFAULT);
  VALUE(CMAP_MAP_ICMAP);
  VALUE(CMAP_MAP_STATS);

  SIZE(corosync_cfg_handle_t);
  SIZE(corosync_cfg_shutdown_flags_t);
  SIZE(corosync_cfg_callbacks_t);
  SIZE(corosync_cfg_node_address_t);
  FIELD(corosync_cfg_node_address_t, address_length);
  FIELD(corosync_cfg_node_address_t, address);
  SIZE(link_status_t);
  FIELD(link_status_t, enabled);
  FIELD(link_status_t, connected);
  FIELD(link_status_t, dynconnected);
  FIELD(link_status_t, mtu);
  FIELD(link_status_t, src_ipaddr);
  FIELD(link_status_t, dst_ipaddr);
  SIZE(node_status_t);
  FIELD(node_status_t, version);
  FIELD(node_status_t, nodeid);
  FIELD(node_status_t, reachable);
  FIELD(node_status_t, remote);
  FIELD(node_status_t, external);
  FIELD(node_status_t, onwire_min);
  FIELD(node_status_t, onwire_max);
  FIELD(node_status_t, onwire_ver);
  FIELD(node_status_t, link_status);
  VALUE(COROSYNC_CFG_SHUTDOWN_FLAG_REQUEST);
  VALUE(COROSYNC_CFG_SHUTDOWN_FLAG_REGARDLESS);
  VALUE(COROSYNC_CFG_SHUTDOWN_FLAG_IMMEDIATE);
  VALUE(COROSYNC_CFG_SHUTDOWN_FLAG_NO);
  VALUE(COROSYNC_CFG_SHUTDOWN_FLAG_YES);
  VALUE(CFG_NODE_STATUS_V1);
  VALUE(CFG_MAX_HOST_LEN);
  VALUE(CFG_MAX_LINKS);
  return 0;
}
