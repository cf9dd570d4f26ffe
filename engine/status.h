// Status: the error value every module edge returns instead of throwing.
//
// A Status is either ok or carries a code and a human-readable message that names
// what was wrong (the field and the value, for configuration errors).
#ifndef QUORUMSIM_ENGINE_STATUS_H_
#define QUORUMSIM_ENGINE_STATUS_H_

#include <string>
#include <utility>

namespace quorumsim {

class Status {
 public:
  enum class Code { kOk = 0, kInvalidConfig, kInvalidArgument, kNotFound, kIoError, kInternal };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidConfig(std::string msg) { return Status(Code::kInvalidConfig, std::move(msg)); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ok" or "<code name>: <message>".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_STATUS_H_
