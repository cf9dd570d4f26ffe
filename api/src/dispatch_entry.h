/* The C++ side of votequorum_dispatch (api/src/dispatch_entry.c checks the type first). */
#ifndef QUORUMSIM_API_SRC_DISPATCH_ENTRY_H_
#define QUORUMSIM_API_SRC_DISPATCH_ENTRY_H_

#include <corosync/votequorum.h>

#ifdef __cplusplus
extern "C" {
#endif

/* `type` is one of CS_DISPATCH_ONE..CS_DISPATCH_ONE_NONBLOCKING. Not exported from the
 * shared library (libvotequorum.map keeps it local). */
cs_error_t quorumsim_internal_dispatch(votequorum_handle_t handle, int type);

#ifdef __cplusplus
}
#endif

#endif /* QUORUMSIM_API_SRC_DISPATCH_ENTRY_H_ */
