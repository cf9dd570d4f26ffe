#include "engine/types.h"

#include <cinttypes>
#include <cstdio>

namespace quorumsim {

std::string FormatRingId(const RingId& ring) {
  // Same shape as corosync's CS_PRI_RING_ID: both parts in lower-case hexadecimal.
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%" PRIx32 ".%" PRIx64, ring.rep, ring.seq);
  return buf;
}

const char* CsErrorName(CsError e) {
  switch (e) {
    case CsError::kOk: return "CS_OK";
    case CsError::kLibrary: return "CS_ERR_LIBRARY";
    case CsError::kVersion: return "CS_ERR_VERSION";
    case CsError::kInit: return "CS_ERR_INIT";
    case CsError::kTimeout: return "CS_ERR_TIMEOUT";
    case CsError::kTryAgain: return "CS_ERR_TRY_AGAIN";
    case CsError::kInvalidParam: return "CS_ERR_INVALID_PARAM";
    case CsError::kNoMemory: return "CS_ERR_NO_MEMORY";
    case CsError::kBadHandle: return "CS_ERR_BAD_HANDLE";
    case CsError::kBusy: return "CS_ERR_BUSY";
    case CsError::kAccess: return "CS_ERR_ACCESS";
    case CsError::kNotExist: return "CS_ERR_NOT_EXIST";
    case CsError::kNameTooLong: return "CS_ERR_NAME_TOO_LONG";
    case CsError::kExist: return "CS_ERR_EXIST";
    case CsError::kNoSpace: return "CS_ERR_NO_SPACE";
    case CsError::kInterrupt: return "CS_ERR_INTERRUPT";
    case CsError::kNameNotFound: return "CS_ERR_NAME_NOT_FOUND";
    case CsError::kNoResources: return "CS_ERR_NO_RESOURCES";
    case CsError::kNotSupported: return "CS_ERR_NOT_SUPPORTED";
    case CsError::kBadOperation: return "CS_ERR_BAD_OPERATION";
    case CsError::kFailedOperation: return "CS_ERR_FAILED_OPERATION";
    case CsError::kMessageError: return "CS_ERR_MESSAGE_ERROR";
    case CsError::kQueueFull: return "CS_ERR_QUEUE_FULL";
    case CsError::kQueueNotAvailable: return "CS_ERR_QUEUE_NOT_AVAILABLE";
    case CsError::kBadFlags: return "CS_ERR_BAD_FLAGS";
    case CsError::kTooBig: return "CS_ERR_TOO_BIG";
    case CsError::kNoSection: return "CS_ERR_NO_SECTION";
    case CsError::kContextNotFound: return "CS_ERR_CONTEXT_NOT_FOUND";
    case CsError::kTooManyGroups: return "CS_ERR_TOO_MANY_GROUPS";
    case CsError::kSecurity: return "CS_ERR_SECURITY";
  }
  return "CS_ERR_UNKNOWN";
}

}  // namespace quorumsim
