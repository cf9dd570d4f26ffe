// An ExpectedVotesStore backed by one file, like corosync's <state dir>/ev_tracking.
//
// This is the only code of the engine package that performs I/O, and it only runs when a
// caller constructs it and hands it to an Engine. The binary format is corosync's (four
// bytes, host byte order); the text format holds a decimal number and a newline.
#ifndef QUORUMSIM_ENGINE_FILE_EV_STORE_H_
#define QUORUMSIM_ENGINE_FILE_EV_STORE_H_

#include <cstdint>
#include <string>

#include "engine/config.h"

namespace quorumsim {

class FileEvStore : public ExpectedVotesStore {
 public:
  enum class Format { kBinary, kText };

  explicit FileEvStore(std::string path, Format format = Format::kBinary)
      : path_(std::move(path)), format_(format) {}

  // A missing or short/unreadable file is (re)written with 0, as corosync does; only a
  // failure to write that 0 is an error.
  Status Load(uint32_t* value) override;
  Status Save(uint32_t value) override;

  const std::string& path() const { return path_; }

 private:
  bool TryRead(uint32_t* value) const;

  std::string path_;
  Format format_;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_FILE_EV_STORE_H_
