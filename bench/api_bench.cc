// api_bench: seeds a SQLite store with threat events, actors and endpoints through the Store
// interface (the pipeline's write path) and measures the API's list and count routes — /api/v1
// and Akto's — through the Router (handlers, store queries and JSON), printing p50 / p95 / max
// per route and whether p95 is under the target.
//
//   api_bench [--events=1000000] [--actors=100000] [--endpoints=5000] [--days=30]
//             [--iterations=30] [--db=PATH] [--target-ms=100] [--filter=SUBSTRING]
//
// With --db the database is kept and reused when it was seeded with the same sizes, so later
// runs only measure. Without it a temporary database is seeded and removed. Arguments starting
// with --benchmark_ (from scripts/run-bench) are ignored.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "api/akto_routes.h"
#include "api/keyring.h"
#include "api/router.h"
#include "api/v1_routes.h"
#include "common/clock.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace warden {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t kDay = 86400;
// "Now" of the data set: every event lies in the `days` before it.
constexpr std::int64_t kNow = 1'757'400'000;

struct Options {
  std::int64_t events = 1'000'000;
  std::int64_t actors = 100'000;
  std::int64_t endpoints = 5'000;
  std::int64_t days = 30;
  int iterations = 30;
  std::string db;
  double target_ms = 100;
  std::string filter;
};

bool ParseFlag(const std::string& arg, const char* name, std::string* value) {
  std::string prefix = std::string("--") + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  *value = arg.substr(prefix.size());
  return true;
}

const char* const kPolicies[] = {"SQLInjection",
                                 "XSS",
                                 "LocalFileInclusionLFIRFI",
                                 "OSCommandInjection",
                                 "SSRF",
                                 "NoSQLInjection",
                                 "XXE",
                                 "SSTI",
                                 "Log4Shell",
                                 "CRLFInjection",
                                 "ScannerUserAgent",
                                 "AdminConsoleProbe",
                                 "SecretLeak",
                                 "ErrorLeak",
                                 "NotFoundScan",
                                 "CodeInjection",
                                 "LDAPInjection",
                                 "Shellshock",
                                 "RemoteFileInclusion",
                                 "WindowsCommandInjection"};
const char* const kCategories[] = {"SQLi",          "XSS",   "LFI_RFI", "CMDi",    "SSRF",
                                   "NoSQLi",        "XXE",   "SSTI",    "Log4j",   "CRLF",
                                   "Scanner",       "Probe", "Leak",    "Leak",    "Scan",
                                   "CodeInjection", "LDAPi", "CMDi",    "LFI_RFI", "CMDi"};
const char* const kCountries[] = {"US", "DE", "FR", "CN", "RU", "BR", "IN", "GB", "NL", "JP",
                                  "KR", "VN", "ID", "UA", "PL", "CA", "AU", "SG", "IT", "ES"};
const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE"};

std::string ActorIp(std::int64_t a) {
  return std::to_string(11 + a % 200) + "." + std::to_string((a / 200) % 250) + "." +
         std::to_string((a / 50000) % 250) + "." + std::to_string(1 + a % 249);
}

EndpointKey EndpointOf(std::int64_t e) {
  return EndpointKey{.collection_id = 0,
                     .host = "api" + std::to_string(e % 20) + ".example",
                     .method = kMethods[e % 4],
                     .endpoint_template = "/v1/resource" + std::to_string(e) + "/{int}"};
}

std::string SeedMarker(const Options& o) {
  return std::to_string(o.events) + "/" + std::to_string(o.actors) + "/" +
         std::to_string(o.endpoints) + "/" + std::to_string(o.days);
}

