#pragma once

// Internal to src/api: typed access to query-string parameters of /api/v1 routes, with errors
// naming the parameter, and the list-page conventions (limit, cursor, total, nextCursor).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/http.h"
#include "common/status.h"

namespace warden {

// QueryArgs reads optional query parameters. Accessors record the first error (naming the
// parameter) and return nullopt/empty for absent parameters.
class QueryArgs {
 public:
  explicit QueryArgs(const HttpRequest& request);
  // Parameters given as decoded (name, value) pairs, e.g. from a JSON object of filters.
  explicit QueryArgs(std::vector<std::pair<std::string, std::string>> params)
      : params_(std::move(params)) {}

  std::optional<std::string> String(const char* name);
  std::optional<std::int64_t> Int(const char* name, std::int64_t min, std::int64_t max);
  std::optional<bool> Bool(const char* name);
  // Comma-separated values (also repeated parameters); empty pieces dropped.
  std::vector<std::string> List(const char* name);
  // Like List, but every value must be one of `allowed` (compared case-insensitively; returned
  // as written in `allowed`).
  std::vector<std::string> Enum(const char* name, const std::vector<std::string>& allowed);

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }
  void Fail(const char* name, const std::string& message);

 private:
  std::vector<std::pair<std::string, std::string>> params_;  // decoded, in order
  Status status_;
};

// Paging of /api/v1 lists: ?limit= (1..max, default 50) and ?cursor= (opaque).
struct PageRequest {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
PageRequest ReadPage(QueryArgs& args, std::int64_t max_limit = 500);
// The cursor of the page after `page` when `total` says there is one, else "".
std::string NextCursor(const PageRequest& page, std::int64_t total);

// ?from= / ?to= (Unix seconds).
struct TimeRange {
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
};
TimeRange ReadTimeRange(QueryArgs& args);

}  // namespace warden
