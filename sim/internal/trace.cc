#include "sim/internal/trace.h"

#include <ostream>

namespace quorumsim::internal {

JsonLine::JsonLine(uint64_t t, std::string_view ev) {
  s_ = "{\"t\":" + std::to_string(t);
  Str("ev", ev);
}

void JsonLine::Key(std::string_view key) {
  s_ += ",\"";
  s_ += key;
  s_ += "\":";
}

JsonLine& JsonLine::Num(std::string_view key, uint64_t v) {
  Key(key);
  s_ += std::to_string(v);
  return *this;
}

JsonLine& JsonLine::Str(std::string_view key, std::string_view v) {
  Key(key);
  s_ += '"';
  for (char c : v) {
    switch (c) {
      case '"': s_ += "\\\""; break;
      case '\\': s_ += "\\\\"; break;
      case '\n': s_ += "\\n"; break;
      case '\t': s_ += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          s_ += "\\u00";
          s_ += hex[(c >> 4) & 0xf];
          s_ += hex[c & 0xf];
        } else {
          s_ += c;
        }
    }
  }
  s_ += '"';
  return *this;
}

JsonLine& JsonLine::Bool(std::string_view key, bool v) {
  Key(key);
  s_ += v ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::Ids(std::string_view key, std::span<const NodeId> ids) {
  Key(key);
  s_ += '[';
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s_ += ',';
    s_ += std::to_string(ids[i]);
  }
  s_ += ']';
  return *this;
}

std::string JsonLine::Finish() {
  s_ += '}';
  return std::move(s_);
}

void Trace::set_stream(std::ostream* os, uint64_t now) {
  stream_ = os;
  if (stream_ == nullptr) return;
  JsonLine header(now, "trace");
  *stream_ << header.Num("version", kTraceSchemaVersion).Str("schema", "sim/TRACE.md").Finish() << '\n';
}

void Trace::Emit(JsonLine& line) {
  std::string s = line.Finish();
  if (stream_) *stream_ << s << '\n';
  if (record_) lines_.push_back(std::move(s));
}

}  // namespace quorumsim::internal
