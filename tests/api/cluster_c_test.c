/* <quorumsim/cluster.h> from plain C: build a three-node cluster, bind clients to two of
 * its nodes, split and heal it, and check callbacks, getinfo and every error path.
 * Built twice: in-process (cc_test) and against libvotequorum.so.8 (cluster_c_shared_test).
 * Usage: cluster_c_test THREE_NODE_CONF */
#define _POSIX_C_SOURCE 200809L
#include <corosync/votequorum.h>
#include <pthread.h>
#include <quorumsim/cluster.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static int checks;

#define CHECK(cond)                                                         \
  do {                                                                      \
    ++checks;                                                               \
    if (!(cond)) {                                                          \
      ++failures;                                                           \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                       \
  } while (0)

#define CHECK_RC(call, want)                                                            \
  do {                                                                                  \
    cs_error_t got_ = (call);                                                           \
    ++checks;                                                                           \
    if (got_ != (want)) {                                                               \
      ++failures;                                                                       \
      fprintf(stderr, "%s:%d: %s returned %d, wanted %d (last error: %s)\n", __FILE__, \
              __LINE__, #call, (int)got_, (int)(want), quorumsim_last_error());          \
    }                                                                                   \
  } while (0)

/* The last error names the problem: it contains `part`. */
static void check_error_mentions(const char *part, int line) {
  ++checks;
  if (strstr(quorumsim_last_error(), part) == NULL) {
    ++failures;
    fprintf(stderr, "%s:%d: last error \"%s\" does not mention \"%s\"\n", __FILE__, line,
            quorumsim_last_error(), part);
  }
}
#define CHECK_ERROR(part) check_error_mentions(part, __LINE__)

/* Callbacks as they arrive, in order: 'N' nodelist, 'Q' quorum. */
enum { kMaxEvents = 16 };
static struct event {
  char kind;
  uint32_t quorate;
  uint32_t count;
  uint32_t ids[8];
} events[kMaxEvents];
static int n_events;

static void on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring,
                        uint32_t n, uint32_t members[]) {
  (void)h, (void)ctx, (void)ring;
  if (n_events == kMaxEvents) return;
  struct event *e = &events[n_events++];
  e->kind = 'N';
  e->count = n;
  for (uint32_t i = 0; i < n && i < 8; i++) e->ids[i] = members[i];
}

static void on_quorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n,
                      votequorum_node_t nodes[]) {
  (void)h, (void)ctx;
  if (n_events == kMaxEvents) return;
  struct event *e = &events[n_events++];
  e->kind = 'Q';
  e->quorate = quorate;
  e->count = n;
  for (uint32_t i = 0; i < n && i < 8; i++) e->ids[i] = nodes[i].nodeid;
}

static votequorum_callbacks_t callbacks = {.votequorum_quorum_notify_fn = on_quorum,
                                          .votequorum_nodelist_notify_fn = on_nodelist};

/* Dispatches everything pending on `h`, then finds the first nodelist and the first
 * quorum callback among what arrived. */
