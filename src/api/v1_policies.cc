// /api/v1/policies: list, read, create, replace, delete, enable/disable, test, reload.
#include <regex>

#include "api/json_args.h"
#include "api/policy_service.h"
#include "api/router.h"
#include "api/v1_common.h"
#include "api/v1_routes.h"
#include "common/log.h"
#include "common/strings.h"
#include "detect/policy/test_vector.h"

namespace warden {

namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::string(SanitizeUtf8(s)));
  return a;
}

json::object Summary(const PolicyRecord& r) {
  const Policy& p = r.policy;
  json::object o;
  o["id"] = SanitizeUtf8(p.id);
  o["name"] = SanitizeUtf8(p.info.name);
  o["severity"] = SeverityName(p.info.severity);
  o["category"] = SanitizeUtf8(p.info.category.name);
  o["categoryDisplayName"] = SanitizeUtf8(p.info.category.display_name);
  o["subCategory"] = SanitizeUtf8(p.info.category.sub_category);
  o["mode"] = p.mode == PolicyMode::kMonitor ? "monitor" : "enforce";
  o["enabled"] = r.enabled;
  o["builtin"] = r.builtin;
  o["source"] = SanitizeUtf8(r.source);
  o["tests"] = p.tests.size();
  o["aggregated"] = !p.aggregation_rules.empty();
  o["owaspApi2023"] = Strings(p.info.category.owasp_api_2023);
  o["owasp2021"] = Strings(p.info.category.owasp_2021);
  o["cwe"] = Strings(p.info.category.cwe.empty() ? p.info.cwe : p.info.category.cwe);
  o["tags"] = Strings(p.info.tags);
  return o;
}

json::object Detail(const PolicyRecord& r) {
  json::object o = Summary(r);
  const PolicyInfo& i = r.policy.info;
  o["yaml"] = SanitizeUtf8(r.yaml);
  o["info"] = {
      {"description", SanitizeUtf8(i.description)}, {"details", SanitizeUtf8(i.details)},
      {"impact", SanitizeUtf8(i.impact)},           {"remediation", SanitizeUtf8(i.remediation)},
      {"references", Strings(i.references)},        {"cve", Strings(i.cve)}};
  return o;
}

// Who created or last changed a policy, for the template views; a failure only loses the author.
void RecordPolicyAuthor(const V1Deps& deps, const std::string& id, const std::string& by) {
  if (deps.store == nullptr) return;
  if (Status st = deps.store->RecordPolicyChange(id, by); !st.ok()) {
    spdlog::warn("policy {} saved, its author not recorded: {}", id, st.ToString());
  }
}

// A policy error: 400 with the line (and the whole message) when the loader named one.
HttpResponse PolicyError(const Status& st) {
  if (st.code() != StatusCode::kInvalidArgument) return ErrorResponse(st);
  json::object err;
  err["code"] = "invalid_argument";
  err["message"] = SanitizeUtf8(st.message());
  err["field"] = st.field().empty() ? "yaml" : SanitizeUtf8(st.field());
  static const std::regex kLine("^[^:\\n]*:([0-9]+):");
  std::smatch m;
  if (std::regex_search(st.message(), m, kLine)) {
    err["line"] = std::stoll(m[1].str());
    err["column"] = 1;
  }
  json::object root;
  root["error"] = std::move(err);
  return JsonResponse(root, 400);
}

Result<std::string> YamlField(const HttpRequest& req) {
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) return body.status();
  JsonArgs args(*body);
  auto yaml = args.String("yaml");
  if (!args.ok()) return args.status();
  if (!yaml || TrimSpace(*yaml).empty()) return Status::InvalidArgument("yaml: required", "yaml");
  return *yaml;
}

// {"method","url","headers":{…}|[[n,v]],"body"} → a test vector's request part.
Status ReadRequest(const json::object& o, PolicyTestVector* v) {
  JsonArgs args(o);
  v->method = args.String("method").value_or("GET");
  v->url = args.String("url").value_or("/");
  v->request_body = args.String("body").value_or("");
  if (!args.ok()) return args.status().WithContext("request");
  if (const auto* h = o.if_contains("headers")) {
    if (h->is_object()) {
      for (const auto& kv : h->as_object()) {
        if (!kv.value().is_string()) {
          return Status::InvalidArgument("request.headers: values must be strings",
                                         "request.headers");
        }
        v->request_headers.push_back({std::string(kv.key()), std::string(kv.value().as_string())});
      }
    } else if (!h->is_null()) {
      return Status::InvalidArgument("request.headers: must be an object", "request.headers");
    }
  }
  return Status::Ok();
}

