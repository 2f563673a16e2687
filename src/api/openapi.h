#pragma once

#include <string>

namespace warden {

class Router;

// Builds the OpenAPI 3.1 document of every route on `router`: path, method, summary, the roles
// allowed (`x-roles`, plus the API-key security requirement unless the route is public) and the
// route's own `doc` fragment. Generated from the route table, so the document and the server
// cannot disagree about which routes exist. Returns JSON text.
std::string BuildOpenApi(const Router& router, const std::string& version);

}  // namespace warden
