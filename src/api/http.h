#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

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

// An HTTP response. `body` is sent as is with `content_type`.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Headers headers;  // extra headers

  static HttpResponse Json(int status, std::string body);
  // {"error":{"code":...,"message":...,"field":...}} with a code derived from the status.
  static HttpResponse Error(int status, std::string_view message, std::string_view field = {});
};

// Handlers answer through a Responder exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;

// Error code string for an HTTP status ("invalid_argument" for 400, ...).
std::string_view ErrorCodeForStatus(int status);

}  // namespace warden