Status ReadResponse(const json::object& o, PolicyTestVector* v) {
  JsonArgs args(o);
  v->has_response = true;
  v->response_status = static_cast<int>(args.Int("status", 0, 999).value_or(200));
  v->response_body = args.String("body").value_or("");
  if (!args.ok()) return args.status().WithContext("response");
  if (const auto* h = o.if_contains("headers"); h && h->is_object()) {
    for (const auto& kv : h->as_object()) {
      if (kv.value().is_string()) {
        v->response_headers.push_back({std::string(kv.key()), std::string(kv.value().as_string())});
      }
    }
  }
  return Status::Ok();
}

void HandleTest(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) {
    respond(ErrorResponse(body.status()));
    return;
  }
  JsonArgs args(*body);
  std::string yaml = args.String("yaml").value_or("");
  std::string id = args.String("policyId").value_or("");
  if (!args.ok()) {
    respond(ErrorResponse(args.status()));
    return;
  }
  const auto* request = body->if_contains("request");
  if (request == nullptr || !request->is_object()) {
    respond(HttpResponse::Error(400, "request: required object", "request"));
    return;
  }
  PolicyTestVector v;
  Status st = ReadRequest(request->as_object(), &v);
  if (st.ok()) {
    if (const auto* resp = body->if_contains("response"); resp && resp->is_object()) {
      st = ReadResponse(resp->as_object(), &v);
    }
  }
  if (!st.ok()) {
    respond(ErrorResponse(st));
    return;
  }
  auto findings = deps.policies->Test(yaml, id, ExchangeFromTestVector(v));
  if (!findings.ok()) {
    respond(PolicyError(findings.status()));
    return;
  }
  json::array out;
  for (const auto& f : *findings) {
    out.push_back({{"policyId", SanitizeUtf8(f.policy_id)},
                   {"name", SanitizeUtf8(f.policy_name)},
                   {"severity", SeverityName(f.severity)},
                   {"location", SanitizeUtf8(f.location)},
                   {"matched", SanitizeUtf8(f.matched)},
                   {"successfulExploit", f.successful_exploit},
                   {"exploitEvidence", SanitizeUtf8(f.exploit_evidence)},
                   {"monitorOnly", f.monitor_only}});
  }
  json::object o;
  o["matched"] = !out.empty();
  o["findings"] = std::move(out);
  respond(JsonResponse(o));
}

constexpr char kPolicyBodyDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {
    "type": "object", "required": ["yaml"], "properties": {"yaml": {"type": "string"}}}}}},
  "responses": {"200": {"description": "The policy"},
                "400": {"description": "YAML or validation error with its line"},
                "409": {"description": "Id already exists"}}
})json";

}  // namespace

