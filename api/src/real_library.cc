#include "api/src/real_library.h"

#include <dlfcn.h>

#include <cstdio>
#include <map>
#include <mutex>

namespace quorumsim::api {

const RealLibrary* RealLibrary::Open(const std::string& dir, const char* file, const char* name,
                                     const void* own_symbol) {
  static auto* mu = new std::mutex;
  static auto* loaded = new std::map<std::string, const RealLibrary*>;
  const std::string path = dir + "/" + file;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = loaded->find(path);
  if (it != loaded->end()) return it->second;
  const RealLibrary* result = nullptr;
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    std::fprintf(stderr, "quorumsim: cannot load corosync's %s: %s\n", file, dlerror());
  } else if (dlsym(lib, name) == own_symbol) {
    // Forwarding to ourselves would recurse forever.
    std::fprintf(stderr, "quorumsim: %s is quorumsim's own library, not corosync's\n",
                 path.c_str());
  } else {
    result = new RealLibrary(lib);
  }
  loaded->emplace(path, result);
  return result;
}

void* RealLibrary::Symbol(const char* name) const { return dlsym(lib_, name); }

}  // namespace quorumsim::api
