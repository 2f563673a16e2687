#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/scoring.h"
#include "common/status.h"
#include "model/actor.h"
#include "model/event.h"

namespace warden {

// ---- What the pipeline writes -------------------------------------------------------------

// An API endpoint: (host, method, template) within a collection.
struct EndpointKey {
  std::int32_t collection_id = 0;
  std::string host;
  std::string method;
  std::string endpoint_template;

  bool operator==(const EndpointKey&) const = default;
};

// Traffic counted for one endpoint in one minute. Deltas add up.
struct EndpointRollup {
  EndpointKey endpoint;
  std::int64_t minute = 0;  // Unix seconds, a multiple of 60
  std::int64_t requests = 0;
  std::int64_t status_2xx = 0;
  std::int64_t status_3xx = 0;
  std::int64_t status_4xx = 0;
  std::int64_t status_5xx = 0;
  std::int64_t status_other = 0;  // 1xx and "no response"
  std::int64_t bytes_in = 0;      // request body bytes
  std::int64_t bytes_out = 0;     // response body bytes
};

// Calls of one actor to one endpoint in one minute (call statistics without raw traffic).
struct ActorCallRollup {
  EndpointKey endpoint;
  std::string actor;
  std::int64_t minute = 0;
  std::int64_t requests = 0;
};

// What an event (or plain traffic) tells us about an actor. Applied as an upsert: counts add,
// "latest" fields take the values with the newest `seen_at`, first_seen keeps the oldest.
// The IP is added to the actor's IPs (with `ip_info`) and the host to its hosts.
struct ActorTouch {
  std::string actor;
  ActorKind kind = ActorKind::kIp;
  std::string ip;
  std::string country;
  std::int64_t seen_at = 0;
  std::string endpoint;  // url of the latest event
  std::string method;
  std::string host;
  std::string filter_id;
  std::string sub_category;
  Severity severity = Severity::kLow;
  std::int64_t events = 0;  // events added by this touch
  IpInfo ip_info;           // enrichment of `ip` (its country, when set, wins over `country`)
  // An enforced (not monitor-only) detection: RESOLVED and MONITORED actors become ACTIVE, with a
  // status-log row by "system".
  bool enforced = false;
  // The status of an actor this touch creates (kMonitored for actors seen only through
  // monitor-mode policies). Ignored for existing actors.
  ActorStatus initial_status = ActorStatus::kActive;
};

// Plain traffic of an actor: its IP and host are recorded only when the actor already exists
// (so a denied user's new IPs are known, and blocked, without making every client an actor).
struct ActorSighting {
  std::string actor;
  std::string ip;
  std::string host;
  std::int64_t at = 0;
  IpInfo ip_info;
};

// A stored request/response sample, referenced by events (Event::ref_id, Event::sample_refs).
struct SampleRecord {
  std::string ref_id;
  std::string payload;
  std::int64_t created_at = 0;
};

// Findings an ignore hid.
struct SuppressionHit {
  std::string suppression_id;
  std::int64_t count = 0;
  std::int64_t last_at = 0;
};

// An aggregation window as persisted (behave::WindowSnapshot). Written only when `version` is
// newer than the stored one, so snapshots may arrive in any order.
struct WindowRow {
  std::string actor;
  std::string policy_id;
  std::string rule;
  std::string state;
  std::int64_t version = 0;
  std::int64_t updated_at = 0;
};

// One transaction's worth of writes. The writer thread merges many exchanges into one batch.
// Applied in this order: rollups, actor calls, samples, events, folds, actors, ledger,
// sightings, suppression hits, windows.
struct WriteBatch {
  std::vector<EndpointRollup> rollups;  // endpoints are created on first sight
  std::vector<ActorCallRollup> actor_calls;
  std::vector<SampleRecord> samples;  // first payload for a ref_id wins
  std::vector<Event> events;          // each with its sample in Event::payload (or in samples)
  std::vector<EventFold> folds;       // folds into events that do not exist are ignored
  std::vector<ActorTouch> actors;
  std::vector<ScoreLedgerRow> ledger;  // rows at or before the actor's last reset keep no score
  std::vector<ActorSighting> sightings;
  std::vector<SuppressionHit> suppression_hits;
  std::vector<WindowRow> windows;

