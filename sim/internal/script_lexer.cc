#include "sim/internal/script_lexer.h"

#include <cctype>
#include <charconv>

namespace quorumsim::internal {

namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// "on" / "off" in any case; nullopt for anything else (each caller words its own error).
std::optional<bool> OnOff(const std::string& text) {
  std::string v = Lower(text);
  if (v == "on") return true;
  if (v == "off") return false;
  return std::nullopt;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i >= line.size()) break;
    size_t b = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    out.push_back(Token{std::string(line.substr(b, i - b)), b + 1});
  }
  return out;
}

bool IsCommand(const std::vector<Token>& tokens) {
  return !tokens.empty() && tokens[0].text[0] != '#';
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

uint64_t ParseU64(std::string_view s, size_t col, const std::string& what, int base) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    throw ScriptError{col, "expected " + what + ", got '" + std::string(s) + "'"};
  }
  return v;
}

uint32_t ParseU32(std::string_view s, size_t col, const std::string& what, int base) {
  uint64_t v = ParseU64(s, col, what, base);
  if (v > UINT32_MAX) throw ScriptError{col, what + " out of range: '" + std::string(s) + "'"};
  return static_cast<uint32_t>(v);
}

uint64_t ParseDuration(const Token& t) {
  static const std::string kWhat = "a duration such as 1500ms, 12s or 2m";
  std::string_view s = t.text;
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  std::string unit = Lower(std::string(s.substr(i)));
  uint64_t mult = 0;
  if (unit.empty() || unit == "ms") {
    mult = 1;
  } else if (unit == "s") {
    mult = 1000;
  } else if (unit == "m" || unit == "min") {
    mult = 60000;
  } else if (unit == "h") {
    mult = 3600000;
  } else {
    throw ScriptError{t.col, "expected " + kWhat + ", got '" + t.text + "'"};
  }
  uint64_t v = ParseU64(s.substr(0, i), t.col, kWhat);
  if (v > (UINT64_MAX / 4) / mult) throw ScriptError{t.col, "duration too large: '" + t.text + "'"};
  return v * mult;
}

bool ParseOnOff(const Token& t) {
  if (std::optional<bool> on = OnOff(t.text)) return *on;
  throw ScriptError{t.col, "expected 'on' or 'off', got '" + t.text + "'"};
}

bool Parse01(const Token& t) {
  if (t.text == "1") return true;
  if (t.text == "0") return false;
  if (std::optional<bool> on = OnOff(t.text)) return *on;
  throw ScriptError{t.col, "expected 0 or 1, got '" + t.text + "'"};
}

NodeGroup ParseGroup(const Token& t) {
  NodeGroup g;
  std::string_view s = t.text;
  size_t col = t.col;
  size_t colon = s.find(':');
  if (colon != std::string_view::npos) {
    g.partition = ParseU32(s.substr(0, colon), col, "a partition number");
    col += colon + 1;
    s = s.substr(colon + 1);
  }
  size_t pos = 0;
  while (true) {
    size_t comma = s.find(',', pos);
    std::string_view item = s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos);
    NodeId id = ParseU32(item, col + pos, "a node id");
    if (id == 0) throw ScriptError{col + pos, "node id 0 is reserved"};
    g.ids.push_back(id);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return g;
}

std::string JoinIds(const std::vector<NodeId>& ids, char sep) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(ids[i]);
  }
  return s;
}

}  // namespace quorumsim::internal
