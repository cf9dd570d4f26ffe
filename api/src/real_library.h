// The real corosync client libraries, for QUORUMSIM_BACKEND=corosync.
//
// quorumsim's drop-in libraries carry corosync's sonames, so corosync's own are opened by
// path (the directory of its libvotequorum, see corosync_connection.h), each once per
// process and never closed (they keep global state), with RTLD_LOCAL so that their symbols
// never shadow quorumsim's identically named functions.
#ifndef QUORUMSIM_API_SRC_REAL_LIBRARY_H_
#define QUORUMSIM_API_SRC_REAL_LIBRARY_H_

#include <string>

namespace quorumsim::api {

class RealLibrary {
 public:
  // `dir`/`file` loaded (or found loaded); null, after one line on stderr, if it cannot
  // be, or if it turns out to be quorumsim's own library (`own_symbol` is one of ours).
  static const RealLibrary* Open(const std::string& dir, const char* file, const char* name,
                                 const void* own_symbol);

  // The function `name`, or null.
  template <typename F>
  F Get(const char* name) const {
    return reinterpret_cast<F>(Symbol(name));
  }

 private:
  explicit RealLibrary(void* lib) : lib_(lib) {}
  void* Symbol(const char* name) const;
  void* lib_;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_REAL_LIBRARY_H_