  bool empty() const {
    return rollups.empty() && actor_calls.empty() && samples.empty() && events.empty() &&
           folds.empty() && actors.empty() && ledger.empty() && sightings.empty() &&
           suppression_hits.empty() && windows.empty();
  }
};

// ---- What the API reads -------------------------------------------------------------------

// Filters shared by event queries. Empty lists and unset optionals do not filter.
struct EventFilter {
  std::vector<std::string> ids;
  std::vector<std::string> actors;
  std::vector<std::string> ips;
  std::vector<std::string> urls;  // match the raw url or the endpoint template
  std::vector<std::string> hosts;
  std::vector<std::string> methods;
  std::vector<std::string> filter_ids;  // Akto `latestAttack`
  std::vector<std::string> sub_categories;
  std::vector<std::int32_t> collection_ids;
  std::vector<DetectionType> types;
  std::vector<EventStatus> statuses;
  std::vector<Severity> severities;
  std::optional<EventType> event_type;
  std::optional<bool> successful_exploit;  // false also matches "not recorded"
  std::optional<std::int64_t> start_ts;    // detected_at >= start_ts
  std::optional<std::int64_t> end_ts;      // detected_at <= end_ts
  std::string search_text;                 // substring of filter id, host or actor
};

enum class EventSortField { kDetectedAt, kSeverity };

// An event's place in the detected_at order: where a keyset page continues from.
struct EventSeekKey {
  std::int64_t detected_at = 0;
  std::string id;
};

struct EventQuery {
  EventFilter filter;
  EventSortField sort = EventSortField::kDetectedAt;
  bool descending = true;
  std::int64_t skip = 0;
  std::int64_t limit = 50;
  // Keyset paging (sort kDetectedAt only, else InvalidArgument naming "after"): only events
  // that come after this key in the query's order (detected_at, then id, both in the query's
  // direction). Each page costs the same however deep it is, and rows written meanwhile do not
  // shift later pages.
  std::optional<EventSeekKey> after;
  bool count_total = true;  // false leaves EventPage::total at 0 and skips the count query
};

struct EventPage {
  std::vector<Event> events;
  std::int64_t total = 0;  // matching events ignoring skip/limit
};

// A short summary of one of an actor's events (Akto `activity[]`).
struct ActorActivity {
  std::string url;
  std::string sub_category;
  std::string filter_id;
  std::int64_t detected_at = 0;
  Severity severity = Severity::kHigh;
  std::string method;
  std::string host;
};

enum class ActorSortField { kFirstSeen, kLastSeen, kScore, kEventCount };

struct ActorQuery {
  std::vector<std::string> actor_ids;
  std::vector<std::string> latest_attack;  // actor has an event of one of these filter ids
  std::vector<std::string> countries;
  std::vector<std::string> hosts;        // actor has an event on one of these hosts
  std::optional<std::int64_t> start_ts;  // last_seen >= start_ts
  std::optional<std::int64_t> end_ts;    // first_seen <= end_ts
  bool sort_descending = true;           // by discoveredAt (first_seen)
  std::int64_t skip = 0;
  std::int64_t limit = 50;
  int activity_limit = 10;  // newest events per actor to include
  // Filters and sorts of /api/v1/actors.
  std::vector<ActorStatus> statuses;       // the status in force now (expired SNOOZE = ACTIVE)
  std::vector<ThreatLevel> threat_levels;  // the level now
  std::string search_text;  // ASCII case-insensitive substring of id, latest IP, attack, endpoint
  ActorSortField sort = ActorSortField::kFirstSeen;  // direction: sort_descending; ties by id
};

struct ActorSummary {
  Actor actor;
  std::vector<ActorActivity> activity;  // newest first
  std::vector<std::string> hosts;       // hosts the actor called, newest last_seen first
  IpInfo latest_ip_info;                // what enrichment knew about the latest IP
};

struct ActorPage {
  std::vector<ActorSummary> actors;
  std::int64_t total = 0;
};

enum class ThreatApiSortField {
  kDiscoveredAt,
  kRequestsCount,
  kActorsCount,
  kThreatRequests,
  kTotalRequests,
  kLastSeen,
};

struct ThreatApiQuery {
  std::vector<std::string> latest_attack;  // filter ids
  std::vector<std::string> urls;           // raw url or template
  std::vector<std::string> methods;
  std::vector<std::string> hosts;
  std::optional<std::int64_t> start_ts;
  std::optional<std::int64_t> end_ts;
  ThreatApiSortField sort = ThreatApiSortField::kDiscoveredAt;
  bool descending = true;
  std::int64_t skip = 0;
  std::int64_t limit = 50;
  // Filters of /api/v1/endpoints/threats.
  std::vector<std::int32_t> collection_ids;
  std::string search_text;  // ASCII case-insensitive substring of the template or raw url
  std::vector<std::string> actor_countries;  // events of actors whose country is one of these
  std::vector<std::string> organizations;    // events from IPs of these organisations (exact)
};

// A count under a key (a rule, a category, a country, a level, ...).
struct KeyCount {
  std::string key;
  std::int64_t count = 0;   // events, unless the method says otherwise
  std::int64_t actors = 0;  // distinct actors, where the method says so
};

// An API endpoint that received threat events.
struct ThreatApi {
  std::string endpoint;  // the endpoint template
  std::string method;
  std::string host;
  std::int32_t collection_id = 0;
  std::int64_t discovered_at = 0;   // first event
  std::int64_t last_seen = 0;       // newest event
  std::int64_t actors_count = 0;    // distinct actors with events
  std::int64_t requests_count = 0;  // events (Akto semantics)
  std::int64_t total_requests = 0;  // all traffic to the endpoint, from rollups
  std::string last_filter_id;
  std::int64_t threat_requests = 0;  // detections: events plus the findings folded into them
  std::vector<KeyCount> rules;       // events per policy id, most first (count = events)
};

struct ThreatApiPage {
  std::vector<ThreatApi> apis;
  std::int64_t total = 0;
};

// An endpoint of the API inventory.
struct Endpoint {
  EndpointKey key;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  std::int64_t total_requests = 0;
};

// A page of the inventory: newest last_seen first, ties by id.
struct EndpointQuery {
  std::vector<std::string> hosts;
  std::string search_text;  // ASCII case-insensitive substring of the template or host
  std::int64_t skip = 0;
  std::int64_t limit = 50;
};

struct EndpointPage {
  std::vector<Endpoint> endpoints;
  std::int64_t total = 0;
};

// Calls to one endpoint over time, from the per-minute rollups: buckets of `bucket_seconds`
// (a multiple of 60) aligned to multiples of it, covering the minutes in [start_ts, end_ts].
struct CallSeriesQuery {
  std::int64_t start_ts = 0;
  std::int64_t end_ts = 0;
  std::int64_t bucket_seconds = 60;
};

struct CallPoint {
  std::int64_t ts = 0;  // start of the bucket
  std::int64_t requests = 0;
  std::int64_t errors = 0;  // 4xx and 5xx answers
};

// ---- Actor state ---------------------------------------------------------------------------

// One IP an actor used, with what enrichment knew when it was last seen.
struct ActorIp {
  std::string ip;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  IpInfo info;
};

struct ActorHost {
  std::string host;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
};

// An actor with everything the investigation views need.
struct ActorDetail {
  Actor actor;
  std::vector<ActorIp> ips;            // newest last_seen first
  std::vector<ActorHost> hosts;        // newest last_seen first
  std::vector<std::string> countries;  // of its IPs, sorted
};

// One row of the status log: who changed what, when and why.
struct ActorStatusLogEntry {
  std::string actor;
  std::int64_t at = 0;
  ActorStatus from = ActorStatus::kActive;
  ActorStatus to = ActorStatus::kActive;
  std::int64_t expires_at = 0;  // of `to`, for SNOOZE / SUSPEND
  std::string comment;
  std::string by;  // API key name or "system"
};

// A status change for one or many actors (bulk). SNOOZE and SUSPEND take 1 hour to 1 week;
// RESOLVED also resets the score.
struct ActorStatusChange {
  std::vector<std::string> actor_ids;
  ActorStatus status = ActorStatus::kActive;
  std::int64_t duration_seconds = 0;
  std::string comment;
  std::string by;  // "" = "system"
};

// Who a gateway asks about: an IP, an actor id, or both.
struct BlockQuery {
  std::string ip;
  std::string actor;
};

// The answer: blocked or not, and which actor's status decided.
struct BlockDecision {
  bool blocked = false;
  std::string actor;  // the deciding actor ("" = none)
  ActorStatus status = ActorStatus::kActive;
  std::int64_t until = 0;  // SUSPEND expiry; 0 = until changed (DENY) or not blocked
  std::string reason;      // "actor", "ip", "user actor using this ip", "allowed"
};

// ---- Event status and suppression ----------------------------------------------------------

// A status change for events chosen by id list and/or filter (both given: both must match).
// Setting IGNORED also creates a suppression rule per distinct (host, template, policy) of the
// events — narrowed to each event's actor with `suppress_actor_only` — so that new findings
// there make no events (they are counted on the rule). Setting any other status removes the
// rules that covered the events.
struct EventStatusChange {
  std::vector<std::string> ids;
  std::optional<EventFilter> filter;
  EventStatus status = EventStatus::kActive;
  std::string by;
  std::string reason;
  bool suppress = true;
  bool suppress_actor_only = false;
  std::int64_t suppress_until = 0;  // 0 = never expires
};

struct EventStatusResult {
  std::int64_t updated = 0;
  std::vector<Suppression> suppressions;  // created or extended
};

// Triage of events chosen by id list and/or filter (both given: both must match): a status
// change (as EventStatusChange, suppression rules included) and/or a ticket link, applied
// together in one transaction. At least one of `status` and `ticket_url` must be set.
struct EventTriage {
  std::vector<std::string> ids;
  std::optional<EventFilter> filter;
  std::optional<EventStatus> status;
  std::optional<std::string> ticket_url;  // "" clears the link
  std::string by;
  std::string reason;
  bool suppress = true;  // as EventStatusChange
  bool suppress_actor_only = false;
  std::int64_t suppress_until = 0;
};

// An event's ticket link (Akto `jiraTicketUrl`).
struct EventTicket {
  std::string event_id;
  std::string url;
};

// ---- Dashboards ----------------------------------------------------------------------------

// The common filter of dashboard queries: detection time range and policy ids.
struct DashboardQuery {
  std::optional<std::int64_t> start_ts;
  std::optional<std::int64_t> end_ts;
  std::vector<std::string> filter_ids;  // Akto `latestAttack`
  std::vector<EventStatus> statuses;
  std::int64_t limit = 10;  // top-N lists
};

enum class ThreatTypeScheme { kCategory, kSubCategory, kOwaspApi2023, kOwasp2021, kCwe };

// A policy with its reach.
struct ThreatRuleStat {
  std::string filter_id;
  std::int64_t events = 0;
  std::int64_t detections = 0;  // events plus folded findings
  std::int64_t apis = 0;        // distinct endpoints (host, method, template)
  std::int64_t actors = 0;
  std::int64_t last_seen = 0;
};

struct CategoryCount {
  std::string category;
  std::string sub_category;
  std::int64_t count = 0;
};

// One UTC day of the activity timeline.
struct TimelineDay {
  std::int64_t day = 0;  // Unix seconds of 00:00 UTC
  std::vector<KeyCount> sub_categories;
};

struct DailyActors {
  std::int64_t day = 0;
  std::int64_t total = 0;     // actors with events that day
  std::int64_t critical = 0;  // of them, actors with a CRITICAL event that day
};

// Distinct values of the events in a range, for filter pickers (Akto's fetchFilters*). Each
// list is sorted and holds at most DashboardQuery::limit values.
// Which optional lists ListEventFilterValues fills: the actors' countries cost a pass over the
// actors seen in the range.
struct FilterValueLists {
  bool countries = false;
};

struct EventFilterValues {
  std::vector<std::string> actors;
  std::vector<std::string> ips;
  std::vector<std::string> urls;  // raw urls
  std::vector<std::string> hosts;
  std::vector<std::string> filter_ids;
  std::vector<std::string> countries;  // of the actors ("" = unknown); empty unless asked for
};

// Totals of the events in a range.
struct EventTotals {
  std::int64_t events = 0;
  std::int64_t successful_exploits = 0;
  std::int64_t actors = 0;           // distinct actors with events
  std::int64_t critical_actors = 0;  // of them, actors with a CRITICAL event
  // Per event status, all four in the order ACTIVE, UNDER_REVIEW, IGNORED, TRAINING: events
  // (`count`) and distinct actors (`actors`).
  std::vector<KeyCount> by_status;
  // Events per severity, highest first (as CountEventsBySeverity), and per (category,
  // sub-category), most first (as CountEventsByCategory).
  std::vector<KeyCount> by_severity;
  std::vector<CategoryCount> by_category;
};

struct NewVsExistingActors {
  std::int64_t new_actors = 0;       // first seen inside the range
  std::int64_t existing_actors = 0;  // first seen before, active inside the range
};

// Calls to an endpoint in the last `seconds`, from the per-minute rollups.
struct IntervalCount {
  std::string interval;  // "15m", "30m", "1h", "3h", "6h", "12h", "1d", "7d"
  std::int64_t seconds = 0;
  std::int64_t calls = 0;
  std::int64_t actors = 0;  // distinct callers
};

// How many callers made between `min_calls` and `max_calls` calls (max 0 = no upper bound).
struct CallBucket {
  std::int64_t min_calls = 0;
  std::int64_t max_calls = 0;
  std::int64_t actors = 0;
};

// Events in one time bucket.
struct TimeCount {
  std::int64_t ts = 0;  // start of the bucket (Unix seconds, a multiple of the bucket size)
  std::int64_t events = 0;
  std::int64_t detections = 0;  // events plus the findings folded into them
};

// What one actor's events in a range add up to: the actor view's insight and distributions.
// Every list is most first (ties by key) and holds at most DashboardQuery::limit entries;
// KeyCount::count is events.
struct ActorEventBreakdown {
  std::int64_t events = 0;
  std::int64_t detections = 0;  // events plus folded findings
  std::int64_t successful_exploits = 0;
  std::int64_t first_at = 0;  // oldest event in the range
  std::int64_t last_at = 0;   // newest
  std::vector<KeyCount> hosts;
  std::vector<KeyCount> endpoints;  // "METHOD template"
  std::vector<KeyCount> policies;   // policy ids
  std::vector<KeyCount> categories;
  std::vector<KeyCount> sub_categories;
  std::vector<KeyCount> severities;    // "LOW".."CRITICAL"
  std::vector<KeyCount> countries;     // of the events' IPs ("" = unknown)
  std::vector<KeyCount> status_codes;  // response status of each event's sample ("" = none kept)
};

// What to delete. Ages in seconds before the store's clock; 0 keeps forever.
struct RetentionPolicy {
  std::int64_t events_seconds = 90 * 86400;         // events, their tags and sample links
  std::int64_t rollups_seconds = 30 * 86400;        // endpoint_rollups and actor_calls
  std::int64_t orphan_samples_seconds = 8 * 86400;  // samples no event refers to
  std::int64_t windows_seconds = 8 * 86400;         // window snapshots not updated since
  std::int64_t status_log_seconds = 0;
  std::int64_t expired_suppressions_seconds = 30 * 86400;  // after their expiry
};

struct RetentionResult {
  std::int64_t events = 0;
  std::int64_t rollups = 0;
  std::int64_t actor_calls = 0;
  std::int64_t samples = 0;
  std::int64_t windows = 0;
  std::int64_t status_log = 0;
  std::int64_t suppressions = 0;
};

// Who created and last changed a policy through the API, and when (store clock).
struct PolicyAuthorship {
  std::string policy_id;
  std::string created_by;
  std::int64_t created_at = 0;
  std::string updated_by;
  std::int64_t updated_at = 0;
};

// ---- API state: settings and the audit log ------------------------------------------------

// One change made through the API: when, who (the API key's name), what, on what.
struct AuditEntry {
  std::int64_t id = 0;  // assigned by the store, increasing
  std::int64_t at = 0;  // 0 = the store's clock
  std::string by;
  std::string action;  // "event.update", "key.revoke", ...
  std::string target;  // what changed: an id, ids, a filter
  std::string detail;  // JSON object text ("" = {})
};

// Audit entries newest first (at, then id), filtered by action and time.
struct AuditQuery {
  std::vector<std::string> actions;
  std::optional<std::int64_t> start_ts;
  std::optional<std::int64_t> end_ts;
  std::int64_t skip = 0;
  std::int64_t limit = 50;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  std::int64_t total = 0;
};

// ---- Keys ---------------------------------------------------------------------------------

enum class Role { kViewer = 1, kSensor = 2, kAnalyst = 3, kAdmin = 4 };
std::string_view RoleName(Role r);  // "viewer", "sensor", "analyst", "admin"
std::optional<Role> ParseRole(std::string_view s);

// An API key as stored: only the SHA-256 of the secret is kept.
struct ApiKey {
  std::string id;  // public identifier (not secret)
  std::string name;
  Role role = Role::kViewer;
  std::string secret_sha256;  // hex
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;
  bool revoked = false;
};

// ---- The interface ------------------------------------------------------------------------

// Store is Warden's persistent state. Implementations: SQLite (embedded default) and
// PostgreSQL. All methods are thread-safe; Write() calls are serialized by the implementation
// (the pipeline uses one writer thread). Methods never throw; failures come back as Status.
class Store {
 public:
  virtual ~Store() = default;

