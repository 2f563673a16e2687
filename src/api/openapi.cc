#include "api/openapi.h"

#include <boost/json.hpp>

#include "api/router.h"
#include "common/strings.h"

namespace warden {

namespace json = boost::json;

namespace {

json::object Components() {
  return json::parse(R"({
    "securitySchemes": {
      "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
          "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
              "code": {"type": "string"},
              "message": {"type": "string"},
              "field": {"type": "string"}
            }
          }
        }
      }
    },
    "responses": {
      "BadRequest": {"description": "Invalid input; `field` names it",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthenticated": {"description": "No or unknown API key",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "The key's role may not call this route",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  })")
      .as_object();
}

std::string OperationId(const Route& r) {
  std::string id = AsciiLowered(r.method);
  bool upper = true;
  for (char c : r.path) {
    if (IsAsciiAlnum(static_cast<unsigned char>(c))) {
      id.push_back(upper ? AsciiUpper(static_cast<unsigned char>(c)) : c);
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

}  // namespace

std::string BuildOpenApi(const Router& router, const std::string& version) {
  json::object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", "Warden API"},
                 {"version", version},
                 {"description",
                  "Warden's HTTP API: Akto-compatible threat routes under /api and Warden's own "
                  "API under /api/v1. Authenticate with the x-api-key header."}};
  doc["components"] = Components();
  json::object paths;
  for (const Route& r : router.routes()) {
    json::object op;
    if (!r.doc.empty()) {
      boost::system::error_code ec;
      json::value frag = json::parse(r.doc, ec);
      if (!ec && frag.is_object()) op = std::move(frag.as_object());
    }
    op["summary"] = r.summary;
    op["operationId"] = OperationId(r);
    json::array roles;
    for (Role role : r.roles) roles.push_back(json::string(RoleName(role)));
    op["x-roles"] = std::move(roles);
    if (!r.roles.empty()) {
      op["security"] = json::array{json::object{{"apiKey", json::array{}}}};
    }
    if (!op.contains("responses")) {
      op["responses"] = {{"200", {{"description", "OK"}}}};
    }
    auto& responses = op["responses"].as_object();
    if (!r.roles.empty()) {
      responses["401"] = {{"$ref", "#/components/responses/Unauthenticated"}};
      responses["403"] = {{"$ref", "#/components/responses/Forbidden"}};
    }
    if (!responses.contains("400") && (r.method == "POST" || r.method == "PUT" ||
                                       r.method == "PATCH" || r.path.find('{') != std::string::npos)) {
      responses["400"] = {{"$ref", "#/components/responses/BadRequest"}};
    }
    // Path parameters are declared from the pattern.
    json::array params;
    if (const auto* existing = op.if_contains("parameters"); existing && existing->is_array()) {
      params = existing->as_array();
    }
    for (std::string_view seg : Split(r.path, '/')) {
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
      }
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    std::string method = AsciiLowered(r.method);
    auto it = paths.find(r.path);
    if (it == paths.end()) {
      paths[r.path] = json::object{{method, std::move(op)}};
    } else {
      it->value().as_object()[method] = std::move(op);
    }
  }
  doc["paths"] = std::move(paths);
  return json::serialize(doc);
}

}  // namespace warden
