// quorumsim: runs a corosync-vqsim script (plus extensions) on a simulated cluster.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "sim/cluster.h"
#include "sim/script.h"

namespace {

int Usage(const char* msg) {
  std::cerr << "quorumsim: " << msg << " (see quorumsim -h)\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string conf = "/etc/corosync/corosync.conf";
  std::string output;
  std::string script;
  std::string trace;
  uint64_t seed = 0;
  bool sync = true;
  bool prompt = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    if (a == "-h" || a == "--help") {
      std::cout << quorumsim::HelpText();
      return 0;
    } else if (a == "-c") {
      if (!value(&conf)) return Usage("-c needs a file name");
    } else if (a == "-o") {
      if (!value(&output)) return Usage("-o needs a file name");
    } else if (a == "-f") {
      if (!value(&script)) return Usage("-f needs a file name");
    } else if (a == "-n") {
      sync = false;
    } else if (a == "--trace") {
      if (!value(&trace)) return Usage("--trace needs a file name");
    } else if (a == "--seed") {
      std::string s;
      if (!value(&s)) return Usage("--seed needs a number");
      char* end = nullptr;
      seed = std::strtoull(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0') return Usage("--seed needs a number");
    } else if (a == "--no-prompt") {
      prompt = false;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return Usage(("unknown option " + a).c_str());
    } else if (script.empty()) {
      script = a;
    } else {
      return Usage("more than one script given");
    }
  }

  quorumsim::ClusterOptions opts;
  opts.seed = seed;
  std::unique_ptr<quorumsim::Cluster> cluster;
  quorumsim::Status st = quorumsim::Cluster::FromConfFile(conf, opts, &cluster);
  if (!st.ok()) {
    std::cerr << "quorumsim: " << st.message() << "\n";
    return 1;
  }

  std::ofstream trace_file;
  if (!trace.empty()) {
    trace_file.open(trace, std::ios::binary | std::ios::trunc);
    if (!trace_file) {
      std::cerr << "quorumsim: cannot open trace file " << trace << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    cluster->SetTraceStream(&trace_file);
  }

  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (!output.empty()) {
    out_file.open(output, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      std::cerr << "quorumsim: unable to open " << output << " for output: " << std::strerror(errno) << "\n";
      return 1;
    }
    out = &out_file;
  }

  quorumsim::ScriptOptions so;
  so.out = out;
  so.err = &std::cerr;
  so.sync = sync;
  so.prompt = prompt;
  int rc = 0;
  quorumsim::ScriptRunner runner(cluster.get(), so);
  if (script.empty() || script == "-") {
    so.interactive = isatty(STDIN_FILENO) != 0 && output.empty();
    quorumsim::ScriptRunner r(cluster.get(), so);
    rc = r.Run(std::cin, "<stdin>");
  } else {
    std::ifstream in(script);
    if (!in) {
      std::cerr << "quorumsim: cannot open script " << script << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    rc = runner.Run(in, script);
  }
  out->flush();
  return rc;
}
