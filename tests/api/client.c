/* A plain corosync client: it knows nothing about quorumsim. Built against
 * <corosync/votequorum.h> and linked with libvotequorum.so.8, it runs against a real
 * corosync or, with quorumsim's library on LD_LIBRARY_PATH and QUORUMSIM_CONF set,
 * against a simulated node. It calls every function and prints what it receives.
 *
 *   client            every call once, then exit
 *   client blocking   track changes and sit in CS_DISPATCH_BLOCKING until it returns
 *                     (a scenario splits and heals the cluster meanwhile, then stops it) */
#define _POSIX_C_SOURCE 200809L
#include <corosync/votequorum.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

static votequorum_ring_id_t last_ring;

static const char *err(cs_error_t e) {
  static const char *names[] = {
      [CS_OK] = "CS_OK", [CS_ERR_LIBRARY] = "CS_ERR_LIBRARY", [CS_ERR_TRY_AGAIN] = "CS_ERR_TRY_AGAIN",
      [CS_ERR_INVALID_PARAM] = "CS_ERR_INVALID_PARAM", [CS_ERR_BAD_HANDLE] = "CS_ERR_BAD_HANDLE",
      [CS_ERR_ACCESS] = "CS_ERR_ACCESS", [CS_ERR_NOT_EXIST] = "CS_ERR_NOT_EXIST",
      [CS_ERR_EXIST] = "CS_ERR_EXIST", [CS_ERR_NAME_NOT_FOUND] = "CS_ERR_NAME_NOT_FOUND",
      [CS_ERR_MESSAGE_ERROR] = "CS_ERR_MESSAGE_ERROR"};
  if ((int)e >= 0 && (size_t)e < sizeof names / sizeof names[0] && names[e]) return names[e];
  return "other error";
}

static void quorum_cb(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n,
                      votequorum_node_t nodes[]) {
  (void)h;
  printf("quorum callback: context=%" PRIu64 " quorate=%u nodes:", ctx, quorate);
  for (uint32_t i = 0; i < n; i++) printf(" %u(state %u)", nodes[i].nodeid, nodes[i].state);
  printf("\n");
}

static void nodelist_cb(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n,
                        uint32_t members[]) {
  (void)h;
  last_ring = ring;
  printf("nodelist callback: context=%" PRIu64 " ring=" CS_PRI_RING_ID " members:", ctx, ring.nodeid,
         ring.seq);
  for (uint32_t i = 0; i < n; i++) printf(" %u", members[i]);
  printf("\n");
}

static void expected_cb(votequorum_handle_t h, uint64_t ctx, uint32_t expected) {
  (void)h;
  printf("expected votes callback: context=%" PRIu64 " expected_votes=%u\n", ctx, expected);
}

static void show_info(votequorum_handle_t h, unsigned int nodeid) {
  struct votequorum_info info;
  memset(&info, 0, sizeof info);
  cs_error_t e = votequorum_getinfo(h, nodeid, &info);
  printf("votequorum_getinfo(%u): %s", nodeid, err(e));
  if (e == CS_OK) {
    printf(" node_id=%u state=%u votes=%u expected=%u highest=%u total=%u quorum=%u flags=0x%x "
           "qdevice_votes=%u qdevice_name=\"%s\"",
           info.node_id, info.node_state, info.node_votes, info.node_expected_votes,
           info.highest_expected, info.total_votes, info.quorum, info.flags, info.qdevice_votes,
           info.qdevice_name);
  }
  printf("\n");
}

static int every_call(votequorum_handle_t h) {
  int fd = -1;
  printf("votequorum_fd_get: %s\n", err(votequorum_fd_get(h, &fd)));
  struct pollfd p = {fd, POLLIN, 0};
  printf("fd readable before trackstart: %s\n", poll(&p, 1, 0) == 1 ? "yes" : "no");
  static int marker;
  void *ctx = NULL;
  printf("votequorum_context_set: %s\n", err(votequorum_context_set(h, &marker)));
  cs_error_t got = votequorum_context_get(h, &ctx);
  printf("votequorum_context_get: %s (%s)\n", err(got), ctx == &marker ? "same pointer" : "different pointer");
  show_info(h, 0);
  show_info(h, 2);
  show_info(h, 99);
  printf("votequorum_trackstart(42, CS_TRACK_CHANGES): %s\n",
         err(votequorum_trackstart(h, 42, CS_TRACK_CHANGES)));
  printf("fd readable after trackstart: %s\n", poll(&p, 1, 0) == 1 ? "yes" : "no");
  printf("votequorum_dispatch(CS_DISPATCH_ALL): %s\n", err(votequorum_dispatch(h, CS_DISPATCH_ALL)));
  printf("fd readable after dispatch: %s\n", poll(&p, 1, 0) == 1 ? "yes" : "no");
  printf("votequorum_setexpected(2): %s\n", err(votequorum_setexpected(h, 2)));
  printf("votequorum_setexpected(4): %s\n", err(votequorum_setexpected(h, 4)));
  printf("votequorum_setvotes(1, 2): %s\n", err(votequorum_setvotes(h, 1, 2)));
  printf("votequorum_dispatch(CS_DISPATCH_ALL): %s\n", err(votequorum_dispatch(h, CS_DISPATCH_ALL)));
  show_info(h, 0);
  printf("votequorum_qdevice_register(\"Device\"): %s\n", err(votequorum_qdevice_register(h, "Device")));
  printf("votequorum_qdevice_poll(\"Device\", 1, last ring): %s\n",
         err(votequorum_qdevice_poll(h, "Device", 1, last_ring)));
  printf("votequorum_qdevice_master_wins(\"Device\", 1): %s\n",
         err(votequorum_qdevice_master_wins(h, "Device", 1)));
  show_info(h, 0);
  printf("votequorum_qdevice_update(\"Device\", \"Device2\"): %s\n",
         err(votequorum_qdevice_update(h, "Device", "Device2")));
  printf("votequorum_qdevice_unregister(\"Device2\"): %s\n",
         err(votequorum_qdevice_unregister(h, "Device2")));
  printf("votequorum_dispatch(CS_DISPATCH_ONE_NONBLOCKING): %s\n",
         err(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING)));
  printf("votequorum_trackstop: %s\n", err(votequorum_trackstop(h)));
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int blocking = argc > 1 && strcmp(argv[1], "blocking") == 0;
  votequorum_callbacks_t callbacks = {quorum_cb, expected_cb, nodelist_cb};
  votequorum_handle_t h;
  cs_error_t e = votequorum_initialize(&h, &callbacks);
  printf("votequorum_initialize: %s\n", err(e));
  if (e != CS_OK) return 1;
  if (blocking) {
    printf("votequorum_trackstart(7, CS_TRACK_CHANGES): %s\n",
           err(votequorum_trackstart(h, 7, CS_TRACK_CHANGES)));
    printf("entering votequorum_dispatch(CS_DISPATCH_BLOCKING)\n");
    printf("votequorum_dispatch(CS_DISPATCH_BLOCKING) returned: %s\n",
           err(votequorum_dispatch(h, CS_DISPATCH_BLOCKING)));
    show_info(h, 0);
  } else {
    every_call(h);
  }
  printf("votequorum_finalize: %s\n", err(votequorum_finalize(h)));
  printf("votequorum_finalize again: %s\n", err(votequorum_finalize(h)));
  return 0;
}
