/* Conformance run of libquorum, libcmap and libcfg: the same calls against whichever
 * backend the environment selects, every return code, value and callback printed.
 * conformance_test.sh runs it against a real single-node corosync (QUORUMSIM_BACKEND=
 * corosync: quorumsim's libraries forward to corosync's) and against the simulator
 * (QUORUMSIM_CONF), and requires identical output.
 *
 * Left out on purpose, because the simulator answers differently by design (api/README.md):
 * the statistics map, ring status, configuration reload, log reopening, replies to a
 * shutdown request, and the link details of node status (MTU, link addresses). Calls that
 * would stop the daemon (try_shutdown, kill_node on itself) are not made. Ring sequence
 * numbers are printed as "seq>0", since two daemons number their rings differently. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <corosync/cfg.h>
#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *name(cs_error_t e) {
  static char buf[32];
  switch (e) {
    case CS_OK: return "CS_OK";
    case CS_ERR_LIBRARY: return "CS_ERR_LIBRARY";
    case CS_ERR_INVALID_PARAM: return "CS_ERR_INVALID_PARAM";
    case CS_ERR_BAD_HANDLE: return "CS_ERR_BAD_HANDLE";
    case CS_ERR_ACCESS: return "CS_ERR_ACCESS";
    case CS_ERR_NOT_EXIST: return "CS_ERR_NOT_EXIST";
    case CS_ERR_EXIST: return "CS_ERR_EXIST";
    case CS_ERR_NAME_TOO_LONG: return "CS_ERR_NAME_TOO_LONG";
    case CS_ERR_NO_SECTIONS: return "CS_ERR_NO_SECTIONS";
    default: break;
  }
  snprintf(buf, sizeof buf, "cs_error_t(%d)", (int)e);
  return buf;
}
#define RC(label, call) printf("%-48s -> %s\n", label, name(call))

static void list(const char *label, uint32_t n, const uint32_t *ids) {
  printf(" %s=[", label);
  for (uint32_t i = 0; i < n; i++) printf("%s%u", i ? " " : "", ids[i]);
  printf("]");
}

/* Dispatches until nothing arrives for 300 ms (the real daemon's notifications are
 * asynchronous). */
static void drain(int fd, cs_error_t (*dispatch)(uint64_t, cs_dispatch_flags_t), uint64_t h) {
  struct pollfd p = {fd, POLLIN, 0};
  while (poll(&p, 1, 300) > 0) {
    if (dispatch(h, CS_DISPATCH_ALL) != CS_OK) break;
  }
}

static void v0_quorum(quorum_handle_t h, uint32_t quorate, uint64_t seq, uint32_t n,
                      uint32_t *view) {
  (void)h;
  printf("  callback V0 QUORUM quorate=%u seq>0=%d", quorate, seq > 0);
  list("view", n, view);
  printf("\n");
}
static void v1_quorum(quorum_handle_t h, uint32_t quorate, struct quorum_ring_id ring,
                      uint32_t n, const uint32_t *view) {
  (void)h;
  printf("  callback V1 QUORUM quorate=%u ring=%u.seq>0=%d", quorate, ring.nodeid, ring.seq > 0);
  list("view", n, view);
  printf("\n");
}
static void v1_nodelist(quorum_handle_t h, struct quorum_ring_id ring, uint32_t n,
                        const uint32_t *m, uint32_t nj, const uint32_t *j, uint32_t nl,
                        const uint32_t *l) {
  (void)h;
  printf("  callback V1 NODELIST ring=%u.seq>0=%d", ring.nodeid, ring.seq > 0);
  list("members", n, m);
  list("joined", nj, j);
  list("left", nl, l);
  printf("\n");
}

