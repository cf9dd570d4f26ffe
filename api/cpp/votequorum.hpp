// quorumsim's C++ votequorum API: the C API's operations with RAII, strong types and
// results as values (shaped after rust-corosync's votequorum module).
//
//   using namespace quorumsim::votequorum;
//   Callbacks cb;
//   cb.quorum = [](Handle&, uint64_t ctx, bool quorate, std::span<const Node> nodes) {...};
//   Result<Handle> h = Handle::Initialize(std::move(cb));
//   if (!h.ok()) ...h.error()...;
//   Result<NodeInfo> me = h->GetInfo(LocalNode());
//   h->TrackStart(7, TrackFlags::kChanges);
//   h->Dispatch(DispatchFlags::kAll);     // callbacks run here, and only here
//
// What the handle connects to is chosen as for C (api/cpp/binding.hpp: ScopedBinding to
// a simulated node, ScopedBinding::Corosync() for the real daemon, or the environment).
#ifndef QUORUMSIM_API_CPP_VOTEQUORUM_HPP_
#define QUORUMSIM_API_CPP_VOTEQUORUM_HPP_

#include <corosync/votequorum.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace quorumsim::votequorum {

// "CS_OK", "CS_ERR_BAD_HANDLE", ...
const char* ErrorName(cs_error_t e);

// A value or the cs_error_t that prevented it.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : error_(CS_OK), value_(std::move(value)) {}  // NOLINT: implicit by design
  static Result Error(cs_error_t e) { return Result(e, 0); }
  bool ok() const { return error_ == CS_OK; }
  explicit operator bool() const { return ok(); }
  cs_error_t error() const { return error_; }
  // Only when ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Result(cs_error_t e, int) : error_(e) {}
  cs_error_t error_;
  std::optional<T> value_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result(cs_error_t e = CS_OK) : error_(e) {}  // NOLINT: implicit by design
  bool ok() const { return error_ == CS_OK; }
  explicit operator bool() const { return ok(); }
  cs_error_t error() const { return error_; }

 private:
  cs_error_t error_;
};

// A corosync node id. NodeId{0} means "the local node" to GetInfo and "the quorum
// device" to SetVotes, as in corosync.
struct NodeId {
  uint32_t value = 0;
  friend auto operator<=>(const NodeId&, const NodeId&) = default;
};
inline constexpr NodeId LocalNode() { return NodeId{0}; }
inline constexpr NodeId QdeviceNode() { return NodeId{VOTEQUORUM_QDEVICE_NODEID}; }

// A totem ring id: the representative node and a sequence.
struct RingId {
  NodeId node_id;
  uint64_t seq = 0;
  friend auto operator<=>(const RingId&, const RingId&) = default;
};

enum class NodeState : uint32_t {
  kQdevice = 0,  // the quorum device's entry in a quorum notification
  kMember = VOTEQUORUM_NODESTATE_MEMBER,
  kDead = VOTEQUORUM_NODESTATE_DEAD,
  kLeaving = VOTEQUORUM_NODESTATE_LEAVING,
};

struct Node {
  NodeId node_id;
  NodeState state = NodeState::kMember;
  friend bool operator==(const Node&, const Node&) = default;
};

