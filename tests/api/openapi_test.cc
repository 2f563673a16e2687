// /api/v1/openapi.json against the route table, and docs/api-v1.md against both: a route that is
// registered but missing from the document (or from the readable docs), or documented but not
// registered, fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "api/api_fixture.h"

namespace warden {
namespace {

namespace json = boost::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "METHOD /path" -> lowest role name, from the route tables of docs/api-v1.md. A first cell
// like "`POST /api/v1/policies/{id}/enable`, `/disable`" documents two routes.
std::map<std::string, std::string> DocumentedV1Routes() {
  std::map<std::string, std::string> out;
  std::istringstream in(ReadFile(std::string(WARDEN_SOURCE_DIR) + "/docs/api-v1.md"));
  std::string line;
  const std::regex row(R"(^\| (`[^|]*`) \| (\w+) \|)");
  const std::regex code("`([^`]*)`");
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    std::string cell = m[1];
    std::string role = m[2];
    std::string method;
    std::string first_path;
    for (std::sregex_iterator it(cell.begin(), cell.end(), code), end; it != end; ++it) {
      std::string item = (*it)[1];
      if (method.empty()) {
        auto space = item.find(' ');
        if (space == std::string::npos) continue;
        method = item.substr(0, space);
        first_path = item.substr(space + 1);
        out[method + " " + first_path] = role;
      } else if (item.starts_with("/")) {
        std::string sibling = first_path.substr(0, first_path.rfind('/')) + item;
        out[method + " " + sibling] = role;
      }
    }
  }
  return out;
}

std::string LowestRole(const std::vector<Role>& roles) {
  for (Role r : {Role::kViewer, Role::kAnalyst, Role::kAdmin}) {
    if (std::find(roles.begin(), roles.end(), r) != roles.end()) return std::string(RoleName(r));
  }
  return roles.empty() ? "public" : std::string(RoleName(roles.front()));
}

class OpenApiTest : public ApiFixture {};

TEST_F(OpenApiTest, DocumentListsExactlyTheRegisteredRoutes) {
  ApiReply r = Call("GET", "/api/v1/openapi.json", std::nullopt);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object& doc = r.obj();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string name = std::string(method) + " " + std::string(path);
      documented.insert(name);
      const json::object& o = op.as_object();
      EXPECT_TRUE(o.contains("summary")) << name;
      EXPECT_TRUE(o.contains("responses")) << name;
      EXPECT_TRUE(o.contains("x-roles")) << name;
    }
  }
  std::set<std::string> registered;
  for (const Route& route : router_->routes()) {
    std::string m = route.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string name = m + " " + route.path;
    EXPECT_TRUE(registered.insert(name).second) << name << " is registered twice";
    // A doc fragment that is not a JSON object would silently drop out of the document.
    if (!route.doc.empty()) {
      boost::system::error_code ec;
      json::value v = json::parse(route.doc, ec);
      EXPECT_FALSE(ec) << name << ": doc is not JSON: " << ec.message();
      EXPECT_TRUE(v.is_object()) << name << ": doc is not an object";
    }
  }
  for (const auto& name : registered) {
    EXPECT_TRUE(documented.count(name)) << name << " is registered but not in openapi.json";
  }
  for (const auto& name : documented) {
    EXPECT_TRUE(registered.count(name)) << name << " is in openapi.json but not registered";
  }
}

TEST_F(OpenApiTest, ReadableDocsMatchTheRouteTable) {
  std::map<std::string, std::string> docs = DocumentedV1Routes();
  ASSERT_GT(docs.size(), 40u) << "docs/api-v1.md tables not found";
  std::map<std::string, const Route*> v1;
  for (const Route& route : router_->routes()) {
    if (route.path.starts_with("/api/v1/")) v1[route.method + " " + route.path] = &route;
  }
  for (const auto& [name, role] : docs) {
    auto it = v1.find(name);
    if (it == v1.end()) {
      ADD_FAILURE() << name << " is in docs/api-v1.md but not registered";
      continue;
    }
    EXPECT_EQ(LowestRole(it->second->roles), role) << name << ": the docs name another role";
  }
  for (const auto& [name, route] : v1) {
    if (name == "GET /api/v1/me" || name == "GET /api/v1/openapi.json") continue;  // prose
    EXPECT_TRUE(docs.count(name)) << name << " is registered but not in docs/api-v1.md";
  }
}

TEST_F(OpenApiTest, AktoRoutesAreDocumentedInApiMd) {
  std::string md = ReadFile(std::string(WARDEN_SOURCE_DIR) + "/docs/api.md");
  for (const Route& route : router_->routes()) {
    if (route.path.starts_with("/api/v1/") || !route.path.starts_with("/api/")) continue;
    std::string name = route.path.substr(5);
    EXPECT_NE(md.find(name), std::string::npos) << route.path << " is not in docs/api.md";
  }
}

}  // namespace
}  // namespace warden
