#include "api/src/binding_stack.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace quorumsim::api {

namespace {

struct Entry {
  uint64_t token;
  std::shared_ptr<ConnectionFactory> factory;
};

struct Bindings {
  std::mutex mu;
  std::vector<Entry> process;  // innermost last
  std::shared_ptr<ConnectionFactory> c_binding;
  uint64_t next_token = 1;
};

Bindings& Global() {
  static Bindings* b = new Bindings;  // never destroyed: usable during exit
  return *b;
}

thread_local std::vector<Entry> thread_bindings;

}  // namespace

std::shared_ptr<ConnectionFactory> CurrentFactory() {
  if (!thread_bindings.empty()) return thread_bindings.back().factory;
  {
    Bindings& g = Global();
    std::lock_guard<std::mutex> lock(g.mu);
    if (!g.process.empty()) return g.process.back().factory;
    if (g.c_binding != nullptr) return g.c_binding;
  }
  return EnvironmentFactory();
}

uint64_t PushBinding(std::shared_ptr<ConnectionFactory> factory, bool this_thread_only) {
  Bindings& g = Global();
  std::lock_guard<std::mutex> lock(g.mu);
  Entry e{g.next_token++, std::move(factory)};
  uint64_t token = e.token;
  (this_thread_only ? thread_bindings : g.process).push_back(std::move(e));
  return token;
}

void PopBinding(uint64_t token) {
  auto erase = [token](std::vector<Entry>& v) {
    auto it = std::find_if(v.begin(), v.end(), [token](const Entry& e) { return e.token == token; });
    if (it == v.end()) return false;
    v.erase(it);
    return true;
  };
  if (erase(thread_bindings)) return;
  Bindings& g = Global();
  std::lock_guard<std::mutex> lock(g.mu);
  erase(g.process);
}

void SetCBinding(std::shared_ptr<ConnectionFactory> factory) {
  Bindings& g = Global();
  std::lock_guard<std::mutex> lock(g.mu);
  g.c_binding = std::move(factory);
}

void ClearCBindingIf(const ConnectionFactory* factory) {
  Bindings& g = Global();
  std::lock_guard<std::mutex> lock(g.mu);
  if (g.c_binding.get() == factory) g.c_binding = nullptr;
}

}  // namespace quorumsim::api
