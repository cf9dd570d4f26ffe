/* An unmodified votequorum client, built as a corosync user would build it
 *   cc -O2 setexpected_roundtrip.c -lvotequorum
 * that measures the round trip of votequorum_setexpected: the call, the daemon's
 * broadcast of the new value, and the expected-votes callback dispatched in the client.
 * bench/corosync_roundtrip.sh runs the same binary against a real corosync (corosync's
 * libvotequorum, or quorumsim's with QUORUMSIM_BACKEND=corosync) and against the
 * simulator (quorumsim's libvotequorum with QUORUMSIM_CONF).
 *
 * Usage: setexpected_roundtrip ROUND_TRIPS LOW HIGH WAIT
 *   alternates setexpected(HIGH) and setexpected(LOW); after each call it waits for the
 *   expected-votes callback carrying the new value:
 *   WAIT = dispatch: votequorum_dispatch(CS_DISPATCH_ONE) until it came (blocks inside the
 *          library while nothing is there);
 *   WAIT = poll:     poll() on votequorum_fd_get's descriptor, then CS_DISPATCH_ALL, as an
 *          event loop does.
 * Prints one line of JSON: round trips, wall time (mean and median per round trip, from
 * CLOCK_MONOTONIC around each one), the process's CPU time, and the callbacks seen.
 */
#define _GNU_SOURCE
#include <corosync/votequorum.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint32_t last_expected;
static long expected_callbacks;
static long other_callbacks;

static void on_expected(votequorum_handle_t h, uint64_t context, uint32_t expected) {
  (void)h;
  (void)context;
  last_expected = expected;
  ++expected_callbacks;
}
static void on_quorum(votequorum_handle_t h, uint64_t context, uint32_t quorate, uint32_t n,
                      votequorum_node_t nodes[]) {
  (void)h, (void)context, (void)quorate, (void)n, (void)nodes;
  ++other_callbacks;
}
static void on_nodelist(votequorum_handle_t h, uint64_t context, votequorum_ring_id_t ring,
                        uint32_t n, uint32_t members[]) {
  (void)h, (void)context, (void)ring, (void)n, (void)members;
  ++other_callbacks;
}

static double now_s(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void fail(const char *what, cs_error_t rc) {
  fprintf(stderr, "setexpected_roundtrip: %s returned %d\n", what, (int)rc);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s ROUND_TRIPS LOW HIGH dispatch|poll\n", argv[0]);
    return 2;
  }
  const long n = atol(argv[1]);
  const uint32_t low = (uint32_t)atol(argv[2]);
  const uint32_t high = (uint32_t)atol(argv[3]);
  const int use_poll = strcmp(argv[4], "poll") == 0;
  votequorum_callbacks_t callbacks = {on_quorum, on_expected, on_nodelist};
  votequorum_handle_t h;
  cs_error_t rc = CS_ERR_LIBRARY;
  /* The daemon may still be starting: retry for up to ten seconds. */
  for (int i = 0; i < 100; ++i) {
    rc = votequorum_initialize(&h, &callbacks);
    if (rc == CS_OK) break;
    usleep(100000);
  }
  if (rc != CS_OK) fail("votequorum_initialize", rc);
  if ((rc = votequorum_trackstart(h, 0, CS_TRACK_CHANGES_ONLY)) != CS_OK) fail("trackstart", rc);
  int fd = -1;
  if (use_poll && (rc = votequorum_fd_get(h, &fd)) != CS_OK) fail("fd_get", rc);
  /* Start from LOW (it may already be LOW: then no callback comes; drain whatever does). */
  if ((rc = votequorum_setexpected(h, low)) != CS_OK) fail("setexpected", rc);
  usleep(200000);
  votequorum_dispatch(h, CS_DISPATCH_ALL);

  double *trip = malloc(sizeof(double) * (size_t)n);
  if (trip == NULL) return 1;
  expected_callbacks = other_callbacks = 0;
  const double wall0 = now_s(CLOCK_MONOTONIC), cpu0 = cpu_s();
  for (long i = 0; i < n; ++i) {
    const uint32_t want = i % 2 == 0 ? high : low;
    const double t0 = now_s(CLOCK_MONOTONIC);
    if ((rc = votequorum_setexpected(h, want)) != CS_OK) fail("setexpected", rc);
    while (last_expected != want) {
      if (use_poll) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, -1) < 0) fail("poll", CS_ERR_LIBRARY);
        rc = votequorum_dispatch(h, CS_DISPATCH_ALL);
      } else {
        rc = votequorum_dispatch(h, CS_DISPATCH_ONE);
      }
      if (rc != CS_OK) fail("votequorum_dispatch", rc);
    }
    trip[i] = now_s(CLOCK_MONOTONIC) - t0;
  }
  const double wall = now_s(CLOCK_MONOTONIC) - wall0, cpu = cpu_s() - cpu0;
  qsort(trip, (size_t)n, sizeof(double), cmp_double);
  printf("{\"round_trips\": %ld, \"wait\": \"%s\", \"wall_s\": %.9f, \"cpu_s\": %.6f, "
         "\"mean_s\": %.9f, \"median_s\": %.9f, \"p99_s\": %.9f, \"expected_callbacks\": %ld, "
         "\"other_callbacks\": %ld}\n",
         n, use_poll ? "poll" : "dispatch", wall, cpu, wall / (double)n, trip[n / 2],
         trip[(n * 99) / 100], expected_callbacks, other_callbacks);
  free(trip);
  votequorum_finalize(h);
  return 0;
}
