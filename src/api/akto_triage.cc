// Akto's routes that look into one event's samples and change state: event status and ticket
// links, actor block / unblock (and Warden's other actor statuses).
#include <set>

#include "api/akto_internal.h"
#include "common/strings.h"

namespace warden::akto {

namespace json = boost::json;

namespace {

std::string By(const Principal& p) { return p.key_name.empty() ? p.key_id : p.key_name; }

// The request time recorded in a stored sample (its "time" field, text or number), else 0.
std::int64_t SampleTime(const std::string& payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return 0;
  const json::value* t = v.as_object().if_contains("time");
  if (t == nullptr) return 0;
  if (t->is_int64()) return t->as_int64();
  if (t->is_string()) return ParseInt64(std::string_view(t->as_string())).value_or(0);
  return 0;
}

// fetchAggregateMaliciousRequests: the samples behind one event. The event is found by its
// sample (refId; an event id is accepted too) narrowed to filterId and actor when given; when
// none matches and eventType is AGGREGATED, the newest aggregated event of actor + filterId.
void HandleAggregateRequests(const AktoRoutesDeps& deps, const HttpRequest& req,
                             const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  std::string ref_id = args.String("refId").value_or("");
  std::string event_type = args.String("eventType").value_or("");
  std::string actor = args.String("actor").value_or("");
  std::string filter_id = args.String("filterId").value_or("");
  if (!CheckArgs(args, respond)) return;
  if (ref_id == "null") ref_id.clear();
  if (actor == "null") actor.clear();
  if (filter_id == "null") filter_id.clear();
  std::optional<EventType> type;
  if (!event_type.empty() && event_type != "null") {
    type = ParseEventType(event_type);
    if (!type) {
      respond(HttpResponse::Error(400, "eventType: use SINGLE or AGGREGATED", "eventType"));
      return;
    }
  }

  std::optional<Event> chosen;
  if (!ref_id.empty()) {
    auto events = deps.store->ListEventsByRef(ref_id);
    if (!events.ok()) {
      respond(ErrorResponse(events.status()));
      return;
    }
    for (auto& e : *events) {
      if ((filter_id.empty() || e.filter_id == filter_id) && (actor.empty() || e.actor == actor)) {
        chosen = std::move(e);
        break;
      }
    }
  }
  if (!chosen && type == EventType::kAggregated && !actor.empty() && !filter_id.empty()) {
    EventQuery q;
    q.filter.actors = {actor};
    q.filter.filter_ids = {filter_id};
    q.filter.event_type = EventType::kAggregated;
    q.limit = 1;
    auto page = deps.store->ListEvents(q);
    if (!page.ok()) {
      respond(ErrorResponse(page.status()));
      return;
    }
    if (!page->events.empty()) chosen = std::move(page->events.front());
  }

  json::array samples;
  if (chosen) {
    auto stored = deps.store->ListEventSamples(chosen->id);
    if (!stored.ok()) {
      respond(ErrorResponse(stored.status()));
      return;
    }
    for (const auto& s : *stored) {
      std::int64_t ts = SampleTime(s.payload);
      samples.push_back(json::object{{"orig", Str(s.payload)},
                                     {"ts", ts > 0 ? ts : s.created_at},
                                     {"metadata", Str(chosen->metadata)},
                                     {"refId", Str(s.ref_id)}});
    }
  }
  json::object o;
  o["maliciousPayloadsResponses"] = std::move(samples);
  o["refId"] = Str(ref_id);
  o["eventType"] =
      chosen ? json::value(EventTypeName(chosen->event_type)) : json::value(Str(event_type));
  o["actor"] = Str(actor);
  o["filterId"] = Str(filter_id);
  o["eventId"] = chosen ? json::value(Str(chosen->id)) : json::value(nullptr);
  respond(JsonResponse(o));
}

bool FilterIsEmpty(const EventFilter& f) {
  return f.ids.empty() && f.actors.empty() && f.ips.empty() && f.urls.empty() && f.hosts.empty() &&
         f.methods.empty() && f.filter_ids.empty() && f.sub_categories.empty() &&
         f.collection_ids.empty() && f.types.empty() && f.statuses.empty() &&
         f.severities.empty() && !f.event_type && !f.successful_exploit && !f.start_ts &&
         !f.end_ts && f.search_text.empty();
}

// updateMaliciousEventStatus: eventId / eventIds / filter, then status and/or jiraTicketUrl.
void HandleUpdateEventStatus(const AktoRoutesDeps& deps, const HttpRequest& req,
                             const Principal& who, const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  EventTriage t;
  if (auto id = args.String("eventId"); id && !id->empty() && *id != "null") {
    t.ids.push_back(*id);
  }
  for (auto& id : args.Strings("eventIds")) t.ids.push_back(std::move(id));
  std::string status = args.String("status").value_or("");
  t.ticket_url = args.String("jiraTicketUrl");
  std::string scope = args.String("ignoreScope").value_or("");
  t.reason = args.String("reason").value_or("");
  if (!CheckArgs(args, respond)) return;

  if (const json::value* f = body->if_contains("filter"); f != nullptr && !f->is_null()) {
    if (!f->is_object()) {
      respond(HttpResponse::Error(400, "filter: must be an object", "filter"));
      return;
    }
    EventFilter filter;
    Status st = ReadEventFilter(f->as_object(), "filter.", &filter);
    if (!st.ok()) {
      respond(ErrorResponse(st));
      return;
    }
    // An empty filter would change every event; ask for at least one condition.
    if (FilterIsEmpty(filter)) {
      respond(HttpResponse::Error(
          400, "filter: give at least one condition (urls, latestAttack, a time range, ...)",
          "filter"));
      return;
    }
    t.filter = std::move(filter);
  }
  if (t.ids.empty() && !t.filter) {
    respond(HttpResponse::Error(400, "give eventId, eventIds or filter", "eventId"));
    return;
  }
  if (!status.empty() && status != "null") {
    t.status = ParseEventStatus(status);
    if (!t.status) {
      respond(HttpResponse::Error(
          400, "status: use ACTIVE, UNDER_REVIEW, IGNORED or TRAINING, not '" + status + "'",
          "status"));
      return;
    }
  }
  if (t.ticket_url && *t.ticket_url == "null") t.ticket_url.reset();
  if (!t.status && !t.ticket_url) {
    respond(HttpResponse::Error(400, "give status and/or jiraTicketUrl", "status"));
    return;
  }
  if (scope == "actor") {
    t.suppress_actor_only = true;
  } else if (!scope.empty() && scope != "endpoint" && scope != "null") {
    respond(
        HttpResponse::Error(400, "ignoreScope: use endpoint (default) or actor", "ignoreScope"));
    return;
  }
  t.by = By(who);

  auto result = deps.store->TriageEvents(t);
  if (!result.ok()) {
    respond(ErrorResponse(result.status()));
    return;
  }
  json::array rules;
  for (const auto& s : result->suppressions) {
    rules.push_back(json::object{{"id", Str(s.id)},
                                 {"filterId", Str(s.filter_id)},
                                 {"endpoint", Str(s.endpoint_template)},
                                 {"host", Str(s.host)},
                                 {"actor", Str(s.actor)},
                                 {"expiresAt", s.expires_at}});
  }
  json::object o;
  o["success"] = true;
  o["message"] = std::to_string(result->updated) +
                 (result->updated == 1 ? " event updated" : " events updated");
  o["updatedCount"] = result->updated;
  if (t.status) o["status"] = EventStatusName(*t.status);
  if (t.ticket_url) o["jiraTicketUrl"] = Str(*t.ticket_url);
  // A status change makes (IGNORED) or removes (any other status) ignore rules.
  if (t.status && deps.suppressions_changed) deps.suppressions_changed();
  json::object detail;
  if (t.status) detail["status"] = EventStatusName(*t.status);
  if (t.ticket_url) detail["jiraTicketUrl"] = Str(*t.ticket_url);
  detail["updated"] = result->updated;
  detail["suppressions"] = rules.size();
  std::string target;
  for (const auto& i : t.ids) target += (target.empty() ? "" : ",") + i;
  if (t.filter) target += target.empty() ? "filter" : " filter";
  RecordAudit(deps, who, t.ids.size() == 1 && !t.filter ? "event.update" : "events.status", target,
              std::move(detail));
  o["suppressions"] = std::move(rules);
  respond(JsonResponse(o));
}

// Both actor routes: the ids, the status, optional durationSeconds and comment.
void HandleActorStatus(const AktoRoutesDeps& deps, const HttpRequest& req, const Principal& who,
                       bool bulk, const Responder& respond) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  ActorStatusChange change;
  const char* id_field = bulk ? "actorIps" : "actorIp";
  if (bulk) {
    change.actor_ids = args.Strings("actorIps");
    if (change.actor_ids.empty()) {
      change.actor_ids = args.Strings("actorIds");
      if (!change.actor_ids.empty()) id_field = "actorIds";
    }
  } else {
    std::string id = args.String("actorIp").value_or("");
    if (id.empty() || id == "null") {
      id = args.String("actorId").value_or("");
      if (!id.empty()) id_field = "actorId";
    }
    if (!id.empty() && id != "null") change.actor_ids.push_back(id);
  }
  std::string status = args.String("status").value_or("");
  change.duration_seconds = args.Int("durationSeconds", 0, 10LL * 365 * 86400).value_or(0);
  change.comment = args.String("comment").value_or("");
  if (!CheckArgs(args, respond)) return;
  if (change.actor_ids.empty()) {
    respond(HttpResponse::Error(
        400, bulk ? "give actorIps (or actorIds)" : "give actorIp (or actorId)", id_field));
    return;
  }
  auto parsed = ParseActorStatus(status);
  if (!parsed) {
    respond(HttpResponse::Error(400,
                                "status: use BLOCKED / UNBLOCKED or ACTIVE, RESOLVED, ALLOW, "
                                "SNOOZE, SUSPEND, DENY, not '" +
                                    status + "'",
                                "status"));
    return;
  }
  change.status = *parsed;
  change.by = By(who);
  auto changed = deps.store->SetActorStatus(change);
  if (!changed.ok()) {
    const Status& st = changed.status();
    if (st.code() == StatusCode::kInvalidArgument && st.field() == "duration") {
      std::string message = st.message();
      if (message.rfind("duration:", 0) == 0) message = "durationSeconds:" + message.substr(9);
      respond(HttpResponse::Error(400, message, "durationSeconds"));
    } else if (st.code() == StatusCode::kNotFound) {
      respond(HttpResponse::Error(404, st.message(), id_field));
    } else {
      respond(ErrorResponse(st));
    }
    return;
  }
  {
    json::object detail;
    detail["status"] = ActorStatusName(change.status);
    if (change.duration_seconds > 0) detail["duration"] = change.duration_seconds;
    if (!change.comment.empty()) detail["comment"] = Str(change.comment);
    detail["updated"] = *changed;
    std::string target;
    for (const auto& i : change.actor_ids) target += (target.empty() ? "" : ",") + i;
    RecordAudit(deps, who, bulk ? "actors.status" : "actor.status", target, std::move(detail));
  }
  json::object o;
  o["success"] = true;
  o["message"] = std::to_string(*changed) + (*changed == 1 ? " actor " : " actors ") + "set to " +
                 std::string(ActorStatusName(change.status));
  o["updatedCount"] = *changed;
  o["status"] = ActorStatusName(change.status);
  if (bulk) {
    o["actorIps"] = StrArray(change.actor_ids);
  } else {
    o["actorIp"] = Str(change.actor_ids.front());
    auto actor = deps.store->GetActor(change.actor_ids.front());
    if (actor.ok()) o["statusExpiresAt"] = actor->actor.status_expires_at;
  }
  respond(JsonResponse(o));
}

}  // namespace

