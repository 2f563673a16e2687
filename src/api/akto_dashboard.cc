// Akto's dashboard routes: activity timeline, counts by severity / category / day / country, and
// the distinct values behind the filter pickers. Each reads the common dashboard filter
// (startTs, endTs, latestAttack, status) and answers from one or two Store queries.
#include <functional>

#include "api/akto_internal.h"
#include "common/strings.h"

namespace warden::akto {

namespace json = boost::json;

namespace {

// Distinct values per filter list (Akto caps urls at 1000; the other lists follow).
constexpr std::int64_t kFilterValues = 1000;

using DashboardFn = std::function<Result<json::object>(Store&, const DashboardQuery&)>;

// Parses the body and the dashboard filter, runs `fn` and answers with its object.
void Serve(const AktoRoutesDeps& deps, const HttpRequest& req, const Responder& respond,
           const DashboardFn& fn) {
  auto body = BodyOrRespond(req, respond);
  if (!body) return;
  JsonArgs args(*body);
  Status enum_error;
  DashboardQuery q = ReadDashboardQuery(args, &enum_error);
  if (!CheckArgs(args, respond)) return;
  if (!enum_error.ok()) {
    respond(ErrorResponse(enum_error));
    return;
  }
  auto out = fn(*deps.store, q);
  if (!out.ok()) {
    respond(ErrorResponse(out.status()));
    return;
  }
  respond(JsonResponse(*out));
}

Result<json::object> ActivityTimeline(Store& store, const DashboardQuery& q) {
  auto days = store.ActivityTimeline(q);
  if (!days.ok()) return days.status();
  json::array timeline;
  for (const auto& d : *days) {
    json::array subs;
    for (const auto& k : d.sub_categories) {
      subs.push_back(json::object{{"subCategory", Str(k.key)}, {"activityCount", k.count}});
    }
    timeline.push_back(json::object{{"ts", d.day}, {"subCategoryWiseData", std::move(subs)}});
  }
  json::object o;
  o["threatActivityTimeline"] = std::move(timeline);
  o["startTs"] = q.start_ts.value_or(0);
  o["endTs"] = q.end_ts.value_or(0);
  return o;
}

// Akto answers severities in the shape of category counts: the severity under `subCategory`,
// `category` empty. Kept as is so that Akto clients read it.
Result<json::object> CountBySeverity(Store& store, const DashboardQuery& q) {
  auto counts = store.CountEventsBySeverity(q);
  if (!counts.ok()) return counts.status();
  json::array out;
  for (const auto& k : *counts) {
    out.push_back(json::object{{"subCategory", Str(k.key)}, {"count", k.count}, {"category", ""}});
  }
  return json::object{{"categoryCounts", std::move(out)}};
}

Result<json::object> CategoryCount(Store& store, const DashboardQuery& q) {
  auto counts = store.CountEventsByCategory(q);
  if (!counts.ok()) return counts.status();
  json::array out;
  for (const auto& c : *counts) {
    out.push_back(json::object{
        {"category", Str(c.category)}, {"subCategory", Str(c.sub_category)}, {"count", c.count}});
  }
  return json::object{{"categoryCounts", std::move(out)}};
}

std::int64_t StatusCount(const EventTotals& t, EventStatus s, bool actors) {
  for (const auto& k : t.by_status) {
    if (k.key == EventStatusName(s)) return actors ? k.actors : k.count;
  }
  return 0;
}

Result<json::object> DailyActors(Store& store, const DashboardQuery& q) {
  auto days = store.DailyActorCounts(q);
  if (!days.ok()) return days.status();
  auto totals = store.CountEventTotals(q);
  if (!totals.ok()) return totals.status();
  json::array counts;
  for (const auto& d : *days) {
    counts.push_back(
        json::object{{"ts", d.day}, {"totalActors", d.total}, {"criticalActors", d.critical}});
  }
  json::object o;
  o["actorsCounts"] = std::move(counts);
  o["totalAnalysed"] = totals->events;
  o["totalAttacks"] = totals->successful_exploits;
  o["criticalActorsCount"] = totals->critical_actors;
  o["totalActive"] = StatusCount(*totals, EventStatus::kActive, false);
  o["totalIgnored"] = StatusCount(*totals, EventStatus::kIgnored, false);
  o["totalUnderReview"] = StatusCount(*totals, EventStatus::kUnderReview, false);
  o["totalTraining"] = StatusCount(*totals, EventStatus::kTraining, false);
  o["activeActorsCount"] = StatusCount(*totals, EventStatus::kActive, true);
  o["totalActors"] = totals->actors;
  return o;
}

Result<json::object> ActorsPerCountry(Store& store, const DashboardQuery& q) {
  auto counts = store.ActorsPerCountry(q);
  if (!counts.ok()) return counts.status();
  json::array out;
  for (const auto& k : *counts) {
    out.push_back(json::object{{"code", Str(k.key)}, {"count", k.count}});
  }
  return json::object{{"countries", std::move(out)}};
}

Result<json::object> ThreatTableFilters(Store& store, DashboardQuery q) {
  q.limit = kFilterValues;
  auto v = store.ListEventFilterValues(q, FilterValueLists{});
  if (!v.ok()) return v.status();
  json::object o;
  o["ips"] = StrArray(v->ips);
  o["urls"] = StrArray(v->urls);
  o["subCategory"] = StrArray(v->filter_ids);  // Akto's name; the values are policy ids
  o["hosts"] = StrArray(v->hosts);
  o["actors"] = StrArray(v->actors);
  return o;
}

Result<json::object> ActorFilters(Store& store, DashboardQuery q) {
  q.limit = kFilterValues;
  auto v = store.ListEventFilterValues(q, FilterValueLists{.countries = true});
  if (!v.ok()) return v.status();
  json::object o;
  o["latestAttack"] = StrArray(v->filter_ids);
  o["country"] = StrArray(v->countries);
  o["actorId"] = StrArray(v->actors);
  o["host"] = StrArray(v->hosts);
  return o;
}

void Add(Router* router, const AktoRoutesDeps& deps, const char* name, const char* summary,
         Result<json::object> (*fn)(Store&, const DashboardQuery&)) {
  router->Add({"POST", std::string("/api/") + name, kAnyReader, summary,
               [deps, fn](const HttpRequest& req, const Principal&, Responder respond) {
                 Serve(deps, req, respond, fn);
               }});
}

}  // namespace

void AddAktoDashboardRoutes(Router* router, const AktoRoutesDeps& deps) {
  Add(router, deps, "getThreatActivityTimeline", "Threat events per UTC day and sub-category",
      ActivityTimeline);
  Add(router, deps, "fetchCountBySeverity", "Threat events per severity", CountBySeverity);
  Add(router, deps, "fetchThreatCategoryCount", "Threat events per category and sub-category",
      CategoryCount);
  Add(router, deps, "getDailyThreatActorsCount", "Threat actors per day, with event totals",
      DailyActors);
  Add(router, deps, "getActorsCountPerCounty", "Threat actors per country", ActorsPerCountry);
  Add(router, deps, "fetchFiltersThreatTable", "Values for the threat event filters",
      [](Store& s, const DashboardQuery& q) { return ThreatTableFilters(s, q); });
  Add(router, deps, "fetchFiltersForThreatActors", "Values for the threat actor filters",
      [](Store& s, const DashboardQuery& q) { return ActorFilters(s, q); });
}

}  // namespace warden::akto
