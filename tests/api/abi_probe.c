/* Prints every size, field offset and constant of the votequorum client ABI, one per
 * line. abi_test.sh compiles this file once against quorumsim's headers and once
 * against the system's corosync headers and requires identical output. The function
 * prototype checks below make a different signature fail to compile. */
#include <corosync/votequorum.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#define SIZE(t) printf("sizeof(%s)=%zu align=%zu\n", #t, sizeof(t), _Alignof(t))
#define FIELD(t, f) printf("offsetof(%s,%s)=%zu size=%zu\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f))
#define VALUE(c) printf("%s=%lld\n", #c, (long long)(c))
#define TEXT(c) printf("%s=\"%s\"\n", #c, c)

typedef struct votequorum_info info_t;

/* Every prototype, checked at compile time without referencing the symbol (so the
 * probe links without any library). */
#define PROTOTYPE(fn, type) _Static_assert(_Generic(&fn, type: 1, default: 0), #fn " has another prototype")
PROTOTYPE(votequorum_initialize, cs_error_t (*)(votequorum_handle_t *, votequorum_callbacks_t *));
PROTOTYPE(votequorum_finalize, cs_error_t (*)(votequorum_handle_t));
PROTOTYPE(votequorum_dispatch, cs_error_t (*)(votequorum_handle_t, cs_dispatch_flags_t));
PROTOTYPE(votequorum_fd_get, cs_error_t (*)(votequorum_handle_t, int *));
PROTOTYPE(votequorum_getinfo, cs_error_t (*)(votequorum_handle_t, unsigned int, struct votequorum_info *));
PROTOTYPE(votequorum_setexpected, cs_error_t (*)(votequorum_handle_t, unsigned int));
PROTOTYPE(votequorum_setvotes, cs_error_t (*)(votequorum_handle_t, unsigned int, unsigned int));
PROTOTYPE(votequorum_trackstart, cs_error_t (*)(votequorum_handle_t, uint64_t, unsigned int));
PROTOTYPE(votequorum_trackstop, cs_error_t (*)(votequorum_handle_t));
PROTOTYPE(votequorum_context_get, cs_error_t (*)(votequorum_handle_t, void **));
PROTOTYPE(votequorum_context_set, cs_error_t (*)(votequorum_handle_t, void *));
PROTOTYPE(votequorum_qdevice_register, cs_error_t (*)(votequorum_handle_t, const char *));
PROTOTYPE(votequorum_qdevice_unregister, cs_error_t (*)(votequorum_handle_t, const char *));
PROTOTYPE(votequorum_qdevice_update, cs_error_t (*)(votequorum_handle_t, const char *, const char *));
PROTOTYPE(votequorum_qdevice_poll, cs_error_t (*)(votequorum_handle_t, const char *, unsigned int, votequorum_ring_id_t));
PROTOTYPE(votequorum_qdevice_master_wins, cs_error_t (*)(votequorum_handle_t, const char *, unsigned int));
PROTOTYPE(qb_to_cs_error, cs_error_t (*)(int));
PROTOTYPE(cs_strerror, const char *(*)(cs_error_t));
PROTOTYPE(hdb_error_to_cs, cs_error_t (*)(int));
PROTOTYPE(cs_timestamp_get, uint64_t (*)(void));

/* Each callback typedef must accept a function of exactly this shape. */
static void quorum_fn(votequorum_handle_t h, uint64_t c, uint32_t q, uint32_t n, votequorum_node_t l[]) {
  (void)h, (void)c, (void)q, (void)n, (void)l;
}
static void nodelist_fn(votequorum_handle_t h, uint64_t c, votequorum_ring_id_t r, uint32_t n, uint32_t l[]) {
  (void)h, (void)c, (void)r, (void)n, (void)l;
}
static void expected_fn(votequorum_handle_t h, uint64_t c, uint32_t e) { (void)h, (void)c, (void)e; }

