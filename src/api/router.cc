#include "api/router.h"

#include <algorithm>
#include <exception>

#include "api/keyring.h"
#include "common/log.h"
#include "common/strings.h"

namespace warden {

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

bool Router::Match(const std::string& pattern, std::string_view path, bool encoded,
                   std::map<std::string, std::string>* params) {
  if (pattern.find('{') == std::string::npos && !encoded) return pattern == path;
  std::vector<std::string_view> want = Split(pattern, '/');
  std::vector<std::string_view> got = Split(path, '/');
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    std::string_view w = want[i];
    std::string segment = encoded ? PercentDecode(got[i], false) : std::string(got[i]);
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (segment.empty()) return false;
      found[std::string(w.substr(1, w.size() - 2))] = std::move(segment);
    } else if (w != segment) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

void Router::Dispatch(HttpRequest request, Responder respond) const {
  const Route* route = nullptr;
  bool path_known = false;
  // Match on the path as received when there is one, so that "%2F" inside an id is not a
  // separator; requests built in code carry only the decoded path.
  std::string_view target = request.target;
  bool encoded = !target.empty() && target.front() == '/';
  std::string_view path = encoded ? target.substr(0, target.find('?')) : request.path;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(r.path, path, encoded, &params)) continue;
    path_known = true;
    if (r.method == request.method || (request.method == "HEAD" && r.method == "GET")) {
      route = &r;
      request.path_params = std::move(params);
      break;
    }
  }
  if (route == nullptr) {
    HttpResponse fallback;
    if (!path_known && fallback_ && fallback_(request, &fallback)) {
      respond(std::move(fallback));
      return;
    }
    respond(path_known ? HttpResponse::Error(405, "method not allowed")
                       : HttpResponse::Error(404, "no such route: " + request.path));
    return;
  }

  Principal principal;
  if (!route->roles.empty()) {
    std::string_view key = request.Header("x-api-key");
    if (key.empty()) {
      std::string_view auth = request.Header("authorization");
      if (StartsWithIgnoreCase(auth, "bearer ")) key = TrimSpace(auth.substr(7));
    }
    if (key.empty()) {
      respond(HttpResponse::Error(401, "missing API key (x-api-key header)", "x-api-key"));
      return;
    }
    auto who = keys_->Verify(key);
    if (!who) {
      respond(HttpResponse::Error(401, "invalid API key", "x-api-key"));
      return;
    }
    principal = *who;
    if (std::find(route->roles.begin(), route->roles.end(), principal.role) == route->roles.end()) {
      respond(HttpResponse::Error(
          403, "role '" + std::string(RoleName(principal.role)) + "' may not call this route"));
      return;
    }
  }

  try {
    route->handler(request, principal, respond);
  } catch (const std::exception& e) {
    spdlog::error("handler {} {} threw: {}", route->method, route->path, e.what());
    respond(HttpResponse::Error(500, "internal error"));
  }
}

}  // namespace warden
