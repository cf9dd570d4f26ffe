// Every call is forwarded to the real library. Handles stay quorumsim's own (so the
// handle table, finalize and context rules are the same for both backends); the real
// handle lives inside the connection, and callbacks from the real library are mapped
// back to the quorumsim handle through the real handle's context pointer.
#include "api/src/corosync_connection.h"

#include "api/src/real_library.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace quorumsim::api {

namespace {

// The real library's entry points.
struct RealVotequorum {
  decltype(&votequorum_initialize) initialize;
  decltype(&votequorum_finalize) finalize;
  decltype(&votequorum_dispatch) dispatch;
  decltype(&votequorum_fd_get) fd_get;
  decltype(&votequorum_getinfo) getinfo;
  decltype(&votequorum_setexpected) setexpected;
  decltype(&votequorum_setvotes) setvotes;
  decltype(&votequorum_trackstart) trackstart;
  decltype(&votequorum_trackstop) trackstop;
  decltype(&votequorum_context_get) context_get;
  decltype(&votequorum_context_set) context_set;
  decltype(&votequorum_qdevice_register) qdevice_register;
  decltype(&votequorum_qdevice_unregister) qdevice_unregister;
  decltype(&votequorum_qdevice_update) qdevice_update;
  decltype(&votequorum_qdevice_poll) qdevice_poll;
  decltype(&votequorum_qdevice_master_wins) qdevice_master_wins;
};

template <typename T>
bool Resolve(const RealLibrary& lib, const char* name, T* out) {
  *out = lib.Get<T>(name);
  return *out != nullptr;
}

// The entry points of the library at `path` (loaded once, never unloaded: see
// real_library.h), resolved once per path. Null on failure, after a line on stderr.
const RealVotequorum* Load(const std::string& path) {
  static std::mutex* mu = new std::mutex;
  static auto* loaded = new std::map<std::string, const RealVotequorum*>;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = loaded->find(path);
  if (it != loaded->end()) return it->second;
  const size_t slash = path.rfind('/');
  const RealLibrary* lib = RealLibrary::Open(
      slash == std::string::npos ? "." : path.substr(0, slash),
      slash == std::string::npos ? path.c_str() : path.c_str() + slash + 1,
      "votequorum_initialize", reinterpret_cast<const void*>(&votequorum_initialize));
  const RealVotequorum* result = nullptr;
  if (lib != nullptr) {
    auto* r = new RealVotequorum;
    bool ok = Resolve(*lib, "votequorum_initialize", &r->initialize) &&
              Resolve(*lib, "votequorum_finalize", &r->finalize) &&
              Resolve(*lib, "votequorum_dispatch", &r->dispatch) &&
              Resolve(*lib, "votequorum_fd_get", &r->fd_get) &&
              Resolve(*lib, "votequorum_getinfo", &r->getinfo) &&
              Resolve(*lib, "votequorum_setexpected", &r->setexpected) &&
              Resolve(*lib, "votequorum_setvotes", &r->setvotes) &&
              Resolve(*lib, "votequorum_trackstart", &r->trackstart) &&
              Resolve(*lib, "votequorum_trackstop", &r->trackstop) &&
              Resolve(*lib, "votequorum_context_get", &r->context_get) &&
              Resolve(*lib, "votequorum_context_set", &r->context_set) &&
              Resolve(*lib, "votequorum_qdevice_register", &r->qdevice_register) &&
              Resolve(*lib, "votequorum_qdevice_unregister", &r->qdevice_unregister) &&
              Resolve(*lib, "votequorum_qdevice_update", &r->qdevice_update) &&
              Resolve(*lib, "votequorum_qdevice_poll", &r->qdevice_poll) &&
              Resolve(*lib, "votequorum_qdevice_master_wins", &r->qdevice_master_wins);
    if (ok) {
      result = r;
    } else {
      std::fprintf(stderr, "quorumsim: %s lacks a votequorum function\n", path.c_str());
      delete r;
    }
  }
  (*loaded)[path] = result;
  return result;
}

// The dispatch running on this thread: the real library calls our trampolines from
// inside its dispatch, on the dispatching thread. Saved and restored, so a callback
// may dispatch another handle.
thread_local const Connection::Deliver* active_deliver = nullptr;

class CorosyncConnection final : public Connection {
 public:
  explicit CorosyncConnection(const RealVotequorum* lib) : lib_(lib) {}

  cs_error_t Open() {
    votequorum_callbacks_t callbacks{&OnQuorum, &OnExpected, &OnNodelist};
    cs_error_t err = lib_->initialize(&real_, &callbacks);
    if (err != CS_OK) return err;
    err = lib_->context_set(real_, this);
    if (err != CS_OK) (void)lib_->finalize(real_);
    return err;
  }