  // Applies every migration not yet applied. Idempotent.
  virtual Status Migrate() = 0;

  // Writes a batch in one transaction: all or nothing.
  virtual Status Write(const WriteBatch& batch) = 0;

  // Events matching the query, sorted and paged, with the total count.
  virtual Result<EventPage> ListEvents(const EventQuery& query) = 0;
  // One event by id; NotFound when absent.
  virtual Result<Event> GetEvent(const std::string& id) = 0;

  virtual Result<ActorPage> ListActors(const ActorQuery& query) = 0;
  virtual Result<ThreatApiPage> ListThreatApis(const ThreatApiQuery& query) = 0;
  virtual Result<std::vector<Endpoint>> ListEndpoints(std::int64_t limit) = 0;
  // A page of the endpoint inventory (see EndpointQuery). InvalidArgument for negative paging.
  virtual Result<EndpointPage> QueryEndpoints(const EndpointQuery& query) = 0;
  // One endpoint of the inventory; NotFound when it was never seen.
  virtual Result<Endpoint> GetEndpoint(const EndpointKey& key) = 0;

  // ---- Event status and suppressions ----
  // Changes the status of the chosen events (see EventStatusChange). InvalidArgument when
  // neither ids nor a filter are given. Returns how many events changed and the rules made.
  virtual Result<EventStatusResult> UpdateEventStatus(const EventStatusChange& change) = 0;
  // Suppression rules, newest first; expired ones only with `include_expired`.
  virtual Result<std::vector<Suppression>> ListSuppressions(bool include_expired) = 0;
  // Removes a rule; NotFound when absent.
  virtual Status DeleteSuppression(const std::string& id) = 0;
  // The samples of an event: its sample_refs (AGGREGATED) or its ref_id, newest first; samples
  // removed by retention are skipped. NotFound for an unknown event.
  virtual Result<std::vector<SampleRecord>> ListEventSamples(const std::string& event_id) = 0;
  // Changes status and/or ticket link of the chosen events in one transaction (see
  // EventTriage). InvalidArgument when neither ids nor a filter, or neither status nor ticket,
  // are given. `updated` counts the chosen events.
  virtual Result<EventStatusResult> TriageEvents(const EventTriage& triage) = 0;
  // The ticket links of the listed events; events without one are left out.
  virtual Result<std::vector<EventTicket>> ListEventTickets(
      const std::vector<std::string>& event_ids) = 0;
  // The events made from sample `ref_id` (one exchange can fire several policies), or the event
  // whose id is `ref_id`; newest first, at most 100. Empty when none.
  virtual Result<std::vector<Event>> ListEventsByRef(const std::string& ref_id) = 0;
  // Creates an ignore rule as given (the store assigns id and created_at; hits start at 0).
  // An unexpired rule with the same policy, template, host and actor is extended instead, as
  // UpdateEventStatus does. InvalidArgument naming `filter_id` or `endpoint_template` when
  // empty, `expires_at` when negative.
  virtual Result<Suppression> CreateSuppression(const Suppression& rule) = 0;
  // Events matching `filter` per bucket of `bucket_seconds` (UTC, aligned to multiples of it),
  // oldest first; empty buckets are left out. InvalidArgument for bucket_seconds < 60.
  virtual Result<std::vector<TimeCount>> CountEventsOverTime(const EventFilter& filter,
                                                             std::int64_t bucket_seconds) = 0;

