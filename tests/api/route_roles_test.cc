// Every registered route, called with every role and without a key: 401 without a key, 403 for
// a role the route does not declare, anything else for the roles it does. The route table is
// the one serve builds (every Akto and /api/v1 group), so a new route is covered as soon as it
// is registered.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "api/api_fixture.h"

namespace warden {
namespace {

// Routes anyone may call without a key.
const std::set<std::string>& PublicRoutes() {
  static const std::set<std::string> routes = {"GET /api/v1/openapi.json"};
  return routes;
}

// A concrete path for a pattern: every "{name}" becomes `value`.
std::string Concrete(const std::string& pattern, const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      std::size_t end = pattern.find('}', i);
      out += value;
      i = end + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

class RouteRolesTest : public ApiFixture {};

TEST_F(RouteRolesTest, EveryRouteWithEveryRole) {
  Seed();
  const std::vector<Route> routes = router_->routes();  // copy: calls may not add routes, but
                                                        // keep the walk independent of them
  ASSERT_GT(routes.size(), 60u);
  struct Caller {
    const char* name;
    std::optional<Role> role;
  };
  const Caller callers[] = {{"admin", Role::kAdmin},
                            {"analyst", Role::kAnalyst},
                            {"viewer", Role::kViewer},
                            {"sensor", Role::kSensor},
                            {"no key", std::nullopt}};
  int allowed_calls = 0;
  for (const Route& r : routes) {
    std::string name = r.method + " " + r.path;
    SCOPED_TRACE(name);
    bool is_public = PublicRoutes().count(name) > 0;
    EXPECT_EQ(r.roles.empty(), is_public) << "every route but the public ones declares its roles";
    EXPECT_FALSE(r.summary.empty());
    if (!is_public) {
      EXPECT_NE(std::find(r.roles.begin(), r.roles.end(), Role::kAdmin), r.roles.end())
          << "admin may call everything";
    }
    // Write routes with a made-up id so that nothing seeded is changed by the walk; "{}" bodies
    // are refused by validation or act on nothing.
    std::string path = Concrete(r.path, "no-such-id");
    for (const Caller& c : callers) {
      ApiReply reply = Call(r.method, path, c.role, "{}");
      bool declared = c.role && std::find(r.roles.begin(), r.roles.end(), *c.role) != r.roles.end();
      std::string who = c.name;
      if (is_public) {
        EXPECT_NE(reply.status, 401) << who << ": " << reply.body;
        EXPECT_NE(reply.status, 403) << who << ": " << reply.body;
      } else if (!c.role) {
        EXPECT_EQ(reply.status, 401) << who << ": " << reply.body;
      } else if (!declared) {
        EXPECT_EQ(reply.status, 403) << who << ": " << reply.body;
      } else {
        EXPECT_NE(reply.status, 401) << who << ": " << reply.body;
        EXPECT_NE(reply.status, 403) << who << ": " << reply.body;
        EXPECT_LT(reply.status, 500) << who << ": " << reply.body;
        ++allowed_calls;
      }
      if (reply.status >= 400 && reply.content_type.starts_with("application/json")) {
        // Every error has the one shape.
        const auto* err =
            reply.json.is_object() ? reply.json.as_object().if_contains("error") : nullptr;
        ASSERT_NE(err, nullptr) << who << ": " << reply.body;
        ASSERT_TRUE(err->is_object()) << reply.body;
        EXPECT_TRUE(err->as_object().contains("code")) << reply.body;
        EXPECT_TRUE(err->as_object().contains("message")) << reply.body;
      }
    }
  }
  EXPECT_GT(allowed_calls, static_cast<int>(routes.size()));
}

// The role sets the routes of docs/api-v1.md and docs/api.md name.
TEST_F(RouteRolesTest, RolesFollowTheWayRoutesAreUsed) {
  struct Case {
    const char* route;
    std::vector<Role> want;
  };
  const std::vector<Role> readers = kAnyReader;
  const Case cases[] = {
      {"POST /api/ingestData", kIngesters},
      {"POST /api/fetchSuspectSampleData", readers},
      {"POST /api/updateMaliciousEventStatus", kWriters},
      {"POST /api/modifyThreatActorStatus", kWriters},
      {"POST /api/saveFilterYamlTemplate", kAdminOnly},
      {"POST /api/deleteFilterYamlTemplate", kAdminOnly},
      {"GET /api/v1/me", kAnyReaderOrSensor},
      {"GET /api/v1/events", readers},
      {"PATCH /api/v1/events/{id}", kWriters},
      {"POST /api/v1/actors/{id}/status", kWriters},
      {"POST /api/v1/policies", kAdminOnly},
      {"POST /api/v1/policies/test", kWriters},
      {"GET /api/v1/keys", kAdminOnly},
      {"POST /api/v1/keys", kAdminOnly},
      {"DELETE /api/v1/keys/{id}", kAdminOnly},
      {"GET /api/v1/settings", kAdminOnly},
      {"PUT /api/v1/settings", kAdminOnly},
      {"GET /api/v1/audit", kAdminOnly},
  };
  for (const Case& c : cases) {
    const Route* found = nullptr;
    for (const Route& r : router_->routes()) {
      if (r.method + " " + r.path == c.route) found = &r;
    }
    ASSERT_NE(found, nullptr) << c.route << " is not registered";
    std::set<Role> got(found->roles.begin(), found->roles.end());
    std::set<Role> want(c.want.begin(), c.want.end());
    EXPECT_EQ(got, want) << c.route;
  }
}

}  // namespace
}  // namespace warden
