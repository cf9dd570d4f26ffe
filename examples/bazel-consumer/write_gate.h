// WriteGate: lets this node write only while its partition is quorate.
#ifndef BAZEL_CONSUMER_WRITE_GATE_H_
#define BAZEL_CONSUMER_WRITE_GATE_H_

#include <corosync/votequorum.h>

class WriteGate {
 public:
  // Connects to the local votequorum service and starts tracking quorum changes.
  WriteGate();
  ~WriteGate();
  WriteGate(const WriteGate&) = delete;
  WriteGate& operator=(const WriteGate&) = delete;

  bool connected() const { return handle_ != 0; }
  // Processes pending quorum notifications, then answers from the latest one.
  bool MayWrite();

 private:
  static void OnQuorum(votequorum_handle_t handle, uint64_t context, uint32_t quorate,
                       uint32_t node_list_entries, votequorum_node_t node_list[]);

  votequorum_handle_t handle_ = 0;
  bool quorate_ = false;
};

#endif  // BAZEL_CONSUMER_WRITE_GATE_H_
