#pragma once

#include <string>

#include "api/http.h"
#include "common/status.h"

namespace warden {

// A minimal blocking HTTP/1.1 client for Warden's own tools and tests (`warden ingest`, the
// end-to-end tests). One connection per call; no TLS. Thread-safe (no shared state).
struct HttpTarget {
  std::string host = "127.0.0.1";
  int port = 8080;
};

// Parses "http://host:port" (the path, if any, is ignored). InvalidArgument naming `field`.
Result<HttpTarget> ParseHttpUrl(const std::string& url, const std::string& field = "server");

// Sends one request and returns the response (any status). Errors only for connection or
// protocol failures, or when `timeout_seconds` passes.
Result<HttpResponse> HttpCall(const HttpTarget& target, const std::string& method,
                              const std::string& path, const Headers& headers,
                              const std::string& body, int timeout_seconds = 60);

}  // namespace warden
