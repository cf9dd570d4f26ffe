// Reads the JSON-lines trace of sim/TRACE.md (version 1) into flat events. Only the shapes
// the trace uses are understood: one object per line whose values are numbers, strings,
// booleans or arrays of numbers. Unknown events and fields are kept as text and ignored
// by the timeline, as the schema asks readers to do.
#ifndef QUORUMSIM_SIM_TIMELINE_TRACE_READER_H_
#define QUORUMSIM_SIM_TIMELINE_TRACE_READER_H_

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "engine/status.h"

namespace quorumsim::timeline {

struct TraceEvent {
  uint64_t t = 0;
  std::string ev;
  std::map<std::string, std::string> text;           // strings, and numbers/booleans as text
  std::map<std::string, std::vector<uint64_t>> lists; // arrays of numbers
  uint64_t Num(const std::string& key) const;         // 0 when absent
  const std::string& Str(const std::string& key) const;
};

// Parses one line; error names the column.
Status ParseTraceLine(const std::string& line, TraceEvent* out);

// Reads a whole trace; error names `name`:line. Refuses a stream whose first line is not
// a version-1 trace header.
Status ReadTrace(std::istream& in, const std::string& name, std::vector<TraceEvent>* out);

}  // namespace quorumsim::timeline

#endif  // QUORUMSIM_SIM_TIMELINE_TRACE_READER_H_
