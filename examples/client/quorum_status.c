/* quorum_status: an ordinary votequorum client (nothing in it knows about quorumsim).
 * Prints the local node's quorum state and the member list of the current quorum
 * notification. Built by examples/make-client and examples/cmake-client against an
 * install tree; run with QUORUMSIM_CONF/QUORUMSIM_NODEID it answers from a simulated node. */
#include <corosync/votequorum.h>
#include <stdio.h>

static void on_quorum(votequorum_handle_t handle, uint64_t context, uint32_t quorate,
                      uint32_t node_list_entries, votequorum_node_t node_list[]) {
  (void)handle;
  (void)context;
  printf("quorum notification: %s, members:", quorate ? "quorate" : "inquorate");
  for (uint32_t i = 0; i < node_list_entries; i++) {
    /* The device entry (node id 0) appears only with a quorum device configured. */
    printf(" %u", (unsigned)node_list[i].nodeid);
  }
  printf("\n");
}

int main(void) {
  votequorum_callbacks_t callbacks = {0};
  callbacks.votequorum_quorum_notify_fn = on_quorum;
  votequorum_handle_t handle;
  cs_error_t err = votequorum_initialize(&handle, &callbacks);
  if (err != CS_OK) {
    fprintf(stderr, "votequorum_initialize: error %d (is the votequorum service running?)\n",
            (int)err);
    return 1;
  }
  struct votequorum_info info;
  /* Node id 0 asks about the local node. */
  err = votequorum_getinfo(handle, 0, &info);
  if (err == CS_OK) {
    printf("node %u: votes %u, expected %u, total %u, quorum %u\n", info.node_id, info.node_votes,
           info.node_expected_votes, info.total_votes, info.quorum);
    /* CS_TRACK_CURRENT queues one notification with the present state. */
    err = votequorum_trackstart(handle, 0, CS_TRACK_CURRENT);
  }
  if (err == CS_OK) err = votequorum_dispatch(handle, CS_DISPATCH_ALL);
  votequorum_finalize(handle);
  if (err != CS_OK) {
    fprintf(stderr, "votequorum call failed: error %d\n", (int)err);
    return 1;
  }
  return 0;
}
