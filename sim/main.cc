// quorumsim: runs a corosync-vqsim script (plus extensions) on a simulated cluster.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "sim/check/check_main.h"
#include "sim/check/what_if_main.h"
#include "sim/timeline/timeline_main.h"
#include "sim/cluster.h"
#include "sim/script.h"

namespace {

int Usage(const std::string& msg) {
  std::cerr << "quorumsim: " << msg << " (see quorumsim -h)\n";
  return 1;
}

// Opens a script for reading; refuses what cannot be one (a directory), with the reason.
bool OpenScript(const std::string& path, std::ifstream* in) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    std::cerr << "quorumsim: cannot open script " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    std::cerr << "quorumsim: cannot read script " << path << ": " << std::strerror(EISDIR) << "\n";
    return false;
  }
  in->open(path, std::ios::binary);
  if (!*in) {
    std::cerr << "quorumsim: cannot open script " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

// Output that could not be written is an error (a full disk, a closed standard output):
// the status lines are the result.
int CheckWritten(std::ostream& out, const std::string& what, int rc) {
  errno = 0;
  out.flush();
  if (out.good()) return rc;
  std::cerr << "quorumsim: cannot write " << what << ": "
            << (errno != 0 ? std::strerror(errno) : "write error") << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Subcommands with their own options (sim/CHECK.md).
  if (argc > 1 && std::strcmp(argv[1], "check") == 0) {
    return quorumsim::check::CheckMain(argc - 1, argv + 1);
  }
  if (argc > 1 && std::strcmp(argv[1], "what-if") == 0) {
    return quorumsim::check::WhatIfMain(argc - 1, argv + 1);
  }
  if (argc > 1 && std::strcmp(argv[1], "timeline") == 0) {
    return quorumsim::timeline::TimelineMain(argc - 1, argv + 1);
  }
  std::optional<std::string> conf;
  std::string output;
  std::string script;
  std::string trace;
  std::string timeline;  // --timeline FILE.svg: draw the run (sim/timeline)
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
      return CheckWritten(std::cout, "standard output", 0);
    } else if (a == "--help-markdown") {
      std::cout << quorumsim::LanguageMarkdown();
      return CheckWritten(std::cout, "standard output", 0);
    } else if (a == "-c") {
      std::string c;
      if (!value(&c)) return Usage("-c needs a file name");
      conf = c;
    } else if (a == "-o") {
      if (!value(&output)) return Usage("-o needs a file name");
    } else if (a == "-f") {
      if (!value(&script)) return Usage("-f needs a file name");
    } else if (a == "-n") {
      sync = false;
    } else if (a == "--trace") {
      if (!value(&trace)) return Usage("--trace needs a file name (or - for standard output)");
    } else if (a == "--timeline") {
      if (!value(&timeline)) return Usage("--timeline needs a file name (FILE.svg; FILE.html is written too)");
    } else if (a == "--seed") {
      std::string s;
      if (!value(&s)) return Usage("--seed needs a number");
      char* end = nullptr;
      errno = 0;
      seed = std::strtoull(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || s[0] == '-' || errno == ERANGE) {
        return Usage("--seed needs a number from 0 to 18446744073709551615, got '" + s + "'");
      }
    } else if (a == "--no-prompt") {
      prompt = false;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return Usage("unknown option " + a);
    } else if (script.empty()) {
      script = a;
    } else {
      return Usage("more than one script given");
    }
  }

  const bool from_stdin = script.empty() || script == "-";
  std::ifstream script_in;
  if (!from_stdin && !OpenScript(script, &script_in)) return 1;
  if (!conf && !from_stdin) conf = quorumsim::ScriptConfigHeader(script);
  if (!conf) {
    conf = "/etc/corosync/corosync.conf";
    std::cerr << "quorumsim: no -c and no \"# config:\" line: using " << *conf << "\n";
  }

  quorumsim::ClusterOptions opts;
  opts.seed = seed;
  std::unique_ptr<quorumsim::Cluster> cluster;
  quorumsim::Status st = quorumsim::Cluster::FromConfFile(*conf, opts, &cluster);
  if (!st.ok()) {
    std::cerr << "quorumsim: " << st.message() << "\n";
    return 1;
  }

  std::ofstream trace_file;
  std::ostream* trace_out = nullptr;
  if (trace == "-") {
    trace_out = &std::cout;
  } else if (!trace.empty()) {
    trace_file.open(trace, std::ios::binary | std::ios::trunc);
    if (!trace_file) {
      std::cerr << "quorumsim: cannot open trace file " << trace << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    trace_out = &trace_file;
  }
  if (trace_out != nullptr) cluster->SetTraceStream(trace_out);
  std::unique_ptr<quorumsim::timeline::LiveRecorder> recorder;
  if (!timeline.empty()) recorder = std::make_unique<quorumsim::timeline::LiveRecorder>(*cluster, trace_out);

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
  so.interactive = from_stdin && isatty(STDIN_FILENO) != 0 && output.empty();
  if (recorder) recorder->Hook(&so);
  quorumsim::ScriptRunner runner(cluster.get(), so);
  int rc = from_stdin ? runner.Run(std::cin, "<stdin>") : runner.Run(script_in, script);
  if (recorder && !recorder->Write(timeline, "quorumsim " + (from_stdin ? std::string("<stdin>") : script) +
                                                 " (" + *conf + ")")) {
    rc = 1;
  }
  rc = CheckWritten(*out, output.empty() ? "standard output" : output, rc);
  if (trace_out != nullptr && trace_out != out) rc = CheckWritten(*trace_out, "the trace", rc);
  return rc;
}