void AddV1PolicyRoutes(Router* router, const V1Deps& deps) {
  PolicyService* svc = deps.policies;
  router->Add({"GET", "/api/v1/policies", kAnyReader, "List policies",
               [svc](const HttpRequest&, const Principal&, Responder respond) {
                 json::array items;
                 for (const auto& r : svc->List()) items.push_back(Summary(r));
                 json::object o;
                 o["total"] = items.size();
                 o["items"] = std::move(items);
                 respond(JsonResponse(o));
               }});
  router->Add({"GET", "/api/v1/policies/{id}", kAnyReader, "One policy with its YAML",
               [svc](const HttpRequest& req, const Principal&, Responder respond) {
                 auto r = svc->Get(req.path_params.at("id"));
                 respond(r.ok() ? JsonResponse(Detail(*r)) : ErrorResponse(r.status()));
               }});
  router->Add(
      {"POST", "/api/v1/policies", kAdminOnly, "Create a user policy from YAML",
       [deps, svc](const HttpRequest& req, const Principal& who, Responder respond) {
         auto yaml = YamlField(req);
         if (!yaml.ok()) {
           respond(ErrorResponse(yaml.status()));
           return;
         }
         auto r = svc->Put("", *yaml, By(who));
         if (!r.ok()) {
           respond(PolicyError(r.status()));
           return;
         }
         RecordPolicyAuthor(deps, r->policy.id, By(who));
         RecordAudit(deps, who, "policy.create", r->policy.id, {{"source", JsonText(r->source)}});
         respond(JsonResponse(Detail(*r), 201));
       },
       kPolicyBodyDoc});
  router->Add(
      {"PUT", "/api/v1/policies/{id}", kAdminOnly,
       "Replace a policy (a built-in id creates a user override)",
       [deps, svc](const HttpRequest& req, const Principal& who, Responder respond) {
         auto yaml = YamlField(req);
         if (!yaml.ok()) {
           respond(ErrorResponse(yaml.status()));
           return;
         }
         auto r = svc->Put(req.path_params.at("id"), *yaml, By(who));
         if (!r.ok()) {
           respond(PolicyError(r.status()));
           return;
         }
         RecordPolicyAuthor(deps, r->policy.id, By(who));
         RecordAudit(deps, who, "policy.update", r->policy.id, {{"source", JsonText(r->source)}});
         respond(JsonResponse(Detail(*r)));
       },
       kPolicyBodyDoc});
  router->Add({"DELETE", "/api/v1/policies/{id}", kAdminOnly, "Delete a user policy",
               [deps, svc](const HttpRequest& req, const Principal& who, Responder respond) {
                 const std::string& id = req.path_params.at("id");
                 Status st = svc->Delete(id, By(who));
                 if (!st.ok()) {
                   // A built-in policy cannot be deleted: 409 (disable it instead).
                   respond(ErrorResponse(st.code() == StatusCode::kFailedPrecondition
                                             ? Status::AlreadyExists(st.message())
                                             : st));
                   return;
                 }
                 if (Status forgot = deps.store != nullptr ? deps.store->ForgetPolicyAuthorship(id)
                                                           : Status::Ok();
                     !forgot.ok()) {
                   spdlog::warn("policy {} deleted, its authorship kept: {}", id,
                                forgot.ToString());
                 }
                 RecordAudit(deps, who, "policy.delete", id);
                 respond(JsonResponse(json::object{{"deleted", true}}));
               },
               R"json({"responses": {"200": {"description": "{deleted: true}"},
                   "404": {"description": "No such policy"},
                   "409": {"description": "A built-in policy: disable it instead"}}})json"});
  for (bool enable : {true, false}) {
    router->Add(
        {"POST", std::string("/api/v1/policies/{id}/") + (enable ? "enable" : "disable"),
         kAdminOnly, enable ? "Enable a policy" : "Disable a policy",
         [deps, svc, enable](const HttpRequest& req, const Principal& who, Responder respond) {
           const std::string& id = req.path_params.at("id");
           Status st = svc->SetEnabled(id, enable, By(who));
           if (!st.ok()) {
             respond(ErrorResponse(st));
             return;
           }
           RecordAudit(deps, who, enable ? "policy.enable" : "policy.disable", id);
           auto r = svc->Get(id);
           respond(r.ok() ? JsonResponse(Summary(*r)) : ErrorResponse(r.status()));
         }});
  }
  router->Add(
      {"POST", "/api/v1/policies/test", kWriters, "Run a policy (YAML, an id, or all) on a request",
       [deps](const HttpRequest& req, const Principal&, Responder respond) {
         HandleTest(deps, req, respond);
       },
       R"json({"requestBody": {"required": true, "content": {"application/json": {"schema": {
                   "type": "object", "required": ["request"], "properties": {
                     "yaml": {"type": "string"}, "policyId": {"type": "string"},
                     "request": {"type": "object"}, "response": {"type": "object"}}}}}}})json"});
  router->Add({"POST", "/api/v1/policies/reload", kAdminOnly, "Reload every policy source",
               [deps, svc](const HttpRequest&, const Principal& who, Responder respond) {
                 auto n = svc->Reload();
                 if (!n.ok()) {
                   respond(PolicyError(n.status()));
                   return;
                 }
                 RecordAudit(deps, who, "policy.reload", "*",
                             {{"policies", static_cast<std::int64_t>(*n)}});
                 respond(JsonResponse(json::object{{"policies", *n}}));
               }});
}

}  // namespace warden