// Writes the data set in batches of 5,000 events: each event touches its actor, adds a ledger
// row, and every endpoint gets one rollup per day. Events are written in time order (as the
// pipeline does).
Status Seed(Store& store, const Options& o) {
  std::mt19937_64 rng(42);
  std::int64_t span = o.days * kDay;
  std::int64_t start = kNow - span;
  auto began = SteadyClock::now();

  WriteBatch rollups;
  for (std::int64_t e = 0; e < o.endpoints; ++e) {
    for (std::int64_t d = 0; d < o.days; ++d) {
      EndpointRollup r;
      r.endpoint = EndpointOf(e);
      r.minute = start + d * kDay;
      r.requests = 500 + static_cast<std::int64_t>(rng() % 5000);
      r.status_2xx = r.requests * 9 / 10;
      r.status_4xx = r.requests - r.status_2xx;
      rollups.rollups.push_back(std::move(r));
    }
    if (rollups.rollups.size() >= 20000) {
      if (Status st = store.Write(rollups); !st.ok()) return st;
      rollups = WriteBatch();
    }
  }
  if (!rollups.empty()) {
    if (Status st = store.Write(rollups); !st.ok()) return st;
  }

  const std::int64_t kBatch = 5000;
  for (std::int64_t i = 0; i < o.events; i += kBatch) {
    WriteBatch b;
    std::int64_t n = std::min(kBatch, o.events - i);
    for (std::int64_t k = 0; k < n; ++k) {
      std::int64_t idx = i + k;
      // Skewed: a few actors and endpoints get most events, as in real attack traffic.
      std::int64_t a =
          static_cast<std::int64_t>(std::pow(static_cast<double>(rng() % 1'000'000) / 1e6, 2.0) *
                                    static_cast<double>(o.actors));
      std::int64_t ep =
          static_cast<std::int64_t>(std::pow(static_cast<double>(rng() % 1'000'000) / 1e6, 2.0) *
                                    static_cast<double>(o.endpoints));
      if (idx < o.actors) a = idx;      // every actor has at least one event
      if (idx < o.endpoints) ep = idx;  // every endpoint too
      std::size_t p = rng() % 20;
      EndpointKey key = EndpointOf(ep);
      Event e;
      char id[64];
      std::snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012llx",
                    static_cast<unsigned long long>(idx));
      e.id = id;
      e.ref_id = std::string("r") + id;
      e.actor = ActorIp(a);
      e.ip = e.actor;
      e.country = kCountries[a % 20];
      e.filter_id = kPolicies[p];
      e.category = kCategories[p];
      e.sub_category = kPolicies[p];
      e.url = "/v1/resource" + std::to_string(ep) + "/" + std::to_string(rng() % 1000);
      e.endpoint_template = key.endpoint_template;
      e.method = key.method;
      e.host = key.host;
      e.detected_at = start + idx * span / o.events;
      e.last_detected_at = e.detected_at;
      std::uint64_t sev = rng() % 100;
      e.severity = sev < 5    ? Severity::kCritical
                   : sev < 40 ? Severity::kHigh
                   : sev < 80 ? Severity::kMedium
                              : Severity::kLow;
      std::uint64_t st = rng() % 100;
      e.status = st < 90   ? EventStatus::kActive
                 : st < 97 ? EventStatus::kUnderReview
                           : EventStatus::kIgnored;
      e.successful_exploit = rng() % 50 == 0;
      e.location = "query_param.q";
      e.matched = "' or 1=1--";
      e.metadata = "{}";
      e.payload = "{\"method\":\"" + e.method + "\",\"path\":\"" + e.url +
                  "?q=%27%20or%201%3D1--\",\"type\":\"HTTP/1.1\",\"requestHeaders\":"
                  "\"{\\\"host\\\":\\\"" +
                  e.host + "\\\"}\",\"statusCode\":\"200\",\"ip\":\"" + e.ip + "\"}";
      e.owasp_api_2023 = {"API8:2023"};
      e.cwe = {"CWE-89"};

      ActorTouch t;
      t.actor = e.actor;
      t.ip = e.ip;
      t.country = e.country;
      t.seen_at = e.detected_at;
      t.endpoint = e.url;
      t.method = e.method;
      t.host = e.host;
      t.filter_id = e.filter_id;
      t.sub_category = e.sub_category;
      t.severity = e.severity;
      t.events = 1;
      t.enforced = true;
      t.ip_info.country = e.country;
      b.actors.push_back(std::move(t));
      b.ledger.push_back(ScoreLedgerRow{.actor = e.actor,
                                        .event_id = e.id,
                                        .at = e.detected_at,
                                        .severity = e.severity,
                                        .successful_exploit = e.successful_exploit,
                                        .points = e.severity == Severity::kCritical ? 20.0 : 5.0,
                                        .reason = "event"});
      b.events.push_back(std::move(e));
    }
    if (Status st = store.Write(b); !st.ok()) return st;
    if ((i / kBatch) % 20 == 19) {
      double s = std::chrono::duration<double>(SteadyClock::now() - began).count();
      std::fprintf(stderr, "  seeded %lld events in %.0f s\n", static_cast<long long>(i + n), s);
    }
  }
  return store.PutSettings({{"bench.seeded", SeedMarker(o)}});
}

struct Probe {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
};

