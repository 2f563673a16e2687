#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http.h"
#include "store/store.h"

namespace warden {

class KeyRing;

// Who made a request: the API key that authenticated it.
struct Principal {
  std::string key_id;
  std::string key_name;
  Role role = Role::kViewer;
};

using Handler = std::function<void(const HttpRequest&, const Principal&, Responder)>;

// A route declares its method, path pattern ("/api/v1/events/{id}"), the roles allowed to call
// it (empty = public, no key needed), a one-line summary and, for the OpenAPI document, `doc`:
// a JSON object with the rest of the OpenAPI operation (parameters, requestBody, responses);
// empty means "no parameters, a JSON object answer".
struct Route {
  std::string method;
  std::string path;
  std::vector<Role> roles;
  std::string summary;
  Handler handler;
  std::string doc;
};

// Router maps requests to routes, authenticates `x-api-key` against the KeyRing and checks the
// route's roles: 401 without a valid key, 403 with a key whose role is not allowed, 404/405 for
// unknown paths/methods. Routes are added before serving starts; Dispatch is thread-safe.
class Router {
 public:
  explicit Router(KeyRing* keys) : keys_(keys) {}

  void Add(Route route);
  // Answers requests no route matches (the dashboard's static files). Returns false to let the
  // router answer 404/405 itself. Set before serving starts.
  void SetFallback(std::function<bool(const HttpRequest&, HttpResponse*)> fallback) {
    fallback_ = std::move(fallback);
  }
  // Answers through `respond` exactly once. Handler exceptions become 500.
  void Dispatch(HttpRequest request, Responder respond) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // True when `pattern` matches `path`; fills `params` from "{name}" segments. With `encoded`,
  // `path` is as received and each segment is percent-decoded after splitting, so an id holding
  // an encoded '/' stays one segment.
  static bool Match(const std::string& pattern, std::string_view path, bool encoded,
                    std::map<std::string, std::string>* params);

  KeyRing* keys_;
  std::vector<Route> routes_;
  std::function<bool(const HttpRequest&, HttpResponse*)> fallback_;
};

// The usual role sets.
inline const std::vector<Role> kAnyReader = {Role::kViewer, Role::kAnalyst, Role::kAdmin};
inline const std::vector<Role> kWriters = {Role::kAnalyst, Role::kAdmin};
inline const std::vector<Role> kAdminOnly = {Role::kAdmin};
inline const std::vector<Role> kIngesters = {Role::kSensor, Role::kAdmin};
inline const std::vector<Role> kAnyReaderOrSensor = {Role::kViewer, Role::kAnalyst, Role::kAdmin,
                                                     Role::kSensor};

}  // namespace warden
