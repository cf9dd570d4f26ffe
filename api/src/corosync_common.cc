// The three helpers corotypes.h declares, which corosync ships in libcorosync_common.
// Mappings follow ../shared/spec/votequorum.md §6.0 (error translation).
#include <corosync/corotypes.h>

extern "C" {

cs_error_t qb_to_cs_error(int result) {
  if (result >= 0) return CS_OK;
  switch (-result) {
    case EBADF: return CS_ERR_BAD_HANDLE;
    case ENOMEM: return CS_ERR_NO_MEMORY;
    case ETIMEDOUT:
    case EAGAIN:
    case ENOBUFS: return CS_ERR_TRY_AGAIN;
    case EFAULT:
    case EINVAL: return CS_ERR_INVALID_PARAM;
    case EACCES: return CS_ERR_ACCESS;
    case EMSGSIZE: return CS_ERR_TOO_BIG;
    case ENOENT:
    case ENODEV: return CS_ERR_NOT_EXIST;
    case EEXIST: return CS_ERR_EXIST;
    case EBUSY: return CS_ERR_BUSY;
    case EINTR: return CS_ERR_INTERRUPT;
    case ENOSPC: return CS_ERR_NO_SPACE;
    case ENOSYS:
    case ENOTSUP: return CS_ERR_NOT_SUPPORTED;
    default: return CS_ERR_LIBRARY;  // ENOTCONN, ECONNREFUSED, ... : the daemon is gone
  }
}

cs_error_t hdb_error_to_cs(int res) {
  if (res == 0) return CS_OK;
  switch (-res) {
    case EBADF: return CS_ERR_BAD_HANDLE;
    case ENOMEM: return CS_ERR_NO_MEMORY;
    case EMFILE: return CS_ERR_NO_RESOURCES;
    case EACCES: return CS_ERR_ACCESS;
    default: return CS_ERR_LIBRARY;
  }
}

const char* cs_strerror(cs_error_t err) {
  switch (err) {
    case CS_OK: return "success";
    case CS_ERR_LIBRARY: return "library error";
    case CS_ERR_VERSION: return "version error";
    case CS_ERR_INIT: return "initialization error";
    case CS_ERR_TIMEOUT: return "timeout";
    case CS_ERR_TRY_AGAIN: return "try again";
    case CS_ERR_INVALID_PARAM: return "invalid parameter";
    case CS_ERR_NO_MEMORY: return "not enough memory";
    case CS_ERR_BAD_HANDLE: return "bad handle";
    case CS_ERR_BUSY: return "busy";
    case CS_ERR_ACCESS: return "access denied";
    case CS_ERR_NOT_EXIST: return "does not exist";
    case CS_ERR_NAME_TOO_LONG: return "name too long";
    case CS_ERR_EXIST: return "already exists";
    case CS_ERR_NO_SPACE: return "no space";
    case CS_ERR_INTERRUPT: return "interrupted";
    case CS_ERR_NAME_NOT_FOUND: return "name not found";
    case CS_ERR_NO_RESOURCES: return "no resources";
    case CS_ERR_NOT_SUPPORTED: return "not supported";
    case CS_ERR_BAD_OPERATION: return "bad operation";
    case CS_ERR_FAILED_OPERATION: return "failed operation";
    case CS_ERR_MESSAGE_ERROR: return "message error";
    case CS_ERR_QUEUE_FULL: return "queue full";
    case CS_ERR_QUEUE_NOT_AVAILABLE: return "queue not available";
    case CS_ERR_BAD_FLAGS: return "bad flags";
    case CS_ERR_TOO_BIG: return "too big";
    case CS_ERR_NO_SECTIONS: return "no sections";
    case CS_ERR_CONTEXT_NOT_FOUND: return "context not found";
    case CS_ERR_TOO_MANY_GROUPS: return "too many groups";
    case CS_ERR_SECURITY: return "security error";
  }
  return "unknown error";
}

}  // extern "C"