  // ---- Actors ----
  // The actor with its IPs, hosts and countries; NotFound when absent. Score, threat level and
  // status are as of the store's clock (as in ListActors).
  virtual Result<ActorDetail> GetActor(const std::string& id) = 0;
  // Applies a status change to every listed actor in one transaction and logs each change.
  // InvalidArgument for a bad duration or an empty list; NotFound (nothing changed) when an
  // actor does not exist. Returns the number of actors changed.
  virtual Result<std::int64_t> SetActorStatus(const ActorStatusChange& change) = 0;
  // The status log of an actor, newest first.
  virtual Result<std::vector<ActorStatusLogEntry>> ListActorStatusLog(const std::string& actor,
                                                                      std::int64_t limit) = 0;
  // Writes the expiry of every SNOOZE / SUSPEND whose time has come: status ACTIVE, a log row
  // by "system" at the expiry time. Returns how many expired. (Reads and CheckBlocked already
  // treat an expired status as ACTIVE; this makes it durable and visible in the log.)
  virtual Result<std::int64_t> ExpireActorStatuses() = 0;
  // The score ledger of an actor (each event's score contribution), newest first.
  virtual Result<std::vector<ScoreLedgerRow>> ListScoreLedger(const std::string& actor,
                                                              std::int64_t limit) = 0;
  // The ledger rows written for the listed events (an event has one, plus one per folded
  // finding that proved the exploit), oldest first.
  virtual Result<std::vector<ScoreLedgerRow>> ListScoreLedgerForEvents(
      const std::vector<std::string>& event_ids) = 0;
  // What the actor's events in the range add up to (see ActorEventBreakdown); DashboardQuery's
  // filter_ids and statuses apply too. An unknown actor has no events: everything is zero.
  virtual Result<ActorEventBreakdown> SummarizeActorEvents(const std::string& actor,
                                                           const DashboardQuery& query) = 0;
  // Is this IP / actor blocked now? The actor's own status decides first (ALLOW / SNOOZE: not
  // blocked; SUSPEND / DENY: blocked); then the IP actor's own status; then any SUSPEND / DENY
  // user actor that used the IP (a blocked user's IPs, new ones included, are blocked).
  // Expired statuses count as ACTIVE.
  virtual Result<BlockDecision> CheckBlocked(const BlockQuery& query) = 0;

