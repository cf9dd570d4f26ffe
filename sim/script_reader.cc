#include "sim/script_reader.h"

#include <cerrno>
#include <cstring>

namespace quorumsim {

Status ScriptReader::Next(std::string* line) {
  line->clear();
  if (done_) return Status::Ok();
  ++line_number_;
  errno = 0;
  std::streambuf* buf = in_.rdbuf();
  while (true) {
    int ch = buf == nullptr ? std::char_traits<char>::eof() : buf->sbumpc();
    if (ch == std::char_traits<char>::eof()) {
      if (errno != 0 && errno != EAGAIN) {
        return Status::IoError(name_ + ":" + std::to_string(line_number_) +
                               ": cannot read the script: " + std::strerror(errno));
      }
      done_ = line->empty();
      if (done_) --line_number_;
      return Status::Ok();
    }
    if (++bytes_ > kMaxScriptBytes) {
      return Status::InvalidArgument(name_ + ":" + std::to_string(line_number_) +
                                     ": script larger than the limit of " +
                                     std::to_string(kMaxScriptBytes) + " bytes");
    }
    if (ch == '\n') return Status::Ok();
    if (line->size() >= kMaxScriptLineBytes) {
      return Status::InvalidArgument(name_ + ":" + std::to_string(line_number_) +
                                     ": line longer than the limit of " +
                                     std::to_string(kMaxScriptLineBytes) + " bytes");
    }
    line->push_back(static_cast<char>(ch));
  }
}

}  // namespace quorumsim