  cs_error_t GetInfo(unsigned int nodeid, votequorum_info* info) override {
    return lib_->getinfo(real_, nodeid, info);
  }
  cs_error_t SetExpected(unsigned int v) override { return lib_->setexpected(real_, v); }
  cs_error_t SetVotes(unsigned int n, unsigned int v) override { return lib_->setvotes(real_, n, v); }
  cs_error_t TrackStart(uint64_t c, unsigned int f) override { return lib_->trackstart(real_, c, f); }
  cs_error_t TrackStop() override { return lib_->trackstop(real_); }
  cs_error_t QdeviceRegister(const char* name) override {
    return lib_->qdevice_register(real_, name);
  }
  cs_error_t QdeviceUnregister(const char* name) override {
    return lib_->qdevice_unregister(real_, name);
  }
  cs_error_t QdeviceUpdate(const char* o, const char* n) override {
    return lib_->qdevice_update(real_, o, n);
  }
  cs_error_t QdevicePoll(const char* name, unsigned int cast, votequorum_ring_id_t ring) override {
    return lib_->qdevice_poll(real_, name, cast, ring);
  }
  cs_error_t QdeviceMasterWins(const char* name, unsigned int allow) override {
    return lib_->qdevice_master_wins(real_, name, allow);
  }
  cs_error_t FdGet(int* fd) override { return lib_->fd_get(real_, fd); }
  cs_error_t Dispatch(cs_dispatch_flags_t type, const Deliver& deliver) override {
    const Deliver* saved = active_deliver;
    active_deliver = &deliver;
    cs_error_t err = lib_->dispatch(real_, type);
    active_deliver = saved;
    return err;
  }
  // Finalizing inside a callback is safe: the real library defers the teardown until
  // its dispatch returns (and then reports CS_ERR_BAD_HANDLE, as for the simulator).
  void Close() override { (void)lib_->finalize(real_); }

 private:
  static void Forward(const Notification& n) {
    if (active_deliver != nullptr) (*active_deliver)(n);
  }
  // The lists are the real library's own (its received message), handed on as they are.
  static void OnQuorum(votequorum_handle_t, uint64_t context, uint32_t quorate, uint32_t count,
                       votequorum_node_t nodes[]) {
    Notification n;
    n.kind = Notification::Kind::kQuorum;
    n.context = context;
    n.quorate = quorate;
    n.count = count;
    n.nodes = nodes;
    Forward(n);
  }
  static void OnNodelist(votequorum_handle_t, uint64_t context, votequorum_ring_id_t ring,
                         uint32_t count, uint32_t members[]) {
    Notification n;
    n.kind = Notification::Kind::kNodelist;
    n.context = context;
    n.ring_id = ring;
    n.count = count;
    n.members = members;
    Forward(n);
  }
  static void OnExpected(votequorum_handle_t, uint64_t context, uint32_t expected) {
    Notification n;
    n.kind = Notification::Kind::kExpectedVotes;
    n.context = context;
    n.expected_votes = expected;
    Forward(n);
  }

  const RealVotequorum* lib_;
  votequorum_handle_t real_ = 0;
};

class CorosyncFactory final : public ConnectionFactory {
 public:
  explicit CorosyncFactory(std::string path) : path_(std::move(path)) {}
  cs_error_t Open(std::unique_ptr<Connection>* out) override {
    const RealVotequorum* lib = Load(Path());
    if (lib == nullptr) return CS_ERR_LIBRARY;
    auto conn = std::make_unique<CorosyncConnection>(lib);
    cs_error_t err = conn->Open();
    if (err == CS_OK) *out = std::move(conn);
    return err;
  }
  // corosync's other libraries are the ones beside its libvotequorum.
  Endpoint endpoint() const override {
    const std::string path = Path();
    const size_t slash = path.rfind('/');
    Endpoint e;
    e.corosync_library_dir = slash == std::string::npos ? "." : path.substr(0, slash);
    return e;
  }

 private:
  std::string Path() const {
    if (!path_.empty()) return path_;
    const char* env = std::getenv("QUORUMSIM_COROSYNC_LIB");
    return env != nullptr && *env != '\0' ? env : kDefaultCorosyncLibrary;
  }
  std::string path_;
};

}  // namespace

std::shared_ptr<ConnectionFactory> MakeCorosyncFactory(const std::string& library_path) {
  return std::make_shared<CorosyncFactory>(library_path);
}

}  // namespace quorumsim::api
