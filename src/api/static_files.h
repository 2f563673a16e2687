#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "api/http.h"
#include "common/embedded.h"

namespace warden {

// StaticFiles serves the built dashboard (web/dist, compiled into the binary) for GET/HEAD
// requests outside /api: an existing file by its path, anything else as index.html so the
// single-page app can route. Responses carry a strict Content-Security-Policy (scripts only from
// this origin, no inline script, no framing) as a second line of defence against stored XSS from
// captured attack payloads. Immutable after construction; thread-safe.
class StaticFiles {
 public:
  explicit StaticFiles(std::vector<EmbeddedFile> files);

  // Answers a request the router did not match. Returns false when this is not a dashboard
  // request (not GET/HEAD, or under /api/), so the caller answers 404/405.
  bool Serve(const HttpRequest& request, HttpResponse* response) const;

  bool empty() const { return files_.empty(); }

 private:
  std::unordered_map<std::string, std::string> files_;  // "/assets/x.js" → contents
};

// The Content-Security-Policy sent with dashboard pages.
extern const char kDashboardCsp[];

}  // namespace warden
