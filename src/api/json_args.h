#pragma once

// Internal to src/api: typed access to JSON request bodies with errors naming the field.
// Includes Boost.JSON, so only api .cc files include it.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/http.h"
#include "common/status.h"

namespace warden {

// Parses a request body as a JSON object. An empty body is an empty object.
Result<boost::json::object> ParseJsonBody(const std::string& body);

// JsonArgs reads optional fields of a request object. Every accessor tolerates absence and JSON
// null, accepts numbers written as strings, and records the first type error, naming the field.
// Unknown fields are ignored (Akto clients send many).
class JsonArgs {
 public:
  explicit JsonArgs(const boost::json::object& obj) : obj_(obj) {}

  std::optional<std::int64_t> Int(const char* key, std::int64_t min, std::int64_t max);
  std::optional<bool> Bool(const char* key);
  std::optional<std::string> String(const char* key);
  // A string or a list of strings (numbers are converted).
  std::vector<std::string> Strings(const char* key);
  std::vector<std::int64_t> Ints(const char* key);
  // First present key among `keys`, e.g. {"startTimestamp", "startTs"}.
  std::optional<std::int64_t> FirstInt(std::initializer_list<const char*> keys, std::int64_t min,
                                       std::int64_t max);
  // A sort object {"field": 1|-1}: the first entry, or nullopt.
  std::optional<std::pair<std::string, bool /*descending*/>> Sort(const char* key);

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

 private:
  const boost::json::value* Get(const char* key) const;
  void Fail(const char* key, const std::string& what);

  const boost::json::object& obj_;
  Status status_;
};

// 400 response for a failed Status (message and field), or 500 for internal errors.
HttpResponse ErrorResponse(const Status& status);

// Serializes a JSON value as a 200 response.
HttpResponse JsonResponse(const boost::json::value& v, int status = 200);

}  // namespace warden