  // ---- Aggregation windows ----
  // Every persisted window (restored by the pipeline at start).
  virtual Result<std::vector<WindowRow>> LoadWindows() = 0;

  // ---- Dashboards ----
  // Policies by events, with the endpoints and actors they touched.
  virtual Result<std::vector<ThreatRuleStat>> TopThreatRules(const DashboardQuery& query) = 0;
  // Events per threat type under `scheme` (KeyCount: events, distinct actors), most first.
  virtual Result<std::vector<KeyCount>> TopThreatTypes(ThreatTypeScheme scheme,
                                                       const DashboardQuery& query) = 0;
  // Events per severity ("LOW".."CRITICAL"), highest severity first, absent ones omitted.
  virtual Result<std::vector<KeyCount>> CountEventsBySeverity(const DashboardQuery& query) = 0;
  // Events per (category, sub-category), most first.
  virtual Result<std::vector<CategoryCount>> CountEventsByCategory(const DashboardQuery& query) = 0;
  // Events per UTC day and sub-category, oldest day first.
  virtual Result<std::vector<TimelineDay>> ActivityTimeline(const DashboardQuery& query) = 0;
  // Actors with events per UTC day, and of them the critical ones, oldest day first.
  virtual Result<std::vector<DailyActors>> DailyActorCounts(const DashboardQuery& query) = 0;
  // Actors (with events in the range) per country, most first; "" = unknown.
  virtual Result<std::vector<KeyCount>> ActorsPerCountry(const DashboardQuery& query) = 0;
  // New vs existing actors active in [start_ts, end_ts] (by first/last seen).
  virtual Result<NewVsExistingActors> CountNewVsExistingActors(const DashboardQuery& query) = 0;
  // Actors per threat level now ("LOW".."CRITICAL", all four, highest first).
  virtual Result<std::vector<KeyCount>> ActorsByThreatLevel() = 0;
  // Calls to one endpoint in the last 15m, 30m, 1h, 3h, 6h, 12h, 1d and 7d (store clock).
  virtual Result<std::vector<IntervalCount>> EndpointCallCounts(const EndpointKey& endpoint) = 0;
  // Callers of one endpoint (or of all, when `endpoint` is null) in [start_ts, end_ts] by
  // number of calls: buckets 1, 2-5, 6-10, 11-50, 51-100, 101-500, 501-1000, 1001+.
  virtual Result<std::vector<CallBucket>> CallerDistribution(const EndpointKey* endpoint,
                                                             const DashboardQuery& query) = 0;
  // Distinct actors, IPs, urls, hosts, policy ids and (with `lists.countries`) actor countries
  // of the events in the range (`limit` caps each list; InvalidArgument when negative).
  virtual Result<EventFilterValues> ListEventFilterValues(const DashboardQuery& query,
                                                          FilterValueLists lists) = 0;
  // Event, exploit, actor and per-status totals of the events in the range.
  virtual Result<EventTotals> CountEventTotals(const DashboardQuery& query) = 0;
  // Calls and errors of one endpoint over time (see CallSeriesQuery), oldest first; buckets
  // without traffic are left out. InvalidArgument unless bucket_seconds is a positive multiple
  // of 60.
  virtual Result<std::vector<CallPoint>> EndpointCallSeries(const EndpointKey& endpoint,
                                                            const CallSeriesQuery& query) = 0;
  // The callers of one endpoint (or of all, when `endpoint` is null) with the most calls in
  // [start_ts, end_ts] (KeyCount: key = actor, count = calls), most first, ties by actor, at
  // most `limit`.
  virtual Result<std::vector<KeyCount>> TopCallers(const EndpointKey* endpoint,
                                                   const DashboardQuery& query) = 0;
  // Actors first seen per UTC day in [start_ts, end_ts] (TimeCount::events = actors), oldest
  // first; days without new actors are left out.
  virtual Result<std::vector<TimeCount>> CountNewActorsPerDay(const DashboardQuery& query) = 0;