static void drain(votequorum_handle_t h, int *nodelist, int *quorum) {
  n_events = 0;
  CHECK_RC(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  *nodelist = *quorum = -1;
  for (int i = n_events - 1; i >= 0; i--) {
    if (events[i].kind == 'N') *nodelist = i;
    if (events[i].kind == 'Q') *quorum = i;
  }
}

static int members_are(const struct event *e, uint32_t n, const uint32_t *ids) {
  if (e->count != n) return 0;
  for (uint32_t i = 0; i < n; i++) {
    if (e->ids[i] != ids[i]) return 0;
  }
  return 1;
}

static struct votequorum_info info_of(votequorum_handle_t h, uint32_t node) {
  struct votequorum_info info;
  memset(&info, 0, sizeof info);
  CHECK_RC(votequorum_getinfo(h, node, &info), CS_OK);
  return info;
}

static void error_cases(const char *conf) {
  quorumsim_cluster_t *c = (quorumsim_cluster_t *)&c; /* must be reset to NULL */
  CHECK_RC(quorumsim_cluster_create(NULL, 0, &c), CS_ERR_INVALID_PARAM);
  CHECK(c == NULL);
  CHECK_ERROR("NULL");
  CHECK_RC(quorumsim_cluster_create(conf, 0, NULL), CS_ERR_INVALID_PARAM);
  CHECK_RC(quorumsim_cluster_create("/nonexistent/corosync.conf", 0, &c), CS_ERR_NOT_EXIST);
  CHECK(c == NULL);
  CHECK_ERROR("/nonexistent/corosync.conf");

  /* A configuration error names the file and the line. */
  char bad[512];
  const char *tmp = getenv("TEST_TMPDIR");
  snprintf(bad, sizeof bad, "%s/bad.conf", tmp != NULL ? tmp : "/tmp");
  FILE *f = fopen(bad, "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("quorum {\n    provider: corosync_votequorum\n    expected_votes: many\n}\n", f);
    fclose(f);
    CHECK_RC(quorumsim_cluster_create(bad, 0, &c), CS_ERR_INVALID_PARAM);
    CHECK(c == NULL);
    CHECK_ERROR("bad.conf:3");
    remove(bad);
  }

  CHECK_RC(quorumsim_cluster_run(NULL, "split 1:3"), CS_ERR_INVALID_PARAM);
  CHECK_RC(quorumsim_cluster_bind(NULL, 1), CS_ERR_INVALID_PARAM);
  quorumsim_cluster_destroy(NULL);
  CHECK(strcmp(quorumsim_last_error(), "") == 0);

  CHECK_RC(quorumsim_cluster_create(conf, 0, &c), CS_OK);
  CHECK(c != NULL);
  if (c == NULL) return;
  CHECK(strcmp(quorumsim_last_error(), "") == 0);
  CHECK_RC(quorumsim_cluster_run(c, NULL), CS_ERR_INVALID_PARAM);
  CHECK_RC(quorumsim_cluster_run(c, "frobnicate 1"), CS_ERR_INVALID_PARAM);
  CHECK_ERROR("unknown command 'frobnicate'");
  CHECK_RC(quorumsim_cluster_run(c, "crash 9"), CS_ERR_INVALID_PARAM);
  CHECK_ERROR("unknown node id 9");
  CHECK_RC(quorumsim_cluster_run(c, "exit"), CS_ERR_INVALID_PARAM);
  CHECK_RC(quorumsim_cluster_run(c, "expect 1 quorate=0"), CS_ERR_FAILED_OPERATION);
  CHECK_ERROR("expectation failed for node 1");
  CHECK_ERROR("quorate");
  CHECK_RC(quorumsim_cluster_run(c, "# a comment"), CS_OK);
  CHECK_RC(quorumsim_cluster_run(c, ""), CS_OK);
  CHECK_RC(quorumsim_cluster_run(c, "expect 1 quorate=1 total=3"), CS_OK); /* errors changed nothing */
  CHECK_RC(quorumsim_cluster_bind(c, 9), CS_ERR_NOT_EXIST);
  CHECK_ERROR("node 9");
  CHECK_RC(quorumsim_cluster_bind(c, 0), CS_ERR_NOT_EXIST);
  /* Dispatch types outside the enumeration: refused before the handle is looked up, and
   * (under UBSan) without an invalid enum load inside the library. */
  CHECK_RC(votequorum_dispatch(0, (cs_dispatch_flags_t)99), CS_ERR_INVALID_PARAM);
  CHECK_RC(votequorum_dispatch(0, (cs_dispatch_flags_t)-1), CS_ERR_INVALID_PARAM);
  CHECK_RC(votequorum_dispatch(0, (cs_dispatch_flags_t)5), CS_ERR_INVALID_PARAM);
  CHECK_RC(votequorum_dispatch(0, (cs_dispatch_flags_t)0), CS_ERR_INVALID_PARAM);
  CHECK_RC(votequorum_dispatch(0, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
  /* No binding was made: initialize finds nothing to connect to, as without corosync. */
  votequorum_handle_t h;
  CHECK_RC(votequorum_initialize(&h, &callbacks), CS_ERR_LIBRARY);
  quorumsim_cluster_destroy(c);
}

/* Destroying a cluster with a handle still open: the handle keeps working until it is
 * finalized, and the binding is gone. */
static void destroy_with_open_handle(const char *conf) {
  quorumsim_cluster_t *c = NULL;
  CHECK_RC(quorumsim_cluster_create(conf, 7, &c), CS_OK);
  if (c == NULL) return;
  CHECK_RC(quorumsim_cluster_bind(c, 2), CS_OK);
  votequorum_handle_t h;
  CHECK_RC(votequorum_initialize(&h, &callbacks), CS_OK);
  quorumsim_cluster_destroy(c);
  CHECK(info_of(h, 0).node_id == 2);
  CHECK_RC(votequorum_finalize(h), CS_OK);
  votequorum_handle_t h2;
  CHECK_RC(votequorum_initialize(&h2, &callbacks), CS_ERR_LIBRARY);
}

/* A client on another thread keeps calling while this one runs commands: run takes the
 * lock those calls take, so none of them fails or sees the cluster half-way. */
static void *poll_info(void *arg) {
  votequorum_handle_t h = *(votequorum_handle_t *)arg;
  long bad = 0;
  for (int i = 0; i < 300; i++) {
    struct votequorum_info info;
    if (votequorum_getinfo(h, 0, &info) != CS_OK || info.node_id != 2) bad++;
    if (votequorum_dispatch(h, CS_DISPATCH_ALL) != CS_OK) bad++;
  }
  return (void *)bad;
}

static void concurrent_client(const char *conf) {
  quorumsim_cluster_t *c = NULL;
  CHECK_RC(quorumsim_cluster_create(conf, 3, &c), CS_OK);
  if (c == NULL) return;
  CHECK_RC(quorumsim_cluster_bind(c, 2), CS_OK);
  votequorum_handle_t h;
  CHECK_RC(votequorum_initialize(&h, NULL), CS_OK);
  CHECK_RC(votequorum_trackstart(h, 0, CS_TRACK_CHANGES), CS_OK);
  pthread_t t;
  CHECK(pthread_create(&t, NULL, poll_info, &h) == 0);
  for (int i = 0; i < 10; i++) {
    CHECK_RC(quorumsim_cluster_run(c, "split 1:3"), CS_OK);
    CHECK_RC(quorumsim_cluster_run(c, "join 0 1"), CS_OK);
  }
  void *bad = NULL;
  CHECK(pthread_join(t, &bad) == 0);
  CHECK(bad == NULL);
  CHECK_RC(votequorum_finalize(h), CS_OK);
  quorumsim_cluster_destroy(c);
}

static void split_and_join(const char *conf) {
  quorumsim_cluster_t *c = NULL;
  CHECK_RC(quorumsim_cluster_create(conf, 1, &c), CS_OK);
  if (c == NULL) return;
  int nl, q;

  CHECK_RC(quorumsim_cluster_bind(c, 1), CS_OK);
  votequorum_handle_t h1;
  CHECK_RC(votequorum_initialize(&h1, &callbacks), CS_OK);
  CHECK_RC(votequorum_trackstart(h1, 1, CS_TRACK_CHANGES), CS_OK);
  drain(h1, &nl, &q); /* the current state, which CS_TRACK_CHANGES also sends */

  /* Node 3 alone in partition 1: nodes 1 and 2 keep quorum (2 of 3 votes). */
  CHECK_RC(quorumsim_cluster_run(c, "split 1:3"), CS_OK);
  drain(h1, &nl, &q);
  static const uint32_t one_two[] = {1, 2};
  CHECK(nl >= 0 && q >= 0 && nl < q);
  if (nl >= 0) CHECK(members_are(&events[nl], 2, one_two));
  if (q >= 0) CHECK(events[q].quorate == 1);
  struct votequorum_info i1 = info_of(h1, 1);
  CHECK(i1.quorum == 2);
  CHECK(i1.total_votes == 2);
  CHECK(i1.node_expected_votes == 3);
  CHECK(i1.highest_expected == 3);
  CHECK((i1.flags & VOTEQUORUM_INFO_QUORATE) != 0);

  /* A second client, on node 3: inquorate. h1 stays on node 1. */
  CHECK_RC(quorumsim_cluster_bind(c, 3), CS_OK);
  votequorum_handle_t h3;
  CHECK_RC(votequorum_initialize(&h3, &callbacks), CS_OK);
  struct votequorum_info i3 = info_of(h3, 0);
  CHECK(i3.node_id == 3);
  CHECK(i3.total_votes == 1);
  CHECK((i3.flags & VOTEQUORUM_INFO_QUORATE) == 0);
  CHECK(info_of(h1, 0).node_id == 1);
  CHECK_RC(votequorum_trackstart(h3, 3, CS_TRACK_CURRENT), CS_OK);
  drain(h3, &nl, &q);
  CHECK(q >= 0 && events[q].quorate == 0);

  /* Healed: everyone back, quorate with 3 votes. */
  CHECK_RC(quorumsim_cluster_run(c, "join 0 1"), CS_OK);
  drain(h1, &nl, &q);
  static const uint32_t all[] = {1, 2, 3};
  CHECK(nl >= 0 && q >= 0 && nl < q);
  if (nl >= 0) CHECK(members_are(&events[nl], 3, all));
  if (q >= 0) CHECK(events[q].quorate == 1);
  CHECK(info_of(h1, 1).total_votes == 3);
  i3 = info_of(h3, 0);
  CHECK(i3.total_votes == 3);
  CHECK((i3.flags & VOTEQUORUM_INFO_QUORATE) != 0);
  CHECK_RC(quorumsim_cluster_run(c, "expect 3 quorate=1 members=1,2,3"), CS_OK);

  /* Unbound: new handles have nowhere to go; existing ones are unaffected. */
  quorumsim_unbind();
  votequorum_handle_t none;
  CHECK_RC(votequorum_initialize(&none, &callbacks), CS_ERR_LIBRARY);
  CHECK(info_of(h3, 0).node_id == 3);

  CHECK_RC(votequorum_finalize(h1), CS_OK);
  CHECK_RC(votequorum_finalize(h3), CS_OK);
  quorumsim_cluster_destroy(c);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s THREE_NODE_CONF\n", argv[0]);
    return 2;
  }
  error_cases(argv[1]);
  destroy_with_open_handle(argv[1]);
  concurrent_client(argv[1]);
  split_and_join(argv[1]);
  printf("%d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
