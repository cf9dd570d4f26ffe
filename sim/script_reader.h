// Reads a script one line at a time with limits, so that no input (a file without
// newlines such as /dev/zero, a multi-gigabyte file) can hold unbounded memory.
#ifndef QUORUMSIM_SIM_SCRIPT_READER_H_
#define QUORUMSIM_SIM_SCRIPT_READER_H_

#include <cstdint>
#include <istream>
#include <string>

#include "engine/status.h"

namespace quorumsim {

// corosync's own configuration lines are far shorter; a longer script line is a mistake.
inline constexpr size_t kMaxScriptLineBytes = 64 * 1024;
// A script larger than this is refused (about 20 million commands).
inline constexpr uint64_t kMaxScriptBytes = 512ull * 1024 * 1024;

class ScriptReader {
 public:
  ScriptReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

  // The next line (without its newline) into *line; done() after the last one. An error
  // names the file, the line and the limit exceeded, or the read error.
  Status Next(std::string* line);
  bool done() const { return done_; }
  int line_number() const { return line_number_; }

 private:
  std::istream& in_;
  std::string name_;
  bool done_ = false;
  int line_number_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_SCRIPT_READER_H_