static void quorum_part(void) {
  quorum_handle_t h = 0, v1 = 0;
  uint32_t type = 99;
  int quorate = -1, fd = -1;
  const void *ctx = NULL;
  quorum_callbacks_t cb = {v0_quorum};
  printf("== quorum\n");
  RC("quorum_initialize", quorum_initialize(&h, &cb, &type));
  printf("  quorum_type=%u\n", type);
  RC("quorum_getquorate", quorum_getquorate(h, &quorate));
  printf("  quorate=%d\n", quorate);
  RC("quorum_fd_get", quorum_fd_get(h, &fd));
  RC("quorum_context_set", quorum_context_set(h, "ctx"));
  RC("quorum_context_get", quorum_context_get(h, &ctx));
  printf("  context matches=%d\n", ctx != NULL && strcmp(ctx, "ctx") == 0);
  RC("quorum_trackstart(CURRENT)", quorum_trackstart(h, CS_TRACK_CURRENT));
  drain(fd, quorum_dispatch, h);
  RC("quorum_trackstart(CHANGES)", quorum_trackstart(h, CS_TRACK_CHANGES));
  drain(fd, quorum_dispatch, h);
  RC("quorum_trackstart(CHANGES) again", quorum_trackstart(h, CS_TRACK_CHANGES));
  drain(fd, quorum_dispatch, h);
  RC("quorum_trackstop", quorum_trackstop(h));
  RC("quorum_trackstop again", quorum_trackstop(h));
  RC("quorum_dispatch(bad type)", quorum_dispatch(h, (cs_dispatch_flags_t)7));
  RC("quorum_dispatch(ONE_NONBLOCKING, empty)", quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
  RC("quorum_finalize", quorum_finalize(h));
  RC("quorum_finalize again", quorum_finalize(h));
  RC("quorum_getquorate(finalized)", quorum_getquorate(h, &quorate));

  quorum_model_v1_data_t data = {QUORUM_MODEL_V1, v1_quorum, v1_nodelist};
  RC("quorum_model_initialize(V1)",
     quorum_model_initialize(&v1, QUORUM_MODEL_V1, (quorum_model_data_t *)&data, &type, NULL));
  RC("quorum_model_initialize(model 5)",
     quorum_model_initialize(&h, (quorum_model_t)5, NULL, &type, NULL));
  RC("quorum_fd_get(V1)", quorum_fd_get(v1, &fd));
  RC("quorum_trackstart(V1 CURRENT)", quorum_trackstart(v1, CS_TRACK_CURRENT));
  drain(fd, quorum_dispatch, v1);
  RC("quorum_finalize(V1)", quorum_finalize(v1));
}

static void print_value(const char *key, cmap_value_types_t type, const void *data, size_t len) {
  printf("  %s type=%d len=%zu value=", key, (int)type, len);
  switch (type) {
    case CMAP_VALUETYPE_UINT8: printf("%u", *(const uint8_t *)data); break;
    case CMAP_VALUETYPE_INT16: printf("%d", *(const int16_t *)data); break;
    case CMAP_VALUETYPE_UINT32: printf("%u", *(const uint32_t *)data); break;
    case CMAP_VALUETYPE_INT64: printf("%lld", (long long)*(const int64_t *)data); break;
    case CMAP_VALUETYPE_DOUBLE: printf("%g", *(const double *)data); break;
    case CMAP_VALUETYPE_STRING: printf("'%s'", (const char *)data); break;
    default: printf("(%zu bytes)", len); break;
  }
  printf("\n");
}

static void on_change(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
                      struct cmap_notify_value nv, struct cmap_notify_value ov, void *user) {
  (void)h;
  (void)t;
  printf("  callback TRACK event=%d user=%s\n", event, (const char *)user);
  if (nv.data != NULL) print_value(key, nv.type, nv.data, nv.len);
  if (ov.data != NULL) print_value(key, ov.type, ov.data, ov.len);
}

static void cmap_part(void) {
  cmap_handle_t h = 0;
  cmap_iter_handle_t it = 0;
  cmap_track_handle_t track = 0;
  char key[CMAP_KEYNAME_MAXLEN + 1];
  size_t len = 0;
  cmap_value_types_t type;
  uint32_t u32 = 0;
  uint8_t u8 = 0;
  int16_t i16 = 0;
  int64_t i64 = 0;
  double dbl = 0;
  char *str = NULL;
  char small[2];
  int fd = -1;
  const void *ctx = NULL;
  printf("== cmap\n");
  RC("cmap_initialize", cmap_initialize(&h));
  RC("cmap_fd_get", cmap_fd_get(h, &fd));
  RC("cmap_context_set", cmap_context_set(h, "ctx"));
  RC("cmap_context_get", cmap_context_get(h, &ctx));
  RC("cmap_get_uint32(this_node_id)", cmap_get_uint32(h, "runtime.votequorum.this_node_id", &u32));
  printf("  this_node_id=%u\n", u32);
  RC("cmap_get_string(totem.cluster_name)", cmap_get_string(h, "totem.cluster_name", &str));
  printf("  cluster_name=%s\n", str ? str : "(null)");
  free(str);
  RC("cmap_get(cluster_name, no buffer)", cmap_get(h, "totem.cluster_name", NULL, &len, &type));
  printf("  len=%zu type=%d\n", len, (int)type);
  len = sizeof small;
  RC("cmap_get(cluster_name, 2-byte buffer)", cmap_get(h, "totem.cluster_name", small, &len, &type));
  RC("cmap_get_uint8(this_node_id: wrong type)", cmap_get_uint8(h, "runtime.votequorum.this_node_id", &u8));
  RC("cmap_get_uint32(missing)", cmap_get_uint32(h, "no.such.key", &u32));
  RC("cmap_track_add(quorumsim.test. PREFIX)",
     cmap_track_add(h, "quorumsim.test.", CMAP_TRACK_ADD | CMAP_TRACK_DELETE | CMAP_TRACK_MODIFY |
                    CMAP_TRACK_PREFIX, on_change, "t1", &track));
  RC("cmap_set_uint8", cmap_set_uint8(h, "quorumsim.test.u8", 7));
  RC("cmap_set_int16", cmap_set_int16(h, "quorumsim.test.i16", -3));
  RC("cmap_set_uint32", cmap_set_uint32(h, "quorumsim.test.u32", 70000));
  RC("cmap_set_int64", cmap_set_int64(h, "quorumsim.test.i64", -5000000000LL));
  RC("cmap_set_double", cmap_set_double(h, "quorumsim.test.dbl", 2.5));
  RC("cmap_set_string", cmap_set_string(h, "quorumsim.test.str", "hello"));
  RC("cmap_set(binary)", cmap_set(h, "quorumsim.test.bin", "\x01\x02\x03", 3, CMAP_VALUETYPE_BINARY));
  RC("cmap_set_int8", cmap_set_int8(h, "quorumsim.test.i8", -8));
  RC("cmap_set_uint16", cmap_set_uint16(h, "quorumsim.test.u16", 65000));
  RC("cmap_set_int32", cmap_set_int32(h, "quorumsim.test.i32", -70000));
  RC("cmap_set_uint64", cmap_set_uint64(h, "quorumsim.test.u64", 9000000000ULL));
  RC("cmap_set_float", cmap_set_float(h, "quorumsim.test.flt", 0.5f));
  RC("cmap_set_uint32 (same value)", cmap_set_uint32(h, "quorumsim.test.u32", 70000));
  RC("cmap_set_uint32 (new value)", cmap_set_uint32(h, "quorumsim.test.u32", 70001));
  drain(fd, cmap_dispatch, h);
  RC("cmap_get_uint8", cmap_get_uint8(h, "quorumsim.test.u8", &u8));
  RC("cmap_get_int16", cmap_get_int16(h, "quorumsim.test.i16", &i16));
  RC("cmap_get_int64", cmap_get_int64(h, "quorumsim.test.i64", &i64));
  RC("cmap_get_double", cmap_get_double(h, "quorumsim.test.dbl", &dbl));
  printf("  u8=%u i16=%d i64=%lld dbl=%g\n", u8, i16, (long long)i64, dbl);
  {
    int8_t i8 = 0;
    uint16_t u16 = 0;
    int32_t i32 = 0;
    uint64_t u64 = 0;
    float flt = 0;
    RC("cmap_get_int8", cmap_get_int8(h, "quorumsim.test.i8", &i8));
    RC("cmap_get_uint16", cmap_get_uint16(h, "quorumsim.test.u16", &u16));
    RC("cmap_get_int32", cmap_get_int32(h, "quorumsim.test.i32", &i32));
    RC("cmap_get_uint64", cmap_get_uint64(h, "quorumsim.test.u64", &u64));
    RC("cmap_get_float", cmap_get_float(h, "quorumsim.test.flt", &flt));
    RC("cmap_get_float(a double)", cmap_get_float(h, "quorumsim.test.dbl", &flt));
    printf("  i8=%d u16=%u i32=%d u64=%llu flt=%g\n", i8, u16, i32, (unsigned long long)u64, flt);
  }
  RC("cmap_inc", cmap_inc(h, "quorumsim.test.u8"));
  RC("cmap_dec", cmap_dec(h, "quorumsim.test.i16"));
  RC("cmap_inc(string)", cmap_inc(h, "quorumsim.test.str"));
  RC("cmap_inc(missing)", cmap_inc(h, "quorumsim.test.none"));
  drain(fd, cmap_dispatch, h);
  RC("cmap_iter_init(quorumsim.test.)", cmap_iter_init(h, "quorumsim.test.", &it));
  while (cmap_iter_next(h, it, key, &len, &type) == CS_OK) printf("  key %s len=%zu type=%d\n", key, len, (int)type);
  RC("cmap_iter_next(after the end)", cmap_iter_next(h, it, key, &len, &type));
  RC("cmap_iter_finalize", cmap_iter_finalize(h, it));
  RC("cmap_iter_init(nodelist.)", cmap_iter_init(h, "nodelist.", &it));
  while (cmap_iter_next(h, it, key, &len, &type) == CS_OK) printf("  key %s len=%zu type=%d\n", key, len, (int)type);
  RC("cmap_iter_finalize", cmap_iter_finalize(h, it));
  RC("cmap_delete", cmap_delete(h, "quorumsim.test.str"));
  RC("cmap_delete(missing)", cmap_delete(h, "quorumsim.test.str"));
  drain(fd, cmap_dispatch, h);
  RC("cmap_track_delete", cmap_track_delete(h, track));
  RC("cmap_set_uint32(untracked now)", cmap_set_uint32(h, "quorumsim.test.u32", 1));
  drain(fd, cmap_dispatch, h);
  RC("cmap_set_uint32(nodelist: read-only)", cmap_set_uint32(h, "nodelist.node.0.nodeid", 5));
  RC("cmap_set_string(runtime.config.: read-only)", cmap_set_string(h, "runtime.config.totem.token", "1"));
  RC("cmap_delete(totem.cluster_name: read-only)", cmap_delete(h, "totem.cluster_name"));
  RC("cmap_set_uint32(bad key name)", cmap_set_uint32(h, "x", 1));
  RC("cmap_set_uint32(bad character)", cmap_set_uint32(h, "quorumsim.te st", 1));
  RC("cmap_set(uint32 with 3 bytes)", cmap_set(h, "quorumsim.test.bad", "abc", 3, CMAP_VALUETYPE_UINT32));
  RC("cmap_dispatch(bad type)", cmap_dispatch(h, (cs_dispatch_flags_t)7));
  RC("cmap_finalize", cmap_finalize(h));
  RC("cmap_finalize again", cmap_finalize(h));
  RC("cmap_get_uint32(finalized)", cmap_get_uint32(h, "runtime.votequorum.this_node_id", &u32));
}

static void cfg_part(void) {
  corosync_cfg_handle_t h = 0;
  unsigned int local = 0;
  int n = -1, fd = -1;
  corosync_cfg_node_address_t addrs[8];
  struct corosync_cfg_node_status_v1 status;
  char text[INET6_ADDRSTRLEN];
  printf("== cfg\n");
  RC("corosync_cfg_initialize", corosync_cfg_initialize(&h, NULL));
  RC("corosync_cfg_fd_get", corosync_cfg_fd_get(h, &fd));
  RC("corosync_cfg_local_get", corosync_cfg_local_get(h, &local));
  printf("  local=%u\n", local);
  RC("corosync_cfg_get_node_addrs(0)", corosync_cfg_get_node_addrs(h, 0, 8, &n, addrs));
  for (int i = 0; i < n && i < 8; i++) {
    struct sockaddr_in *in = (struct sockaddr_in *)addrs[i].address;
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    printf("  addr[%d] family=%d len=%d %s\n", i, in->sin_family, addrs[i].address_length, text);
  }
  RC("corosync_cfg_get_node_addrs(99)", corosync_cfg_get_node_addrs(h, 99, 8, &n, addrs));
  RC("corosync_cfg_node_status_get(1, V1)",
     corosync_cfg_node_status_get(h, 1, CFG_NODE_STATUS_V1, &status));
  printf("  nodeid=%u reachable=%u remote=%u external=%u\n", status.nodeid, status.reachable,
         status.remote, status.external);
  RC("corosync_cfg_node_status_get(1, version 9)",
     corosync_cfg_node_status_get(h, 1, (corosync_cfg_node_status_version_t)9, &status));
  RC("corosync_cfg_trackstart", corosync_cfg_trackstart(h, 0));
  RC("corosync_cfg_trackstop", corosync_cfg_trackstop(h));
  RC("corosync_cfg_dispatch(ALL)", corosync_cfg_dispatch(h, CS_DISPATCH_ALL));
  RC("corosync_cfg_finalize", corosync_cfg_finalize(h));
  RC("corosync_cfg_finalize again", corosync_cfg_finalize(h));
  RC("corosync_cfg_local_get(finalized)", corosync_cfg_local_get(h, &local));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  quorum_part();
  cmap_part();
  cfg_part();
  return 0;
}
