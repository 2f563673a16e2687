#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace warden {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input: names the field
  kNotFound,
  kAlreadyExists,
  kUnauthenticated,    // no or wrong credentials
  kPermissionDenied,   // credentials valid, role too weak
  kResourceExhausted,  // queue full, too large
  kFailedPrecondition,
  kUnavailable,
  kIoError,
  kInternal,
};

// Status is the outcome of an operation that can fail: a code, a message naming the input
// (file, line, field, policy id) and, for input errors, the offending field path.
// Cheap to copy when ok. Modeled on LevelDB's Status.
class Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message, std::string field = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status AlreadyExists(std::string message) {
    return Status(StatusCode::kAlreadyExists, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status FailedPrecondition(std::string message) {
    return Status(StatusCode::kFailedPrecondition, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status IoError(std::string message) {
    return Status(StatusCode::kIoError, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field the error is about ("batchData[3].requestHeaders"), or empty.
  const std::string& field() const { return field_; }

  // "INVALID_ARGUMENT: batchData[3].time: not a number".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

std::string_view StatusCodeName(StatusCode code);

// Result<T> holds either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace warden

#define WARDEN_STATUS_CONCAT_INNER(a, b) a##b
#define WARDEN_STATUS_CONCAT(a, b) WARDEN_STATUS_CONCAT_INNER(a, b)
// Returns the Status of `expr` from the enclosing function when it is not ok.
#define WARDEN_RETURN_IF_ERROR(expr)                                   \
  do {                                                                 \
    ::warden::Status WARDEN_STATUS_CONCAT(status_, __LINE__) = (expr); \
    if (!WARDEN_STATUS_CONCAT(status_, __LINE__).ok()) {               \
      return WARDEN_STATUS_CONCAT(status_, __LINE__);                  \
    }                                                                  \
  } while (0)