  // Deletes what `policy` says is too old (store clock). Endpoints themselves are kept.
  virtual Result<RetentionResult> ApplyRetention(const RetentionPolicy& policy) = 0;

  // ---- Policy authorship ----
  // Records that `by` created (first call for the id) or changed policy `id` now.
  virtual Status RecordPolicyChange(const std::string& policy_id, const std::string& by) = 0;
  // Forgets a deleted policy's authorship (nothing to forget is fine).
  virtual Status ForgetPolicyAuthorship(const std::string& policy_id) = 0;
  // Every recorded authorship, by policy id.
  virtual Result<std::vector<PolicyAuthorship>> ListPolicyAuthorship() = 0;

  // Keys. CreateApiKey fails with AlreadyExists on a duplicate id.
  virtual Status CreateApiKey(const ApiKey& key) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;
  virtual Status TouchApiKey(const std::string& id, std::int64_t used_at) = 0;
  // Marks a key revoked (kept, so the audit log still names it). NotFound for an unknown id.
  virtual Status RevokeApiKey(const std::string& id) = 0;

  // ---- Settings and the audit log ----
  // Every setting, by key.
  virtual Result<std::map<std::string, std::string>> GetSettings() = 0;
  // Sets every key in `values` in one transaction (other keys are kept).
  virtual Status PutSettings(const std::map<std::string, std::string>& values) = 0;
  // Appends one entry; InvalidArgument naming `action` when empty.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // A page of the audit log (see AuditQuery) with the total count.
  virtual Result<AuditPage> ListAudit(const AuditQuery& query) = 0;
};

}  // namespace warden