int main(void) {
  votequorum_quorum_notification_fn_t qf = quorum_fn;
  votequorum_nodelist_notification_fn_t nf = nodelist_fn;
  votequorum_expectedvotes_notification_fn_t ef = expected_fn;
  votequorum_callbacks_t cbs = {qf, ef, nf};
  (void)cbs;

  SIZE(votequorum_handle_t);
  SIZE(info_t);
  FIELD(info_t, node_id);
  FIELD(info_t, node_state);
  FIELD(info_t, node_votes);
  FIELD(info_t, node_expected_votes);
  FIELD(info_t, highest_expected);
  FIELD(info_t, total_votes);
  FIELD(info_t, quorum);
  FIELD(info_t, flags);
  FIELD(info_t, qdevice_votes);
  FIELD(info_t, qdevice_name);
  SIZE(votequorum_node_t);
  FIELD(votequorum_node_t, nodeid);
  FIELD(votequorum_node_t, state);
  SIZE(votequorum_ring_id_t);
  FIELD(votequorum_ring_id_t, nodeid);
  FIELD(votequorum_ring_id_t, seq);
  SIZE(votequorum_callbacks_t);
  FIELD(votequorum_callbacks_t, votequorum_quorum_notify_fn);
  FIELD(votequorum_callbacks_t, votequorum_expectedvotes_notify_fn);
  FIELD(votequorum_callbacks_t, votequorum_nodelist_notify_fn);
  SIZE(cs_time_t);
  SIZE(cs_name_t);
  FIELD(cs_name_t, length);
  FIELD(cs_name_t, value);
  SIZE(cs_version_t);
  FIELD(cs_version_t, releaseCode);
  FIELD(cs_version_t, majorVersion);
  FIELD(cs_version_t, minorVersion);
  SIZE(cs_dispatch_flags_t);
  SIZE(cs_error_t);

  VALUE(VOTEQUORUM_INFO_TWONODE);
  VALUE(VOTEQUORUM_INFO_QUORATE);
  VALUE(VOTEQUORUM_INFO_WAIT_FOR_ALL);
  VALUE(VOTEQUORUM_INFO_LAST_MAN_STANDING);
  VALUE(VOTEQUORUM_INFO_AUTO_TIE_BREAKER);
  VALUE(VOTEQUORUM_INFO_ALLOW_DOWNSCALE);
  VALUE(VOTEQUORUM_INFO_QDEVICE_REGISTERED);
  VALUE(VOTEQUORUM_INFO_QDEVICE_ALIVE);
  VALUE(VOTEQUORUM_INFO_QDEVICE_CAST_VOTE);
  VALUE(VOTEQUORUM_INFO_QDEVICE_MASTER_WINS);
  VALUE(VOTEQUORUM_QDEVICE_NODEID);
  VALUE(VOTEQUORUM_QDEVICE_MAX_NAME_LEN);
  VALUE(VOTEQUORUM_QDEVICE_DEFAULT_TIMEOUT);
  VALUE(VOTEQUORUM_QDEVICE_DEFAULT_SYNC_TIMEOUT);
  VALUE(VOTEQUORUM_NODESTATE_MEMBER);
  VALUE(VOTEQUORUM_NODESTATE_DEAD);
  VALUE(VOTEQUORUM_NODESTATE_LEAVING);

  VALUE(CS_FALSE);
  VALUE(CS_TRUE);
  VALUE(CS_MAX_NAME_LENGTH);
  VALUE(CS_TIME_END);
  VALUE(CS_MAX(3, 7));
  VALUE(CS_IPC_TIMEOUT_MS);
  VALUE(CS_TIME_MS_IN_SEC);
  VALUE(CS_TIME_US_IN_SEC);
  VALUE(CS_TIME_NS_IN_SEC);
  VALUE(CS_TIME_US_IN_MSEC);
  VALUE(CS_TIME_NS_IN_MSEC);
  VALUE(CS_TIME_NS_IN_USEC);
  TEXT(CS_PRI_NODE_ID);
  TEXT(CS_PRI_NODE_ID_PADDED);
  TEXT(CS_PRI_RING_ID_SEQ);
  TEXT(CS_PRI_RING_ID);
  VALUE(CS_TRACK_CURRENT);
  VALUE(CS_TRACK_CHANGES);
  VALUE(CS_TRACK_CHANGES_ONLY);
  VALUE(CS_DISPATCH_ONE);
  VALUE(CS_DISPATCH_ALL);
  VALUE(CS_DISPATCH_BLOCKING);
  VALUE(CS_DISPATCH_ONE_NONBLOCKING);

  VALUE(CS_OK);
  VALUE(CS_ERR_LIBRARY);
  VALUE(CS_ERR_VERSION);
  VALUE(CS_ERR_INIT);
  VALUE(CS_ERR_TIMEOUT);
  VALUE(CS_ERR_TRY_AGAIN);
  VALUE(CS_ERR_INVALID_PARAM);
  VALUE(CS_ERR_NO_MEMORY);
  VALUE(CS_ERR_BAD_HANDLE);
  VALUE(CS_ERR_BUSY);
  VALUE(CS_ERR_ACCESS);
  VALUE(CS_ERR_NOT_EXIST);
  VALUE(CS_ERR_NAME_TOO_LONG);
  VALUE(CS_ERR_EXIST);
  VALUE(CS_ERR_NO_SPACE);
  VALUE(CS_ERR_INTERRUPT);
  VALUE(CS_ERR_NAME_NOT_FOUND);
  VALUE(CS_ERR_NO_RESOURCES);
  VALUE(CS_ERR_NOT_SUPPORTED);
  VALUE(CS_ERR_BAD_OPERATION);
  VALUE(CS_ERR_FAILED_OPERATION);
  VALUE(CS_ERR_MESSAGE_ERROR);
  VALUE(CS_ERR_QUEUE_FULL);
  VALUE(CS_ERR_QUEUE_NOT_AVAILABLE);
  VALUE(CS_ERR_BAD_FLAGS);
  VALUE(CS_ERR_TOO_BIG);
  VALUE(CS_ERR_NO_SECTIONS);
  VALUE(CS_ERR_CONTEXT_NOT_FOUND);
  VALUE(CS_ERR_TOO_MANY_GROUPS);
  VALUE(CS_ERR_SECURITY);
  return 0;
}
