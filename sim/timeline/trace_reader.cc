#include "sim/timeline/trace_reader.h"

#include <cctype>
#include <cstdlib>

namespace quorumsim::timeline {

uint64_t TraceEvent::Num(const std::string& key) const {
  auto it = text.find(key);
  return it == text.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
}

const std::string& TraceEvent::Str(const std::string& key) const {
  static const std::string empty;
  auto it = text.find(key);
  return it == text.end() ? empty : it->second;
}

namespace {

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  Status Object(TraceEvent* out) {
    Skip();
    if (!Eat('{')) return Err("'{'");
    Skip();
    if (Eat('}')) return Status::Ok();
    while (true) {
      std::string key;
      Status st = String(&key);
      if (!st.ok()) return st;
      Skip();
      if (!Eat(':')) return Err("':'");
      Skip();
      if (Peek() == '[') {
        std::vector<uint64_t> list;
        if (!(st = NumberList(&list)).ok()) return st;
        out->lists[key] = list;
      } else if (Peek() == '"') {
        std::string v;
        if (!(st = String(&v)).ok()) return st;
        out->text[key] = v;
      } else {
        std::string v;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                    s_[pos_] == '.')) {
          v += s_[pos_++];
        }
        if (v.empty()) return Err("a value");
        out->text[key] = v;
      }
      Skip();
      if (Eat('}')) break;
      if (!Eat(',')) return Err("',' or '}'");
      Skip();
    }
    out->t = out->Num("t");
    out->ev = out->Str("ev");
    return Status::Ok();
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  Status Err(const std::string& what) const {
    return Status::InvalidArgument("column " + std::to_string(pos_ + 1) + ": expected " + what);
  }
  Status String(std::string* out) {
    if (!Eat('"')) return Err("a string");
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c == '\\' && pos_ < s_.size()) {
        char e = s_[pos_++];
        switch (e) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'u':
            // The trace escapes only control characters this way; keep a placeholder.
            pos_ = std::min(s_.size(), pos_ + 4);
            c = '?';
            break;
          default: c = e;
        }
      }
      *out += c;
    }
    if (!Eat('"')) return Err("the end of a string");
    return Status::Ok();
  }
  Status NumberList(std::vector<uint64_t>* out) {
    Eat('[');
    Skip();
    if (Eat(']')) return Status::Ok();
    while (true) {
      Skip();
      size_t start = pos_;
      while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
      if (start == pos_) return Err("a number");
      out->push_back(std::strtoull(s_.c_str() + start, nullptr, 10));
      Skip();
      if (Eat(']')) return Status::Ok();
      if (!Eat(',')) return Err("',' or ']'");
    }
  }
  const std::string& s_;
  size_t pos_ = 0;
};

}  // namespace

Status ParseTraceLine(const std::string& line, TraceEvent* out) {
  *out = TraceEvent{};
  return Parser(line).Object(out);
}

Status ReadTrace(std::istream& in, const std::string& name, std::vector<TraceEvent>* out) {
  out->clear();
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.empty()) continue;
    TraceEvent e;
    Status st = ParseTraceLine(line, &e);
    if (!st.ok()) return Status::InvalidArgument(name + ":" + std::to_string(n) + ": " + st.message());
    if (out->empty() && (e.ev != "trace" || e.Num("version") != 1)) {
      return Status::InvalidArgument(name + ":" + std::to_string(n) +
                                     ": not a quorumsim trace of version 1 (the first line must be "
                                     "{\"t\":0,\"ev\":\"trace\",\"version\":1,...}; see sim/TRACE.md)");
    }
    out->push_back(std::move(e));
  }
  if (out->empty()) return Status::InvalidArgument(name + ": empty trace");
  return Status::Ok();
}

}  // namespace quorumsim::timeline
