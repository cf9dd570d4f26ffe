/* API conformance run: one single-node cluster (nodelist {1}, expected_votes 3), the
 * same calls against whichever backend the environment selects. Every return code,
 * getinfo field and callback is printed; conformance_test.sh runs this once against a
 * real corosync (QUORUMSIM_BACKEND=corosync) and once against the simulator
 * (QUORUMSIM_CONF) and requires identical output.
 *
 * The real daemon sends notifications asynchronously, so after each call the program
 * collects callbacks until none has arrived for a while (drain). Ring sequences are
 * printed relative to the first one seen, since their absolute values differ between
 * two daemons. Calls corosync's library would crash on (NULL pointers) are not made. */
#define _POSIX_C_SOURCE 200809L
#include <corosync/votequorum.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t first_seq;
static int have_first_seq;
static votequorum_ring_id_t current_ring;

static const char *name(cs_error_t e) {
  switch (e) {
    case CS_OK: return "CS_OK";
    case CS_ERR_LIBRARY: return "CS_ERR_LIBRARY";
    case CS_ERR_TRY_AGAIN: return "CS_ERR_TRY_AGAIN";
    case CS_ERR_INVALID_PARAM: return "CS_ERR_INVALID_PARAM";
    case CS_ERR_BAD_HANDLE: return "CS_ERR_BAD_HANDLE";
    case CS_ERR_ACCESS: return "CS_ERR_ACCESS";
    case CS_ERR_NOT_EXIST: return "CS_ERR_NOT_EXIST";
    case CS_ERR_EXIST: return "CS_ERR_EXIST";
    case CS_ERR_NAME_NOT_FOUND: return "CS_ERR_NAME_NOT_FOUND";
    case CS_ERR_MESSAGE_ERROR: return "CS_ERR_MESSAGE_ERROR";
    default: break;
  }
  static char buf[32];
  snprintf(buf, sizeof buf, "cs_error_t(%d)", (int)e);
  return buf;
}

#define RC(label, call) printf("%-44s -> %s\n", label, name(call))

static void print_ring(votequorum_ring_id_t r) {
  if (!have_first_seq) {
    first_seq = r.seq;
    have_first_seq = 1;
  }
  printf("%u.S%+lld", r.nodeid, (long long)(r.seq - first_seq));
}

static void on_quorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n,
                      votequorum_node_t nodes[]) {
  (void)h;
  printf("  callback QUORUM context=%llu quorate=%u nodes=[", (unsigned long long)ctx, quorate);
  for (uint32_t i = 0; i < n; i++) printf("%s%u:%u", i ? " " : "", nodes[i].nodeid, nodes[i].state);
  printf("]\n");
}

static void on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n,
                        uint32_t members[]) {
  (void)h;
  current_ring = ring;
  printf("  callback NODELIST context=%llu ring=", (unsigned long long)ctx);
  print_ring(ring);
  printf(" members=[");
  for (uint32_t i = 0; i < n; i++) printf("%s%u", i ? " " : "", members[i]);
  printf("]\n");
}

static void on_expected(votequorum_handle_t h, uint64_t ctx, uint32_t expected) {
  (void)h;
  printf("  callback EXPECTED context=%llu expected_votes=%u\n", (unsigned long long)ctx, expected);
}

static int finalize_in_callback_calls;
static void finalize_from_quorum(votequorum_handle_t h, uint64_t ctx, uint32_t q, uint32_t n,
                                 votequorum_node_t nodes[]) {
  (void)ctx, (void)q, (void)n, (void)nodes;
  finalize_in_callback_calls++;
  printf("  callback QUORUM finalizes its own handle -> %s\n", name(votequorum_finalize(h)));
}

/* Runs callbacks until none arrives for `quiet_ms`. */
static void drain(votequorum_handle_t h, int quiet_ms) {
  int fd;
  if (votequorum_fd_get(h, &fd) != CS_OK) return;
  for (;;) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, quiet_ms) <= 0) return;
    cs_error_t e = votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);
    if (e != CS_OK && e != CS_ERR_TRY_AGAIN) {
      printf("  dispatch -> %s\n", name(e));
      return;
    }
  }
}

static void info(votequorum_handle_t h, unsigned int nodeid) {
  struct votequorum_info i;
  memset(&i, 0, sizeof i);
  cs_error_t e = votequorum_getinfo(h, nodeid, &i);
  printf("getinfo(%u) -> %s", nodeid, name(e));
  /* corosync leaves the fields undefined unless CS_OK. */
  if (e == CS_OK) {
    printf(" node_id=%u state=%u votes=%u expected=%u highest=%u total=%u quorum=%u flags=0x%x "
           "qdevice_votes=%u qdevice_name='%s'",
           i.node_id, i.node_state, i.node_votes, i.node_expected_votes, i.highest_expected,
           i.total_votes, i.quorum, i.flags, i.qdevice_votes, i.qdevice_name);
  }
  printf("\n");
}

