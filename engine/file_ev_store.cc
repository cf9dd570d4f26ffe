#include "engine/file_ev_store.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace quorumsim {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

bool FileEvStore::TryRead(uint32_t* value) const {
  std::FILE* f = std::fopen(path_.c_str(), "rb");
  if (f == nullptr) return false;
  bool ok = false;
  if (format_ == Format::kBinary) {
    uint32_t v = 0;
    ok = std::fread(&v, sizeof(v), 1, f) == 1;
    if (ok) *value = v;
  } else {
    unsigned long v = 0;
    ok = std::fscanf(f, "%lu", &v) == 1 && v <= 0xffffffffUL;
    if (ok) *value = static_cast<uint32_t>(v);
  }
  std::fclose(f);
  return ok;
}

Status FileEvStore::Load(uint32_t* value) {
  if (TryRead(value)) return Status::Ok();
  *value = 0;
  Status st = Save(0);
  if (!st.ok()) return Status::IoError("cannot create " + path_ + ": " + st.message());
  return Status::Ok();
}

Status FileEvStore::Save(uint32_t value) {
  std::FILE* f = std::fopen(path_.c_str(), "wb");
  if (f == nullptr) return Status::IoError("cannot open " + path_ + " for writing: " + ErrnoText());
  bool ok;
  if (format_ == Format::kBinary) {
    ok = std::fwrite(&value, sizeof(value), 1, f) == 1;
  } else {
    ok = std::fprintf(f, "%lu\n", static_cast<unsigned long>(value)) > 0;
  }
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Status::IoError("cannot write " + path_ + ": " + ErrnoText());
  return Status::Ok();
}

}  // namespace quorumsim
