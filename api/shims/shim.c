/* Deliberately empty: a shim library only carries a soname, a version node and a
 * dependency on libvotequorum.so.8 (api/shims/README.md). ISO C wants one declaration. */
typedef int quorumsim_shim_unused;