void AddAktoTriageRoutes(Router* router, const AktoRoutesDeps& deps) {
  router->Add({"POST", "/api/fetchAggregateMaliciousRequests", kAnyReader,
               "The stored samples behind a threat event",
               [deps](const HttpRequest& req, const Principal&, Responder respond) {
                 HandleAggregateRequests(deps, req, respond);
               }});
  router->Add({"POST", "/api/updateMaliciousEventStatus", kWriters,
               "Set the status and/or ticket link of threat events",
               [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                 HandleUpdateEventStatus(deps, req, who, respond);
               }});
  // Akto's UI calls the Cloudflare-named variants; they do the same here (no WAF list sync).
  for (const char* path :
       {"/api/modifyThreatActorStatus", "/api/modifyThreatActorStatusCloudflare"}) {
    router->Add({"POST", path, kWriters, "Block, unblock or set the status of a threat actor",
                 [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                   HandleActorStatus(deps, req, who, /*bulk=*/false, respond);
                 }});
  }
  for (const char* path :
       {"/api/bulkModifyThreatActorStatus", "/api/bulkModifyThreatActorStatusCloudflare"}) {
    router->Add({"POST", path, kWriters, "Block, unblock or set the status of threat actors",
                 [deps](const HttpRequest& req, const Principal& who, Responder respond) {
                   HandleActorStatus(deps, req, who, /*bulk=*/true, respond);
                 }});
  }
}

}  // namespace warden::akto
