// /api/v1/keys, /api/v1/settings and /api/v1/audit: API keys (listed without secrets, created
// with the secret shown once, revoked), the settings the dashboard uses (validated on write) and
// the audit log of changes made through the API.
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "api/json_args.h"
#include "api/keyring.h"
#include "api/query_args.h"
#include "api/router.h"
#include "api/v1_common.h"
#include "api/v1_routes.h"
#include "common/strings.h"
#include "store/store.h"

namespace warden {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxKeyName = 100;
constexpr std::size_t kMaxSettingText = 200;
// What GET answers for settings never set; a PUT of the same value changes nothing.
constexpr std::int64_t kDefaultRetentionDays = 90;
constexpr char kDefaultIssueType[] = "Task";

json::object KeyJson(const ApiKey& k) {
  json::object o;
  o["id"] = JsonText(k.id);
  o["name"] = JsonText(k.name);
  o["role"] = RoleName(k.role);
  o["createdAt"] = k.created_at;
  o["lastUsedAt"] = k.last_used_at > 0 ? json::value(k.last_used_at) : json::value(nullptr);
  o["revoked"] = k.revoked;
  return o;
}

void HandleListKeys(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  PageRequest page = ReadPage(args);
  bool revoked = args.Bool("revoked").value_or(true);
  if (RespondIfError(args.status(), respond)) return;
  auto keys = deps.store->ListApiKeys();
  if (RespondIfError(keys.status(), respond)) return;
  // Newest first; the secret's hash never leaves the store.
  std::vector<ApiKey> sorted = std::move(keys).value();
  std::stable_sort(sorted.begin(), sorted.end(), [](const ApiKey& a, const ApiKey& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
  });
  json::array all;
  for (const ApiKey& k : sorted) {
    if (revoked || !k.revoked) all.push_back(KeyJson(k));
  }
  respond(JsonResponse(SlicePageJson(all, page)));
}

void HandleCreateKey(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                     const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::string name = std::string(TrimSpace(args.String("name").value_or("")));
  std::optional<std::string> role_name = args.String("role");
  if (RespondIfError(args.status(), respond)) return;
  if (name.empty()) {
    respond(HttpResponse::Error(400, "name: required", "name"));
    return;
  }
  if (name.size() > kMaxKeyName || SanitizeUtf8(name) != name) {
    respond(HttpResponse::Error(400, "name: at most 100 bytes of UTF-8", "name"));
    return;
  }
  std::optional<Role> role = role_name ? ParseRole(AsciiLowered(*role_name)) : std::nullopt;
  if (!role) {
    respond(HttpResponse::Error(400, "role: must be admin, analyst, viewer or sensor", "role"));
    return;
  }
  auto made = deps.keys->Create(name, *role);
  if (RespondIfError(made.status(), respond)) return;
  json::object detail;
  detail["name"] = JsonText(name);
  detail["role"] = RoleName(*role);
  RecordAudit(deps, who, "key.create", made->key.id, std::move(detail));
  json::object o = KeyJson(made->key);
  o["key"] = made->secret;  // shown this once; only its SHA-256 is kept
  respond(JsonResponse(o, 201));
}

void HandleRevokeKey(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                     const Responder& respond) {
  const std::string& id = req.path_params.at("id");
  auto keys = deps.store->ListApiKeys();
  if (RespondIfError(keys.status(), respond)) return;
  const ApiKey* target = nullptr;
  int active_admins = 0;
  for (const ApiKey& k : *keys) {
    if (k.id == id) target = &k;
    if (k.role == Role::kAdmin && !k.revoked) ++active_admins;
  }
  if (target == nullptr) {
    respond(HttpResponse::Error(404, "no such key: " + id, "id"));
    return;
  }
  if (target->revoked) {
    respond(HttpResponse::Error(409, "key " + id + " is already revoked", "id"));
    return;
  }
  if (target->role == Role::kAdmin && active_admins <= 1) {
    respond(HttpResponse::Error(409, "this is the last admin key; create another admin key first",
                                "id"));
    return;
  }
  if (RespondIfError(deps.keys->Revoke(id), respond)) return;
  json::object detail;
  detail["name"] = JsonText(target->name);
  detail["role"] = RoleName(target->role);
  RecordAudit(deps, who, "key.revoke", id, std::move(detail));
  json::object o = KeyJson(*target);
  o["revoked"] = true;
  respond(JsonResponse(o));
}

// ---- Settings ----
// Stored as flat keys ("jira.baseUrl"); answered as the nested object of docs/api-v1.md.

json::object SettingsJson(const std::map<std::string, std::string>& s) {
  auto get = [&s](const char* key) {
    auto it = s.find(key);
    return it == s.end() ? std::string() : it->second;
  };
  json::object jira;
  jira["baseUrl"] = JsonText(get("jira.baseUrl"));
  jira["project"] = JsonText(get("jira.project"));
  jira["issueType"] =
      JsonText(get("jira.issueType").empty() ? kDefaultIssueType : get("jira.issueType"));
  jira["configured"] = !get("jira.baseUrl").empty() && !get("jira.project").empty();
  json::object o;
  o["jira"] = std::move(jira);
  std::int64_t days = kDefaultRetentionDays;
  if (auto r = get("retentionDays"); !r.empty()) {
    std::int64_t parsed = 0;
    auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), parsed);
    if (ec == std::errc() && end == r.data() + r.size() && parsed > 0) days = parsed;
  }
  o["retentionDays"] = days;
  return o;
}

