// Typed cmap values: construction, icmap_get_*-style reads, key-name rule, type names.
#include <cstring>

#include "sim/cmap_tree.h"

namespace quorumsim {
namespace {

template <typename T>
CmapValue Native(CmapType type, T v) {
  CmapValue out;
  out.type = type;
  // resize + memcpy rather than assign(ptr, n): with -O2, GCC 12 reports a false
  // -Wrestrict overlap in std::string::assign for one-byte values.
  out.bytes.resize(sizeof v);
  std::memcpy(out.bytes.data(), &v, sizeof v);
  return out;
}

template <typename T>
std::optional<T> Read(const CmapEntries& map, const std::string& key, CmapType type) {
  auto it = map.find(key);
  if (it == map.end() || it->second.type != type || it->second.bytes.size() != sizeof(T)) {
    return std::nullopt;
  }
  T v;
  std::memcpy(&v, it->second.bytes.data(), sizeof v);
  return v;
}

}  // namespace

CmapValue CmapI8(int8_t v) { return Native(CmapType::kInt8, v); }
CmapValue CmapU8(uint8_t v) { return Native(CmapType::kUint8, v); }
CmapValue CmapI16(int16_t v) { return Native(CmapType::kInt16, v); }
CmapValue CmapU16(uint16_t v) { return Native(CmapType::kUint16, v); }
CmapValue CmapI32(int32_t v) { return Native(CmapType::kInt32, v); }
CmapValue CmapU32(uint32_t v) { return Native(CmapType::kUint32, v); }
CmapValue CmapI64(int64_t v) { return Native(CmapType::kInt64, v); }
CmapValue CmapU64(uint64_t v) { return Native(CmapType::kUint64, v); }
CmapValue CmapFloat(float v) { return Native(CmapType::kFloat, v); }
CmapValue CmapDouble(double v) { return Native(CmapType::kDouble, v); }

CmapValue CmapStr(std::string_view text) {
  // icmap_set_string measures with strlen and stores the terminating NUL.
  text = text.substr(0, text.find('\0'));
  CmapValue out;
  out.type = CmapType::kString;
  out.bytes.assign(text);
  out.bytes.push_back('\0');
  return out;
}

CmapValue CmapBinary(std::string_view bytes) {
  CmapValue out;
  out.type = CmapType::kBinary;
  out.bytes.assign(bytes);
  return out;
}

std::optional<uint8_t> CmapGetU8(const CmapEntries& map, const std::string& key) {
  return Read<uint8_t>(map, key, CmapType::kUint8);
}
std::optional<uint16_t> CmapGetU16(const CmapEntries& map, const std::string& key) {
  return Read<uint16_t>(map, key, CmapType::kUint16);
}
std::optional<uint32_t> CmapGetU32(const CmapEntries& map, const std::string& key) {
  return Read<uint32_t>(map, key, CmapType::kUint32);
}
std::optional<int32_t> CmapGetI32(const CmapEntries& map, const std::string& key) {
  return Read<int32_t>(map, key, CmapType::kInt32);
}
std::optional<uint64_t> CmapGetU64(const CmapEntries& map, const std::string& key) {
  return Read<uint64_t>(map, key, CmapType::kUint64);
}
std::optional<double> CmapGetDouble(const CmapEntries& map, const std::string& key) {
  return Read<double>(map, key, CmapType::kDouble);
}

std::optional<std::string> CmapGetString(const CmapEntries& map, const std::string& key) {
  auto it = map.find(key);
  if (it == map.end() || it->second.type != CmapType::kString) return std::nullopt;
  const std::string& b = it->second.bytes;
  return b.substr(0, b.find('\0'));
}

bool CmapValidKeyName(std::string_view name) {
  // ICMAP_KEYNAME_MINLEN / ICMAP_KEYNAME_MAXLEN and icmap_is_valid_name_char.
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
    if (!ok) return false;
  }
  return true;
}

const char* CmapTypeName(CmapType type) {
  switch (type) {
    case CmapType::kInt8: return "i8";
    case CmapType::kUint8: return "u8";
    case CmapType::kInt16: return "i16";
    case CmapType::kUint16: return "u16";
    case CmapType::kInt32: return "i32";
    case CmapType::kUint32: return "u32";
    case CmapType::kInt64: return "i64";
    case CmapType::kUint64: return "u64";
    case CmapType::kFloat: return "flt";
    case CmapType::kDouble: return "dbl";
    case CmapType::kString: return "str";
    case CmapType::kBinary: return "bin";
  }
  return "?";
}

}  // namespace quorumsim