/* The daemon may still be starting: retry initialize for up to ten seconds. */
static cs_error_t connect_with_retry(votequorum_handle_t *h, votequorum_callbacks_t *cb) {
  cs_error_t e = CS_ERR_LIBRARY;
  for (int i = 0; i < 100; i++) {
    e = votequorum_initialize(h, cb);
    if (e != CS_ERR_LIBRARY && e != CS_ERR_TRY_AGAIN) return e;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  return e;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const int quiet = 400; /* ms without callbacks that ends a drain */
  votequorum_callbacks_t cb = {on_quorum, on_expected, on_nodelist};
  votequorum_handle_t h;
  RC("initialize", connect_with_retry(&h, &cb));

  void *ctx = (void *)1;
  RC("context_get (fresh)", votequorum_context_get(h, &ctx));
  printf("context is %s\n", ctx == NULL ? "NULL" : "set");
  RC("context_set(&h)", votequorum_context_set(h, &h));
  RC("context_get", votequorum_context_get(h, &ctx));
  printf("context is %s\n", ctx == (void *)&h ? "&h" : "other");
  int fd = -1;
  RC("fd_get", votequorum_fd_get(h, &fd));
  printf("fd is %s\n", fd >= 0 ? "valid" : "invalid");

  info(h, 0);
  info(h, 1);
  info(h, 99);

  RC("dispatch(type 99)", votequorum_dispatch(h, (cs_dispatch_flags_t)99));
  RC("dispatch(ONE_NONBLOCKING), nothing queued", votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
  RC("dispatch(ALL), nothing queued", votequorum_dispatch(h, CS_DISPATCH_ALL));

  /* Tracking (spec EX-48). */
  RC("trackstop (not tracking)", votequorum_trackstop(h));
  RC("trackstart(77, CURRENT)", votequorum_trackstart(h, 77, CS_TRACK_CURRENT));
  drain(h, quiet);
  RC("trackstop (CURRENT does not register)", votequorum_trackstop(h));
  RC("trackstart(78, CHANGES_ONLY)", votequorum_trackstart(h, 78, CS_TRACK_CHANGES_ONLY));
  drain(h, quiet);
  RC("trackstart(79, CURRENT) again", votequorum_trackstart(h, 79, CS_TRACK_CURRENT));
  drain(h, quiet);
  RC("trackstop", votequorum_trackstop(h));
  RC("trackstart(80, CHANGES)", votequorum_trackstart(h, 80, CS_TRACK_CHANGES));
  drain(h, quiet);

  /* Expected votes: inquorate with one vote of three. */
  RC("setexpected(0)", votequorum_setexpected(h, 0));
  RC("setexpected(1)", votequorum_setexpected(h, 1));
  drain(h, quiet);
  info(h, 0);
  RC("setexpected(3) while quorate", votequorum_setexpected(h, 3));
  drain(h, quiet);
  RC("setexpected(2) while quorate", votequorum_setexpected(h, 2));
  drain(h, quiet);
  info(h, 0);

  /* Votes. */
  RC("setvotes(99, 1)", votequorum_setvotes(h, 99, 1));
  RC("setvotes(1, 0)", votequorum_setvotes(h, 1, 0));
  RC("setvotes(1, 3)", votequorum_setvotes(h, 1, 3));
  drain(h, quiet);
  info(h, 0);
  RC("setvotes(1, 1)", votequorum_setvotes(h, 1, 1));
  drain(h, quiet);
  info(h, 0);

  /* Quorum device (spec EX-47, single-node subset). */
  votequorum_ring_id_t ring = current_ring;
  votequorum_ring_id_t stale = ring;
  stale.seq = ring.seq - 4;
  char long_name[300];
  memset(long_name, 'x', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  char max_name[255];
  memset(max_name, 'm', 254);
  max_name[254] = '\0';
  RC("qdevice_poll(QD) before register", votequorum_qdevice_poll(h, "QD", 1, ring));
  RC("qdevice_master_wins(QD) before register", votequorum_qdevice_master_wins(h, "QD", 1));
  RC("qdevice_unregister(QD) before register", votequorum_qdevice_unregister(h, "QD"));
  RC("qdevice_update(QD, QD2) before register", votequorum_qdevice_update(h, "QD", "QD2"));
  RC("qdevice_register(\"\")", votequorum_qdevice_register(h, ""));
  RC("qdevice_register(299 chars)", votequorum_qdevice_register(h, long_name));
  RC("qdevice_register(QD)", votequorum_qdevice_register(h, "QD"));
  drain(h, quiet);
  RC("qdevice_register(QD) again", votequorum_qdevice_register(h, "QD"));
  RC("qdevice_register(OTHER)", votequorum_qdevice_register(h, "OTHER"));
  info(h, 0);
  RC("qdevice_poll(QD, 1, stale ring)", votequorum_qdevice_poll(h, "QD", 1, stale));
  RC("qdevice_poll(WRONG, 1, stale ring)", votequorum_qdevice_poll(h, "WRONG", 1, stale));
  RC("qdevice_poll(WRONG, 1, ring)", votequorum_qdevice_poll(h, "WRONG", 1, ring));
  RC("qdevice_poll(QD, 1, ring)", votequorum_qdevice_poll(h, "QD", 1, ring));
  drain(h, quiet);
  info(h, 0);
  RC("qdevice_master_wins(XX, 1)", votequorum_qdevice_master_wins(h, "XX", 1));
  RC("qdevice_master_wins(QD, 1)", votequorum_qdevice_master_wins(h, "QD", 1));
  RC("qdevice_poll(QD, 0, ring)", votequorum_qdevice_poll(h, "QD", 0, ring));
  drain(h, quiet);
  info(h, 0);
  RC("qdevice_update(QD, 254 chars)", votequorum_qdevice_update(h, "QD", max_name));
  /* corosync replies before the rename has gone round the ring; wait for it, or the
   * next call may still see the old name. */
  drain(h, quiet);
  RC("qdevice_update(254 chars, QD2)", votequorum_qdevice_update(h, max_name, "QD2"));
  drain(h, quiet);
  RC("qdevice_poll(QD, 1, ring) after rename", votequorum_qdevice_poll(h, "QD", 1, ring));
  RC("qdevice_poll(QD2, 1, ring)", votequorum_qdevice_poll(h, "QD2", 1, ring));
  RC("qdevice_unregister(XX)", votequorum_qdevice_unregister(h, "XX"));
  RC("qdevice_unregister(QD2)", votequorum_qdevice_unregister(h, "QD2"));
  drain(h, quiet);
  info(h, 0);
  RC("qdevice_unregister(QD2) again", votequorum_qdevice_unregister(h, "QD2"));

  /* A second connection: tracking is per connection. */
  votequorum_handle_t h2;
  RC("initialize (second)", votequorum_initialize(&h2, &cb));
  RC("trackstop (second, not tracking)", votequorum_trackstop(h2));
  RC("setexpected(3) from second while quorate", votequorum_setexpected(h2, 3));
  drain(h, quiet);
  drain(h2, quiet);
  RC("finalize (second)", votequorum_finalize(h2));

  /* Finalize from inside a callback. */
  votequorum_callbacks_t fin = {finalize_from_quorum, NULL, NULL};
  votequorum_handle_t h3;
  RC("initialize (third)", votequorum_initialize(&h3, &fin));
  RC("trackstart(5, CURRENT) (third)", votequorum_trackstart(h3, 5, CS_TRACK_CURRENT));
  int fd3 = -1;
  votequorum_fd_get(h3, &fd3);
  struct pollfd p3 = {fd3, POLLIN, 0};
  poll(&p3, 1, 2000);
  /* The snapshot is NODELIST (no callback set: dropped) then QUORUM, which finalizes. */
  RC("dispatch(ALL) (third)", votequorum_dispatch(h3, CS_DISPATCH_ALL));
  printf("finalizing callback ran %d time(s)\n", finalize_in_callback_calls);
  RC("getinfo (third, finalized)", votequorum_getinfo(h3, 0, &(struct votequorum_info){0}));

  /* Bad handles. */
  votequorum_handle_t bogus = 0x1234567890ULL;
  struct votequorum_info i;
  RC("finalize", votequorum_finalize(h));
  RC("finalize again", votequorum_finalize(h));
  RC("getinfo (finalized)", votequorum_getinfo(h, 0, &i));
  RC("dispatch(ALL) (finalized)", votequorum_dispatch(h, CS_DISPATCH_ALL));
  RC("dispatch(type 99) (bogus)", votequorum_dispatch(bogus, (cs_dispatch_flags_t)99));
  RC("dispatch(ONE) (bogus)", votequorum_dispatch(bogus, CS_DISPATCH_ONE));
  RC("fd_get (bogus)", votequorum_fd_get(bogus, &fd));
  RC("getinfo (bogus)", votequorum_getinfo(bogus, 0, &i));
  RC("setexpected (bogus)", votequorum_setexpected(bogus, 3));
  RC("setvotes (bogus)", votequorum_setvotes(bogus, 1, 1));
  RC("trackstart (bogus)", votequorum_trackstart(bogus, 0, CS_TRACK_CHANGES));
  RC("trackstop (bogus)", votequorum_trackstop(bogus));
  RC("context_get (bogus)", votequorum_context_get(bogus, &ctx));
  RC("context_set (bogus)", votequorum_context_set(bogus, NULL));
  RC("qdevice_register(\"\") (bogus)", votequorum_qdevice_register(bogus, ""));
  RC("qdevice_register(QD) (bogus)", votequorum_qdevice_register(bogus, "QD"));
  RC("qdevice_unregister(QD) (bogus)", votequorum_qdevice_unregister(bogus, "QD"));
  RC("qdevice_update(QD, \"\") (bogus)", votequorum_qdevice_update(bogus, "QD", ""));
  RC("qdevice_update(QD, QD2) (bogus)", votequorum_qdevice_update(bogus, "QD", "QD2"));
  RC("qdevice_poll(QD) (bogus)", votequorum_qdevice_poll(bogus, "QD", 1, ring));
  RC("qdevice_master_wins(QD) (bogus)", votequorum_qdevice_master_wins(bogus, "QD", 1));
  RC("finalize (bogus)", votequorum_finalize(bogus));
  return 0;
}
