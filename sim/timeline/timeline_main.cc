#include "sim/timeline/timeline_main.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <streambuf>

#include "sim/timeline/svg.h"
#include "sim/timeline/trace_reader.h"

namespace quorumsim::timeline {

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.flush();
  if (!f) {
    std::cerr << "quorumsim: cannot write timeline " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

const char kUsage[] =
    "usage: quorumsim timeline TRACE [-o FILE.svg|FILE.html]\n"
    "Draws a saved trace (quorumsim --trace FILE) as a timeline: SVG on standard output, or\n"
    "FILE.svg and FILE.html with -o. Exit status 0, or 2 for bad input.\n";

}  // namespace

bool WriteTimelineFiles(const Timeline& tl, const std::string& path) {
  std::string stem = path;
  if (EndsWith(stem, ".svg") || EndsWith(stem, ".html")) stem = stem.substr(0, stem.rfind('.'));
  const std::string svg = EndsWith(path, ".svg") ? path : stem + ".svg";
  const std::string html = EndsWith(path, ".html") ? path : stem + ".html";
  return WriteFile(svg, RenderSvg(tl)) && WriteFile(html, RenderHtml(tl));
}

// Writes to two buffers: the recorder's own and the run's --trace destination.
struct LiveRecorder::Tee : std::streambuf {
  std::streambuf* a;
  std::streambuf* b;
  Tee(std::streambuf* x, std::streambuf* y) : a(x), b(y) {}
  int overflow(int c) override {
    if (c == EOF) return 0;
    a->sputc(static_cast<char>(c));
    if (b) b->sputc(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    a->sputn(s, n);
    if (b) b->sputn(s, n);
    return n;
  }
  int sync() override {
    if (b) b->pubsync();
    return 0;
  }
};

LiveRecorder::LiveRecorder(Cluster& cluster, std::ostream* trace_out) : cluster_(cluster) {
  tee_ = std::make_unique<Tee>(buffer_.rdbuf(), trace_out ? trace_out->rdbuf() : nullptr);
  stream_ = std::make_unique<std::ostream>(tee_.get());
  cluster_.SetTraceStream(stream_.get());
}

LiveRecorder::~LiveRecorder() { cluster_.SetTraceStream(nullptr); }

void LiveRecorder::Hook(ScriptOptions* o) {
  o->settle = [this]() {
    Status st = cluster_.Settle();
    sampler_.Sample(cluster_);
    return st;
  };
  o->wait = [this](uint64_t ms) {
    cluster_.RunFor(ms);
    sampler_.Sample(cluster_);
  };
}

bool LiveRecorder::Write(const std::string& path, const std::string& title) {
  stream_->flush();
  std::istringstream in(buffer_.str());
  std::vector<TraceEvent> events;
  Status st = ReadTrace(in, "trace", &events);
  if (!st.ok()) {
    std::cerr << "quorumsim: timeline: " << st.message() << "\n";
    return false;
  }
  return WriteTimelineFiles(BuildTimeline(events, sampler_.points(), title), path);
}

int TimelineMain(int argc, char** argv) {
  std::string trace, out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "-o") {
      if (i + 1 >= argc) {
        std::cerr << "quorumsim timeline: -o needs a file name\n" << kUsage;
        return 2;
      }
      out = argv[++i];
    } else if (trace.empty() && (a == "-" || a.empty() || a[0] != '-')) {
      trace = a;
    } else {
      std::cerr << "quorumsim timeline: unexpected argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (trace.empty()) {
    std::cerr << "quorumsim timeline: no trace given\n" << kUsage;
    return 2;
  }
  std::ifstream file;
  if (trace != "-") {
    file.open(trace, std::ios::binary);
    if (!file) {
      std::cerr << "quorumsim timeline: cannot open " << trace << ": " << std::strerror(errno) << "\n";
      return 2;
    }
  }
  std::vector<TraceEvent> events;
  Status st = ReadTrace(trace == "-" ? std::cin : file, trace, &events);
  if (!st.ok()) {
    std::cerr << "quorumsim timeline: " << st.message() << "\n";
    return 2;
  }
  Timeline tl = BuildTimeline(events, {}, "quorumsim timeline: " + trace);
  if (out.empty()) {
    std::cout << RenderSvg(tl);
    std::cout.flush();
    return std::cout ? 0 : 2;
  }
  return WriteTimelineFiles(tl, out) ? 0 : 2;
}

}  // namespace quorumsim::timeline
