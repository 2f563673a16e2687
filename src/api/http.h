#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/exchange.h"

namespace warden {

// An HTTP request as the API layer sees it, independent of the server library.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received
  std::string path;    // target without query, percent-decoded
  std::string query;   // raw query string without '?'
  Headers headers;     // names lower-cased
  std::string body;
  std::string remote_addr;                         // peer address without port
  std::map<std::string, std::string> path_params;  // filled by the router from "{name}" segments

  // First value of a lower-case header name, or empty.
  std::string_view Header(std::string_view lower_name) const;
  // Decoded value of a query parameter, or empty.
  std::string QueryParam(std::string_view name) const;
};

// Produces a response body piece by piece (a streamed export). Each call appends the next piece
// to `*chunk` (possibly nothing) and returns true while more may follow, false once the body is
// complete (that call may still append a last piece). An error means the body cannot be
// completed: what was produced so far is a truncated body, never a whole one. Called from one
// thread at a time, after the previous piece was sent; it may block briefly (a store page).
using BodySource = std::function<Result<bool>(std::string* chunk)>;

// An HTTP response. `body` is sent as is with `content_type`, unless `body_source` is set.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Headers headers;  // extra headers
  // When set, the body comes from this source and `body` stays empty until DrainBody(): the
  // server sends it with chunked transfer encoding and no Content-Length, asking for the next
  // piece only once the previous one is written. Anything that calls Router::Dispatch itself
  // and reads `body` must call DrainBody() first.
  BodySource body_source;

  // Runs `body_source` to its end, appending every piece to `body`, and clears it. Returns the
  // source's error, with `body` holding the pieces produced before it. Ok without a source.
  Status DrainBody();

  static HttpResponse Json(int status, std::string body);
  // {"error":{"code":...,"message":...,"field":...}} with a code derived from the status.
  static HttpResponse Error(int status, std::string_view message, std::string_view field = {});
};

// Handlers answer through a Responder exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;

// Error code string for an HTTP status ("invalid_argument" for 400, ...).
std::string_view ErrorCodeForStatus(int status);

}  // namespace warden
