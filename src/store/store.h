#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
};

// One transaction's worth of writes. The writer thread merges many exchanges into one batch.
struct WriteBatch {
  std::vector<EndpointRollup> rollups;  // endpoints are created on first sight
  std::vector<ActorCallRollup> actor_calls;
  std::vector<Event> events;  // each with its sample in Event::payload
  std::vector<ActorTouch> actors;

  bool empty() const {
    return rollups.empty() && actor_calls.empty() && events.empty() && actors.empty();
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

struct EventQuery {
  EventFilter filter;
  EventSortField sort = EventSortField::kDetectedAt;
  bool descending = true;
  std::int64_t skip = 0;
  std::int64_t limit = 50;
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
};

struct ActorSummary {
  Actor actor;
  std::vector<ActorActivity> activity;  // newest first
};

struct ActorPage {
  std::vector<ActorSummary> actors;
  std::int64_t total = 0;
};

enum class ThreatApiSortField { kDiscoveredAt, kRequestsCount, kActorsCount };

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

  // Keys. CreateApiKey fails with AlreadyExists on a duplicate id.
  virtual Status CreateApiKey(const ApiKey& key) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;
  virtual Status TouchApiKey(const std::string& id, std::int64_t used_at) = 0;
};

}  // namespace warden
