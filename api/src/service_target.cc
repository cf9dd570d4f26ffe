#include "api/src/service_target.h"

#include "api/src/binding_stack.h"

namespace quorumsim::api {

cs_error_t ConnectService(const char* real_file, const char* probe, const void* own,
                          ServiceTarget* out) {
  std::shared_ptr<ConnectionFactory> factory = CurrentFactory();
  // No binding is what a client sees when corosync is not running.
  if (factory == nullptr) return CS_ERR_LIBRARY;
  Endpoint endpoint = factory->endpoint();
  if (endpoint.host != nullptr) {
    auto link = std::make_unique<SimLink>(endpoint.host);
    cs_error_t err = link->Open(endpoint.node);
    if (err != CS_OK) return err;
    out->sim = std::move(link);
    return CS_OK;
  }
  if (!endpoint.corosync_library_dir.empty()) {
    out->real = RealLibrary::Open(endpoint.corosync_library_dir, real_file, probe, own);
    return out->real != nullptr ? CS_OK : CS_ERR_LIBRARY;
  }
  return CS_ERR_LIBRARY;
}

}  // namespace quorumsim::api
