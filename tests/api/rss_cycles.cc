// rss_cycles [N]: N (default 1000000) votequorum_initialize/finalize cycles on one simulated
// node while another handle stays open; prints the resident set size before and after.
// A manual measurement (not a test: RSS depends on the allocator), run with
//   bazel run -c opt //tests/api:rss_cycles
#include <corosync/votequorum.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace {
long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}
}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  auto cluster = quorumsim::api::testing::StartCluster(3);
  if (cluster == nullptr) return 1;
  quorumsim::api::ScopedBinding bind(*cluster, 1);
  votequorum_handle_t keep = 0;
  if (votequorum_initialize(&keep, nullptr) != CS_OK) return 1;
  // Warm up allocator pools so the first reading is not of an empty heap.
  for (int i = 0; i < 1000; ++i) {
    votequorum_handle_t h;
    if (votequorum_initialize(&h, nullptr) != CS_OK || votequorum_finalize(h) != CS_OK) return 1;
  }
  long before = RssKb();
  for (long i = 0; i < n; ++i) {
    votequorum_handle_t h;
    if (votequorum_initialize(&h, nullptr) != CS_OK || votequorum_finalize(h) != CS_OK) return 1;
  }
  long after = RssKb();
  std::printf("%ld initialize/finalize cycles: RSS %ld kB before, %ld kB after\n", n, before,
              after);
  return votequorum_finalize(keep) == CS_OK ? 0 : 1;
}
