"""Compiler options every quorumsim C++ target carries itself.

quorumsim's C++ sources and headers need C++20. A consumer workspace does not read quorumsim's
.bazelrc, so the language level is set on each target (copts = QUORUMSIM_COPTS) rather than
globally. copts do not propagate to dependents: a consumer's own C++ target that includes
quorumsim's C++ headers (sim/cluster.h, api/cpp/*.hpp) loads this file and sets the same copts.
C code only needs <corosync/votequorum.h> and <quorumsim/cluster.h>, which are plain C.
"""

QUORUMSIM_COPTS = ["-std=c++20"]
