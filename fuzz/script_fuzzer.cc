// Fuzz target: the scenario interpreter (ScriptRunner::Run) on a four-node cluster with a
// quorum device configured. Output goes nowhere; the run must end with one of Run's exit codes.
// Long waits over polling devices are included: the simulation skips idle polls, so they
// must finish quickly too.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>

#include "sim/cluster.h"
#include "sim/script.h"

namespace {
constexpr const char* kConf =
    "totem {\n  token: 1000\n}\n"
    "nodelist {\n"
    "  node {\n    nodeid: 1\n    ring0_addr: 192.0.2.1\n  }\n"
    "  node {\n    nodeid: 2\n    ring0_addr: 192.0.2.2\n  }\n"
    "  node {\n    nodeid: 3\n    ring0_addr: 192.0.2.3\n  }\n"
    "  node {\n    nodeid: 4\n    ring0_addr: 192.0.2.4\n    quorum_votes: 2\n  }\n"
    "}\n"
    "quorum {\n  provider: corosync_votequorum\n  wait_for_all: 1\n"
    "  device {\n    model: net\n    votes: 1\n  }\n}\n";

class NullBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<quorumsim::Cluster> cluster;
  quorumsim::ClusterOptions options;
  if (!quorumsim::Cluster::FromConfText(kConf, "fuzz.conf", options, &cluster).ok()) std::abort();
  NullBuf null;
  std::ostream sink(&null);
  quorumsim::ScriptOptions so;
  so.out = &sink;
  so.err = &sink;
  quorumsim::ScriptRunner runner(cluster.get(), so);
  std::istringstream in(text);
  int rc = runner.Run(in, "fuzz.vqsim");
  if (rc != quorumsim::kScriptOk && rc != quorumsim::kScriptFailed &&
      rc != quorumsim::kScriptAssert) {
    std::abort();
  }
  return 0;
}