// A text setting `key` of `o`, stored as `field` ("jira.baseUrl"); absent keys change nothing.
Status ReadText(const json::object& o, const char* key, const std::string& field,
                std::map<std::string, std::string>* out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_string()) return Status::InvalidArgument(field + ": must be a string", field);
  std::string s(TrimSpace(std::string_view(v->as_string())));
  if (s.size() > kMaxSettingText || SanitizeUtf8(s) != s) {
    return Status::InvalidArgument(field + ": at most 200 bytes of UTF-8", field);
  }
  (*out)[field] = s;
  return Status::Ok();
}

// The settings a PUT body changes, validated; InvalidArgument names the first bad field.
Result<std::map<std::string, std::string>> ReadSettingsUpdate(const json::object& body) {
  std::map<std::string, std::string> out;
  for (const auto& kv : body) {
    std::string key(kv.key());
    if (key != "jira" && key != "retentionDays") {
      return Status::InvalidArgument(key + ": not a setting (jira, retentionDays)", key);
    }
  }
  if (const json::value* j = body.if_contains("jira")) {
    if (!j->is_object()) return Status::InvalidArgument("jira: must be an object", "jira");
    const json::object& jira = j->as_object();
    for (const auto& kv : jira) {
      std::string key(kv.key());
      if (key == "configured") continue;  // derived; sent back by clients that PUT what they GET
      if (key != "baseUrl" && key != "project" && key != "issueType") {
        return Status::InvalidArgument("jira." + key + ": not a setting", "jira." + key);
      }
    }
    WARDEN_RETURN_IF_ERROR(ReadText(jira, "baseUrl", "jira.baseUrl", &out));
    WARDEN_RETURN_IF_ERROR(ReadText(jira, "project", "jira.project", &out));
    WARDEN_RETURN_IF_ERROR(ReadText(jira, "issueType", "jira.issueType", &out));
    if (auto it = out.find("jira.baseUrl"); it != out.end() && !it->second.empty()) {
      WARDEN_RETURN_IF_ERROR(CheckHttpUrl(it->second, "jira.baseUrl"));
    }
    if (auto it = out.find("jira.project"); it != out.end()) {
      for (char c : it->second) {
        if (!IsAsciiAlnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
          return Status::InvalidArgument("jira.project: letters, digits, _ and - only",
                                         "jira.project");
        }
      }
    }
  }
  if (body.contains("retentionDays")) {
    JsonArgs args(body);
    auto days = args.Int("retentionDays", 1, 3650);
    if (!args.ok() || !days) {
      return Status::InvalidArgument("retentionDays: a whole number of days from 1 to 3650",
                                     "retentionDays");
    }
    out["retentionDays"] = std::to_string(*days);
  }
  return out;
}

void HandleGetSettings(const V1Deps& deps, const Responder& respond) {
  auto s = deps.store->GetSettings();
  if (RespondIfError(s.status(), respond)) return;
  respond(JsonResponse(SettingsJson(*s)));
}

void HandlePutSettings(const V1Deps& deps, const HttpRequest& req, const Principal& who,
                       const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  auto update = ReadSettingsUpdate(*body);
  if (RespondIfError(update.status(), respond)) return;
  auto before = deps.store->GetSettings();
  if (RespondIfError(before.status(), respond)) return;
  json::object changes;
  for (const auto& [k, v] : *update) {
    auto old = before->find(k);
    std::string was = old != before->end()    ? old->second
                      : k == "jira.issueType" ? std::string(kDefaultIssueType)
                      : k == "retentionDays"  ? std::to_string(kDefaultRetentionDays)
                                              : std::string();
    if (was != v) changes[k] = {{"from", JsonText(was)}, {"to", JsonText(v)}};
  }
  if (!changes.empty()) {
    if (RespondIfError(deps.store->PutSettings(*update), respond)) return;
    std::string target;
    for (const auto& kv : changes) target += (target.empty() ? "" : ",") + std::string(kv.key());
    RecordAudit(deps, who, "settings.update", target, std::move(changes));
  }
  HandleGetSettings(deps, respond);
}

// ---- Audit log ----

