// Connections to a real corosync, through the system's libvotequorum loaded at run time.
//
// quorumsim's shared library carries corosync's soname, so the real one is opened by
// path (default /usr/lib/x86_64-linux-gnu/libvotequorum.so.8, QUORUMSIM_COROSYNC_LIB
// overrides it), never by soname. Nothing links against corosync at build time.
#ifndef QUORUMSIM_API_SRC_COROSYNC_CONNECTION_H_
#define QUORUMSIM_API_SRC_COROSYNC_CONNECTION_H_

#include <memory>
#include <string>

#include "api/src/connection.h"

namespace quorumsim::api {

inline constexpr const char* kDefaultCorosyncLibrary =
    "/usr/lib/x86_64-linux-gnu/libvotequorum.so.8";

// `library_path` empty: QUORUMSIM_COROSYNC_LIB, else kDefaultCorosyncLibrary. If the
// library cannot be loaded, initialize returns CS_ERR_LIBRARY (with one line on stderr).
std::shared_ptr<ConnectionFactory> MakeCorosyncFactory(const std::string& library_path);

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_COROSYNC_CONNECTION_H_
