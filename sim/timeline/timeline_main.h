// The timeline's command-line entry points: `quorumsim timeline TRACE` and the recorder
// behind `quorumsim --timeline FILE.svg` (a script run).
#ifndef QUORUMSIM_SIM_TIMELINE_TIMELINE_MAIN_H_
#define QUORUMSIM_SIM_TIMELINE_TIMELINE_MAIN_H_

#include <memory>
#include <ostream>
#include <sstream>
#include <string>

#include "sim/cluster.h"
#include "sim/script.h"
#include "sim/timeline/timeline.h"

namespace quorumsim::timeline {

// argv[0] is "timeline". `quorumsim timeline TRACE [-o FILE.svg|FILE.html]`.
int TimelineMain(int argc, char** argv);

// Records a script run for a timeline: it takes over the cluster's trace stream (passing
// every line on to `trace_out` if the run also writes a trace) and samples votes after
// every settled command and every wait.
class LiveRecorder {
 public:
  LiveRecorder(Cluster& cluster, std::ostream* trace_out);
  ~LiveRecorder();
  // Sets the settle and wait hooks of `options` (both as the defaults, plus a sample).
  void Hook(ScriptOptions* options);
  // Writes PATH (SVG) and PATH with .html (or, for a .html PATH, PATH and the .svg). Returns
  // false with a message on stderr when a file cannot be written.
  bool Write(const std::string& path, const std::string& title);

 private:
  struct Tee;
  Cluster& cluster_;
  std::ostringstream buffer_;
  std::unique_ptr<Tee> tee_;
  std::unique_ptr<std::ostream> stream_;
  VoteSampler sampler_;
};

// Writes SVG and HTML files for `tl` at `path` (see LiveRecorder::Write).
bool WriteTimelineFiles(const Timeline& tl, const std::string& path);

}  // namespace quorumsim::timeline

#endif  // QUORUMSIM_SIM_TIMELINE_TIMELINE_MAIN_H_