// votequorum_info.flags as a typed bit set.
class NodeInfoFlags {
 public:
  enum Bit : uint32_t {
    kTwoNode = VOTEQUORUM_INFO_TWONODE,
    kQuorate = VOTEQUORUM_INFO_QUORATE,
    kWaitForAll = VOTEQUORUM_INFO_WAIT_FOR_ALL,
    kLastManStanding = VOTEQUORUM_INFO_LAST_MAN_STANDING,
    kAutoTieBreaker = VOTEQUORUM_INFO_AUTO_TIE_BREAKER,
    kAllowDownscale = VOTEQUORUM_INFO_ALLOW_DOWNSCALE,
    kQdeviceRegistered = VOTEQUORUM_INFO_QDEVICE_REGISTERED,
    kQdeviceAlive = VOTEQUORUM_INFO_QDEVICE_ALIVE,
    kQdeviceCastVote = VOTEQUORUM_INFO_QDEVICE_CAST_VOTE,
    kQdeviceMasterWins = VOTEQUORUM_INFO_QDEVICE_MASTER_WINS,
  };
  constexpr NodeInfoFlags() = default;
  constexpr explicit NodeInfoFlags(uint32_t bits) : bits_(bits) {}
  constexpr bool has(Bit b) const { return (bits_ & b) != 0; }
  constexpr uint32_t bits() const { return bits_; }
  friend bool operator==(const NodeInfoFlags&, const NodeInfoFlags&) = default;

 private:
  uint32_t bits_ = 0;
};

// What GetInfo returns (votequorum_info).
struct NodeInfo {
  NodeId node_id;
  NodeState state = NodeState::kMember;
  uint32_t votes = 0;
  uint32_t expected_votes = 0;
  uint32_t highest_expected = 0;
  uint32_t total_votes = 0;
  uint32_t quorum = 0;
  NodeInfoFlags flags;
  uint32_t qdevice_votes = 0;
  std::string qdevice_name;
};

enum class TrackFlags : uint32_t {
  kNone = 0,
  kCurrent = CS_TRACK_CURRENT,
  kChanges = CS_TRACK_CHANGES,
  kChangesOnly = CS_TRACK_CHANGES_ONLY,
};
constexpr TrackFlags operator|(TrackFlags a, TrackFlags b) {
  return static_cast<TrackFlags>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}

enum class DispatchFlags {
  kOne = CS_DISPATCH_ONE,
  kAll = CS_DISPATCH_ALL,
  kBlocking = CS_DISPATCH_BLOCKING,
  kOneNonblocking = CS_DISPATCH_ONE_NONBLOCKING,
};

class Handle;

// Notifications; an empty function drops that kind. They run inside Dispatch and may
// call anything on the handle, Finalize included.
struct Callbacks {
  std::function<void(Handle&, uint64_t context, bool quorate, std::span<const Node> nodes)> quorum;
  std::function<void(Handle&, uint64_t context, uint32_t expected_votes)> expected_votes;
  std::function<void(Handle&, uint64_t context, RingId ring, std::span<const NodeId> members)>
      nodelist;
};

// One votequorum connection; finalized when destroyed.
class Handle {
 public:
  static Result<Handle> Initialize(Callbacks callbacks = {});

  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();

  // Ends the connection now (the destructor then does nothing). A second call gives
  // CS_ERR_BAD_HANDLE, as in C.
  Result<void> Finalize();
  Result<void> Dispatch(DispatchFlags flags);
  // Readable while a notification waits for Dispatch. Owned by the handle.
  Result<int> FdGet() const;
  Result<NodeInfo> GetInfo(NodeId node = LocalNode()) const;
  Result<void> SetExpected(uint32_t expected_votes);
  Result<void> SetVotes(NodeId node, uint32_t votes);
  Result<void> TrackStart(uint64_t context, TrackFlags flags);
  Result<void> TrackStop();
  // A pointer the application keeps with the handle (nullptr until set).
  Result<void*> ContextGet() const;
  Result<void> ContextSet(void* context);
  Result<void> QdeviceRegister(std::string_view name);
  Result<void> QdeviceUnregister(std::string_view name);
  Result<void> QdeviceUpdate(std::string_view old_name, std::string_view new_name);
  Result<void> QdevicePoll(std::string_view name, bool cast_vote, RingId ring);
  Result<void> QdeviceMasterWins(std::string_view name, bool allow);

  // The C handle, for code that mixes both APIs.
  votequorum_handle_t raw() const;

 private:
  struct State;
  explicit Handle(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace quorumsim::votequorum

#endif  // QUORUMSIM_API_CPP_VOTEQUORUM_HPP_
