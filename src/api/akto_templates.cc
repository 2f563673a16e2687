// Akto's threat policy ("filter YAML template") routes and the remediation text of a policy,
// backed by the PolicyService; the store keeps who created and changed each template.
#include <map>
#include <regex>

#include "api/akto_internal.h"
#include "api/policy_service.h"
#include "common/log.h"
#include "common/strings.h"
#include "detect/policy/loader.h"

namespace warden::akto {

namespace json = boost::json;

namespace {

constexpr char kBuiltinAuthor[] = "WARDEN";
constexpr char kUnknownAuthor[] = "USER";

std::string By(const Principal& p) { return p.key_name.empty() ? p.key_id : p.key_name; }

json::object TemplateJson(const PolicyRecord& r, const PolicyAuthorship* who) {
  const Policy& p = r.policy;
  const PolicyInfo& i = p.info;
  json::object category;
  category["name"] = Str(i.category.name);
  category["displayName"] = Str(i.category.display_name);
  category["shortName"] = Str(i.category.name);
  json::object info;
  info["name"] = Str(i.name);
  info["description"] = Str(i.description);
  info["details"] = Str(i.details);
  info["impact"] = Str(i.impact);
  info["remediation"] = Str(i.remediation);
  info["category"] = std::move(category);
  info["subCategory"] = Str(i.category.sub_category);
  info["severity"] = SeverityName(i.severity);
  info["tags"] = StrArray(i.tags);
  info["references"] = StrArray(i.references);
  info["cwe"] = StrArray(i.cwe.empty() ? i.category.cwe : i.cwe);
  info["cve"] = StrArray(i.cve);
  info["owaspApi2023"] = StrArray(i.category.owasp_api_2023);
  info["owasp2021"] = StrArray(i.category.owasp_2021);
  json::object o;
  o["id"] = Str(p.id);
  o["content"] = Str(r.yaml);
  o["info"] = std::move(info);
  if (r.builtin) {
    o["author"] = kBuiltinAuthor;
  } else if (who != nullptr && !who->created_by.empty()) {
    o["author"] = Str(who->created_by);
  } else {
    o["author"] = kUnknownAuthor;
  }
  o["createdAt"] = who != nullptr ? who->created_at : 0;
  o["updatedAt"] = who != nullptr ? who->updated_at : 0;
  o["updatedBy"] = who != nullptr ? json::value(Str(who->updated_by)) : json::value(nullptr);
  o["enabled"] = r.enabled;
  o["builtin"] = r.builtin;
  o["source"] = Str(r.source);
  o["mode"] = p.mode == PolicyMode::kMonitor ? "monitor" : "enforce";
  o["aggregated"] = !p.aggregation_rules.empty();
  return o;
}

// A YAML / validation error: 400 naming `content` and, when the loader gave one, the line.
HttpResponse YamlError(const Status& st) {
  json::object err;
  err["code"] = "invalid_argument";
  err["message"] = SanitizeUtf8(st.message());
  err["field"] = "content";
  static const std::regex kLine("^[^:\\n]*:([0-9]+):");
  std::smatch m;
  if (std::regex_search(st.message(), m, kLine)) err["line"] = std::stoll(m[1].str());
  return JsonResponse(json::object{{"error", std::move(err)}}, 400);
}

bool NeedPolicies(const AktoRoutesDeps& deps, const Responder& respond) {
  if (deps.policies != nullptr) return true;
  respond(HttpResponse::Error(503, "this server has no policy service"));
  return false;
}

void HandleFetchTemplates(const AktoRoutesDeps& deps, const HttpRequest& req,
                          const Responder& respond) {
  if (!NeedPolicies(deps, respond)) return;
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  auto authors = deps.store->ListPolicyAuthorship();
  if (!authors.ok()) {
    respond(ErrorResponse(authors.status()));
    return;
  }
  std::map<std::string, PolicyAuthorship> by_id;
  for (auto& a : *authors) by_id[a.policy_id] = std::move(a);
  json::array templates;
  for (const auto& r : deps.policies->List()) {
    auto it = by_id.find(r.policy.id);
    templates.push_back(TemplateJson(r, it == by_id.end() ? nullptr : &it->second));
  }
  json::object o;
  o["templates"] = std::move(templates);
  respond(JsonResponse(o));
}

void HandleSaveTemplate(const AktoRoutesDeps& deps, const HttpRequest& req, const Principal& who,
                        const Responder& respond) {
  if (!NeedPolicies(deps, respond)) return;
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::string content = args.String("content").value_or("");
  if (!CheckArgs(args, respond)) return;
  if (TrimSpace(content).empty()) {
    respond(HttpResponse::Error(400, "content: give the template's YAML", "content"));
    return;
  }
  // Parse first to learn the id (the save is an upsert by id) and to name the line on errors.
  auto parsed = ParsePolicies(content, "content");
  if (!parsed.ok()) {
    respond(YamlError(parsed.status()));
    return;
  }
  if (parsed->size() != 1) {
    respond(YamlError(Status::InvalidArgument(
        "content: expected exactly one policy document, got " + std::to_string(parsed->size()),
        "content")));
    return;
  }
  std::string id = parsed->front().id;
  auto saved = deps.policies->Put(id, content, By(who));
  if (!saved.ok()) {
    const Status& st = saved.status();
    if (st.code() == StatusCode::kInvalidArgument) {
      respond(YamlError(st));
    } else if (st.code() == StatusCode::kFailedPrecondition) {
      respond(HttpResponse::Error(409, st.message(), "content"));
    } else {
      respond(ErrorResponse(st));
    }
    return;
  }
  // The template is saved; a failure to record who saved it only loses the author.
  Status recorded = deps.store->RecordPolicyChange(id, By(who));
  std::optional<PolicyAuthorship> who_row;
  if (!recorded.ok()) {
    spdlog::warn("template {} saved, its author not recorded: {}", id, recorded.ToString());
  } else {
    auto authors = deps.store->ListPolicyAuthorship();
    if (authors.ok()) {
      for (auto& a : *authors) {
        if (a.policy_id == id) who_row = std::move(a);
      }
    }
  }
  RecordAudit(deps, who, "policy.update", id, {{"source", Str(saved->source)}, {"via", "akto"}});
  json::object o;
  o["success"] = true;
  o["message"] = "template " + id + " saved";
  o["template"] = TemplateJson(*saved, who_row ? &*who_row : nullptr);
  respond(JsonResponse(o));
}

void HandleDeleteTemplate(const AktoRoutesDeps& deps, const HttpRequest& req, const Principal& who,
                          const Responder& respond) {
  if (!NeedPolicies(deps, respond)) return;
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::string id = args.String("templateId").value_or("");
  if (!CheckArgs(args, respond)) return;
  if (id.empty() || id == "null") {
    respond(HttpResponse::Error(400, "templateId: give the template's id", "templateId"));
    return;
  }
  Status st = deps.policies->Delete(id, By(who));
  if (!st.ok()) {
    if (st.code() == StatusCode::kNotFound) {
      respond(HttpResponse::Error(404, st.message(), "templateId"));
    } else if (st.code() == StatusCode::kFailedPrecondition) {
      respond(HttpResponse::Error(409, st.message(), "templateId"));
    } else {
      respond(ErrorResponse(st));
    }
    return;
  }
  // A stale authorship row only matters if the id is created again: log, do not fail.
  if (Status forgot = deps.store->ForgetPolicyAuthorship(id); !forgot.ok()) {
    spdlog::warn("template {} deleted, its authorship kept: {}", id, forgot.ToString());
  }
  RecordAudit(deps, who, "policy.delete", id, {{"via", "akto"}});
  json::object o;
  o["success"] = true;
  o["message"] = "template " + id + " deleted";
  o["templateId"] = Str(id);
  respond(JsonResponse(o));
}

// The remediation panel's markdown: remediation first, then impact, details and references.
std::string RemediationMarkdown(const PolicyInfo& i) {
  std::string md;
  auto section = [&md](std::string_view title, std::string_view text) {
    if (TrimSpace(text).empty()) return;
    if (!md.empty()) md += "\n\n";
    md += "## ";
    md += title;
    md += "\n\n";
    md += TrimSpace(text);
  };
  section("Remediation", i.remediation);
  section("Impact", i.impact);
  section("Details", i.details);
  if (!i.references.empty()) {
    std::string refs;
    for (const auto& r : i.references) refs += "- " + r + "\n";
    section("References", refs);
  }
  return md;
}

void HandleRemediation(const AktoRoutesDeps& deps, const HttpRequest& req,
                       const Responder& respond) {
  if (!NeedPolicies(deps, respond)) return;
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::string id = args.String("testId").value_or("");
  if (!CheckArgs(args, respond)) return;
  if (id.empty() || id == "null") {
    respond(HttpResponse::Error(400, "testId: give the policy id (an event's filterId)", "testId"));
    return;
  }
  auto record = deps.policies->Get(id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      respond(HttpResponse::Error(404, record.status().message(), "testId"));
    } else {
      respond(ErrorResponse(record.status()));
    }
    return;
  }
  json::object o;
  o["remediation"] = Str(RemediationMarkdown(record->policy.info));
  o["testId"] = Str(id);
  respond(JsonResponse(o));
}

}  // namespace

void AddAktoTemplateRoutes(Router* router, const AktoRoutesDeps& deps) {
  router->Add({"POST", "/api/fetchFilterYamlTemplate", kAnyReader,
               "List threat policies as Akto YAML templates",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleFetchTemplates(deps, req, respond);
               }});
  router->Add({"POST", "/api/saveFilterYamlTemplate", kAdminOnly,
               "Create or replace a threat policy from YAML",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleSaveTemplate(deps, req, who, respond);
               }});
  router->Add({"POST", "/api/deleteFilterYamlTemplate", kAdminOnly, "Delete a user threat policy",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleDeleteTemplate(deps, req, who, respond);
               }});
  router->Add({"POST", "/api/fetchRemediationInfo", kAnyReader,
               "Remediation guidance of a threat policy (markdown)",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleRemediation(deps, req, respond);
               }});
}

}  // namespace warden::akto