void HandleAudit(const V1Deps& deps, const HttpRequest& req, const Responder& respond) {
  QueryArgs args(req);
  PageRequest page = ReadPage(args);
  AuditQuery q;
  q.actions = args.List("action");
  TimeRange range = ReadTimeRange(args);
  if (RespondIfError(args.status(), respond)) return;
  q.start_ts = range.from;
  q.end_ts = range.to;
  q.skip = page.offset;
  q.limit = page.limit;
  auto result = deps.store->ListAudit(q);
  if (RespondIfError(result.status(), respond)) return;
  json::array items;
  for (const AuditEntry& e : result->entries) {
    json::object o;
    o["id"] = e.id;
    o["ts"] = e.at;
    o["by"] = JsonText(e.by);
    o["action"] = JsonText(e.action);
    o["target"] = JsonText(e.target);
    boost::system::error_code ec;
    json::value detail = e.detail.empty() ? json::value(json::object()) : json::parse(e.detail, ec);
    o["detail"] = ec || !detail.is_object() ? json::value(json::object()) : std::move(detail);
    items.push_back(std::move(o));
  }
  respond(JsonResponse(PageJson(std::move(items), result->total, page)));
}

constexpr char kListKeysDoc[] = R"json({"parameters": [
  {"name": "revoked", "in": "query", "schema": {"type": "boolean", "default": true}, "description": "include revoked keys"},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [{id, name, role, createdAt, lastUsedAt|null, revoked}], total, nextCursor}, newest first; never the secret"}}})json";

constexpr char kCreateKeyDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "role"], "properties": {
    "name": {"type": "string", "maxLength": 100},
    "role": {"type": "string", "enum": ["admin", "analyst", "viewer", "sensor"]}}}}}},
  "responses": {"201": {"description": "{id, name, role, createdAt, lastUsedAt, revoked, key}: `key` is the secret, shown this once"}}})json";

constexpr char kRevokeKeyDoc[] = R"json({"responses": {
  "200": {"description": "The key, revoked"},
  "404": {"description": "No such key"},
  "409": {"description": "Already revoked, or the last admin key"}}})json";

constexpr char kSettingsDoc[] =
    R"json({"responses": {"200": {"description": "{jira: {baseUrl, project, issueType, configured}, retentionDays}"}}})json";

constexpr char kPutSettingsDoc[] = R"json({
  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
    "jira": {"type": "object", "properties": {
      "baseUrl": {"type": "string", "description": "http(s) URL or empty"},
      "project": {"type": "string", "description": "project key: letters, digits, _ and -"},
      "issueType": {"type": "string"}}},
    "retentionDays": {"type": "integer", "minimum": 1, "maximum": 3650}},
    "additionalProperties": false}}}},
  "responses": {"200": {"description": "The settings after the change"}}})json";

constexpr char kAuditDoc[] = R"json({"parameters": [
  {"name": "action", "in": "query", "schema": {"type": "string"}, "description": "actions, comma-separated (event.update, events.status, event.ignore, actor.status, actors.status, ignore_rule.create, ignore_rule.delete, policy.create, policy.update, policy.delete, policy.enable, policy.disable, policy.reload, key.create, key.revoke, settings.update)"},
  {"name": "from", "in": "query", "schema": {"type": "integer"}},
  {"name": "to", "in": "query", "schema": {"type": "integer"}},
  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
  {"name": "cursor", "in": "query", "schema": {"type": "string"}}
],
"responses": {"200": {"description": "{items: [{id, ts, by, action, target, detail}], total, nextCursor}, newest first"}}})json";

}  // namespace

void AddV1AdminRoutes(Router* router, const V1Deps& deps) {
  if (deps.keys != nullptr) {
    router->Add({"GET", "/api/v1/keys", kAdminOnly, "List API keys (never their secrets)",
                 [deps](const HttpRequest& req, const Principal&, Responder respond) {
                   HandleListKeys(deps, req, respond);
                 },
                 kListKeysDoc});
    router->Add({"POST", "/api/v1/keys", kAdminOnly, "Create an API key; the secret is shown once",
                 [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                   HandleCreateKey(deps, req, who, respond);
                 },
                 kCreateKeyDoc});
    router->Add({"DELETE", "/api/v1/keys/{id}", kAdminOnly, "Revoke an API key",
                 [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                   HandleRevokeKey(deps, req, who, respond);
                 },
                 kRevokeKeyDoc});
  }
  router->Add({"GET", "/api/v1/settings", kAdminOnly, "The settings",
               [deps](const HttpRequest&, const Principal&, Responder respond) {
                 HandleGetSettings(deps, respond);
               },
               kSettingsDoc});
  router->Add({"PUT", "/api/v1/settings", kAdminOnly, "Change some settings",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandlePutSettings(deps, req, who, respond);
               },
               kPutSettingsDoc});
  router->Add({"GET", "/api/v1/audit", kAdminOnly, "The audit log of changes, newest first",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleAudit(deps, req, respond);
               },
               kAuditDoc});
}

}  // namespace warden
