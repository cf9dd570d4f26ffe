// Trace: one JSON object per line, {"t":<virtual ms>,"ev":"<kind>",...}.
#ifndef QUORUMSIM_SIM_INTERNAL_TRACE_H_
#define QUORUMSIM_SIM_INTERNAL_TRACE_H_

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.h"

namespace quorumsim::internal {

// Builds one line. Field order is the call order (deterministic).
class JsonLine {
 public:
  JsonLine(uint64_t t, std::string_view ev);
  JsonLine& Num(std::string_view key, uint64_t v);
  JsonLine& Str(std::string_view key, std::string_view v);
  JsonLine& Bool(std::string_view key, bool v);
  JsonLine& Ids(std::string_view key, std::span<const NodeId> ids);
  std::string Finish();

 private:
  void Key(std::string_view key);
  std::string s_;
};

// Version of the trace's event schema (sim/TRACE.md); the first line of every trace
// stream says it. Bump it when an event or field changes meaning or goes away.
inline constexpr int kTraceSchemaVersion = 1;

class Trace {
 public:
  bool on() const { return stream_ != nullptr || record_; }
  // Starts writing to `os` with the schema header line (virtual time `now`).
  void set_stream(std::ostream* os, uint64_t now);
  void set_record(bool r) { record_ = r; }
  void Emit(JsonLine& line);
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::ostream* stream_ = nullptr;
  bool record_ = false;
  std::vector<std::string> lines_;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_TRACE_H_