// CPU time of the calling thread: the router runs handlers and store queries on it, so this is
// the work a request costs, independent of how busy the machine is (wall time is not).
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int Run(const Options& o) {
  namespace fs = std::filesystem;
  bool temporary = o.db.empty();
  fs::path db = temporary ? fs::temp_directory_path() /
                                ("warden-api-bench-" + std::to_string(::getpid()) + ".db")
                          : fs::path(o.db);
  FakeClock clock(kNow * 1000);
  SqliteOptions so;
  so.path = db.string();
  so.clock = &clock;
  auto opened = OpenSqliteStore(so);
  if (!opened.ok()) {
    std::fprintf(stderr, "error: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<Store> store = std::move(opened).value();
  if (Status st = store->Migrate(); !st.ok()) {
    std::fprintf(stderr, "error: migrate: %s\n", st.ToString().c_str());
    return 1;
  }
  auto settings = store->GetSettings();
  bool seeded = settings.ok() && settings->count("bench.seeded") &&
                settings->at("bench.seeded") == SeedMarker(o);
  if (!seeded) {
    std::fprintf(
        stderr, "seeding %lld events, %lld actors, %lld endpoints over %lld days into %s\n",
        static_cast<long long>(o.events), static_cast<long long>(o.actors),
        static_cast<long long>(o.endpoints), static_cast<long long>(o.days), db.string().c_str());
    auto t0 = SteadyClock::now();
    if (Status st = Seed(*store, o); !st.ok()) {
      std::fprintf(stderr, "error: seeding: %s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("seeded in %.1f s\n",
                std::chrono::duration<double>(SteadyClock::now() - t0).count());
  }

  KeyRing keys(store.get(), &clock);
  auto admin = keys.Create("bench", Role::kAdmin);
  if (!admin.ok()) {
    std::fprintf(stderr, "error: key: %s\n", admin.status().ToString().c_str());
    return 1;
  }
  Router router(&keys);
  AktoRoutesDeps akto;
  akto.store = store.get();
  akto.clock = &clock;
  AddAktoRoutes(&router, akto);
  V1Deps v1;
  v1.store = store.get();
  v1.keys = &keys;
  v1.clock = &clock;
  v1.version = "bench";
  AddV1Routes(&router, v1);

  std::string actor = ActorIp(7);  // one of the busiest actors
  std::string month =
      "from=" + std::to_string(kNow - o.days * kDay) + "&to=" + std::to_string(kNow);
  std::string month_body = "{\"startTs\":" + std::to_string(kNow - o.days * kDay) +
                           ",\"endTs\":" + std::to_string(kNow) + "}";
  std::string day_body =
      "{\"startTs\":" + std::to_string(kNow - kDay) + ",\"endTs\":" + std::to_string(kNow) + "}";
  const std::vector<Probe> probes = {
      {"v1 events (newest 50)", "GET", "/api/v1/events", ""},
      {"v1 events severity=CRITICAL", "GET", "/api/v1/events?severity=CRITICAL", ""},
      {"v1 events status=UNDER_REVIEW,host", "GET",
       "/api/v1/events?status=UNDER_REVIEW&host=api3.example", ""},
      {"v1 events actor=", "GET", "/api/v1/events?actor=" + actor, ""},
      {"v1 events url template", "GET", "/api/v1/events?url=/v1/resource42/{int}", ""},
      {"v1 events policy, last day", "GET",
       "/api/v1/events?policy=XSS&from=" + std::to_string(kNow - kDay), ""},
      {"v1 events sort=-severity", "GET", "/api/v1/events?sort=-severity", ""},
      {"v1 events limit=500", "GET", "/api/v1/events?limit=500", ""},
      {"v1 actors (newest 50)", "GET", "/api/v1/actors", ""},
      {"v1 actors sort=-score", "GET", "/api/v1/actors?sort=-score", ""},
      {"v1 actors country=DE", "GET", "/api/v1/actors?country=DE", ""},
      {"v1 endpoints (inventory)", "GET", "/api/v1/endpoints", ""},
      {"v1 endpoints/threats", "GET", "/api/v1/endpoints/threats", ""},
      {"v1 endpoints/threats last day", "GET",
       "/api/v1/endpoints/threats?from=" + std::to_string(kNow - kDay), ""},
      {"v1 stats/summary (24 h)", "GET", "/api/v1/stats/summary", ""},
      {"v1 stats/summary (30 d)", "GET", "/api/v1/stats/summary?" + month, ""},
      {"v1 stats/timeline (30 d)", "GET", "/api/v1/stats/timeline?" + month, ""},
      {"v1 stats/countries (24 h)", "GET", "/api/v1/stats/countries", ""},
      {"v1 stats/top-apis (24 h)", "GET", "/api/v1/stats/top-apis", ""},
      {"v1 stats/top-rules (24 h)", "GET", "/api/v1/stats/top-rules", ""},
      {"v1 stats/threat-types (24 h)", "GET", "/api/v1/stats/threat-types", ""},
      {"v1 stats/actors (24 h)", "GET", "/api/v1/stats/actors", ""},
      {"akto fetchSuspectSampleData {}", "POST", "/api/fetchSuspectSampleData", "{}"},
      {"akto fetchSuspectSampleData urls", "POST", "/api/fetchSuspectSampleData",
       R"({"urls":["/v1/resource42/{int}"],"types":["Rule-Based"],"limit":50,"skip":0,"sort":{"detectedAt":-1}})"},
      {"akto fetchThreatActors", "POST", "/api/fetchThreatActors",
       R"({"endTs":1788978599,"skip":0,"startTs":0,"sort":{"discoveredAt":-1}})"},
      {"akto fetchThreatApis", "POST", "/api/fetchThreatApis",
       R"({"skip":0,"sort":{"discoveredAt":-1}})"},
      {"akto fetchCountBySeverity (30 d)", "POST", "/api/fetchCountBySeverity", month_body},
      {"akto fetchThreatCategoryCount (30 d)", "POST", "/api/fetchThreatCategoryCount", month_body},
      {"akto getThreatActivityTimeline (30 d)", "POST", "/api/getThreatActivityTimeline",
       month_body},
      {"akto getDailyThreatActorsCount (30 d)", "POST", "/api/getDailyThreatActorsCount",
       month_body},
      {"akto getActorsCountPerCounty (24 h)", "POST", "/api/getActorsCountPerCounty", day_body},
      {"akto fetchFiltersThreatTable (24 h)", "POST", "/api/fetchFiltersThreatTable", day_body},
      {"akto fetchFiltersForThreatActors (24 h)", "POST", "/api/fetchFiltersForThreatActors",
       day_body},
  };

  std::printf(
      "\n| route | p50 ms | p95 ms | max ms | CPU p95 ms | p95 < %.0f ms |\n"
      "|---|---:|---:|---:|---:|---|\n",
      o.target_ms);
  int slow = 0;
  for (const Probe& p : probes) {
    if (!o.filter.empty() && p.name.find(o.filter) == std::string::npos) continue;
    HttpRequest req;
    req.method = p.method;
    req.target = p.target;
    auto q = p.target.find('?');
    req.path = p.target.substr(0, q);
    if (q != std::string::npos) req.query = p.target.substr(q + 1);
    req.body = p.body;
    req.headers.push_back({"x-api-key", admin->secret});
    std::vector<double> ms;
    std::vector<double> cpu;
    int status = 0;
    std::size_t bytes = 0;
    for (int i = 0; i < o.iterations + 1; ++i) {
      auto t0 = SteadyClock::now();
      double c0 = ThreadCpuMs();
      router.Dispatch(req, [&](HttpResponse r) {
        status = r.status;
        bytes = r.body.size();
      });
      double took = std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
      double cpu_took = ThreadCpuMs() - c0;
      if (i > 0) {  // the first call warms the statement cache
        ms.push_back(took);
        cpu.push_back(cpu_took);
      }
    }
    if (status != 200) {
      std::fprintf(stderr, "error: %s answered %d\n", p.name.c_str(), status);
      return 1;
    }
    double p95 = Percentile(ms, 0.95);
    bool ok = p95 < o.target_ms;
    if (!ok) ++slow;
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %s |\n", p.name.c_str(), Percentile(ms, 0.5),
                p95, *std::max_element(ms.begin(), ms.end()), Percentile(cpu, 0.95),
                ok ? "yes" : "**no**");
    std::fflush(stdout);
    (void)bytes;
  }
  std::printf("\n%d of the routes above have p95 >= %.0f ms\n", slow, o.target_ms);
  store.reset();
  if (temporary) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  }
  return 0;
}

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  warden::Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string v;
    if (arg.rfind("--benchmark_", 0) == 0) continue;
    if (warden::ParseFlag(arg, "events", &v)) {
      o.events = std::stoll(v);
    } else if (warden::ParseFlag(arg, "actors", &v)) {
      o.actors = std::stoll(v);
    } else if (warden::ParseFlag(arg, "endpoints", &v)) {
      o.endpoints = std::stoll(v);
    } else if (warden::ParseFlag(arg, "days", &v)) {
      o.days = std::stoll(v);
    } else if (warden::ParseFlag(arg, "iterations", &v)) {
      o.iterations = std::stoi(v);
    } else if (warden::ParseFlag(arg, "db", &v)) {
      o.db = v;
    } else if (warden::ParseFlag(arg, "target-ms", &v)) {
      o.target_ms = std::stod(v);
    } else if (warden::ParseFlag(arg, "filter", &v)) {
      o.filter = v;
    } else {
      std::fprintf(stderr,
                   "usage: api_bench [--events=N] [--actors=N] [--endpoints=N] [--days=N] "
                   "[--iterations=N] [--db=PATH] [--target-ms=MS] [--filter=SUBSTRING]\n");
      return 2;
    }
  }
  if (o.events < o.actors || o.events < o.endpoints || o.days < 1 || o.iterations < 1) {
    std::fprintf(stderr, "error: need events >= actors, events >= endpoints, days >= 1\n");
    return 2;
  }
  return warden::Run(o);
}
