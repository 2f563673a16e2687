#include <boost/json.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "actors/enrich.h"
#include "api/akto_routes.h"
#include "api/keyring.h"
#include "api/router.h"
#include "api/server.h"
#include "app/cli_support.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/pipeline.h"
#include "common/log.h"
#include "common/strings.h"
#include "detect/engine.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {

namespace {

Result<std::shared_ptr<const CompiledPolicySet>> LoadAndCompile(const PolicySources& sources) {
  auto policies = LoadConfiguredPolicies(sources);
  if (!policies.ok()) return policies.status();
  return CompilePolicies(std::move(policies).value());
}

bool SplitListen(const std::string& listen, std::string* host, int* port) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  auto p = ParseInt64(std::string_view(listen).substr(colon + 1));
  if (!p || *p < 0 || *p > 65535) return false;
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  if (host->empty()) *host = "0.0.0.0";
  *port = static_cast<int>(*p);
  return true;
}

// Like OpenDataDirStore, with the configured scoring (the store decays scores and maps them to
// threat levels).
Result<std::unique_ptr<Store>> OpenServeStore(const std::string& data_dir,
                                              const ScoringConfig& scoring) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return Status::InvalidArgument("cannot create " + data_dir + ": " + ec.message(), "data-dir");
  }
  SqliteOptions sqlite;
  sqlite.path = StorePath(data_dir);
  sqlite.scoring = scoring;
  auto store = OpenSqliteStore(sqlite);
  if (!store.ok()) return store.status();
  Status st = (*store)->Migrate();
  if (!st.ok()) return st.WithContext("migrating " + sqlite.path);
  return store;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // Signals are handled by this thread with sigwait; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string host;
  int port = 0;
  if (!SplitListen(options.listen, &host, &port)) {
    std::fprintf(stderr, "error: --listen: expected HOST:PORT, got '%s'\n", options.listen.c_str());
    return 2;
  }

  ServeConfig defaults;
  defaults.enrichment.geoip = options.geoip;
  defaults.enrichment.geoip6 = options.geoip6;
  Result<ServeConfig> config = options.config.empty() ? Result<ServeConfig>(defaults)
                                                      : LoadServeConfig(options.config, defaults);
  if (!config.ok()) {
    std::fprintf(stderr, "error: --config: %s\n", config.status().ToString().c_str());
    return 2;
  }

  auto store = OpenServeStore(options.data_dir, config->scoring);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().ToString().c_str());
    return 1;
  }

  const Clock& clock = SystemClock::Instance();
  KeyRing keys(store->get(), &clock);
  const char* preset = std::getenv("WARDEN_ADMIN_KEY");
  auto admin = keys.EnsureAdminKey(preset != nullptr ? preset : "");
  if (!admin.ok()) {
    std::fprintf(stderr, "error: creating the admin key: %s\n", admin.status().ToString().c_str());
    return 1;
  }

  auto compiled = LoadAndCompile(options.policies);
  if (!compiled.ok()) {
    std::fprintf(stderr, "error: policies: %s\n", compiled.status().ToString().c_str());
    return 1;
  }

  auto enricher = Enricher::Load(config->enrichment);
  if (!enricher.ok()) {
    std::fprintf(stderr, "error: enrichment: %s\n", enricher.status().ToString().c_str());
    return 1;
  }

  PipelineOptions popts;
  popts.workers = options.workers;
  popts.queue_capacity = options.queue_capacity;
  popts.normalize.trusted_proxies = options.trusted_proxies;
  popts.normalize.actor_identity = config->actor_identity;
  popts.aggregation = config->aggregation;
  popts.burst_interval_seconds = config->burst_interval_seconds;
  popts.scoring = config->scoring;
  popts.maintenance_interval_seconds = config->maintenance_interval_seconds;
  popts.retention = config->retention;
  popts.retention_interval_seconds = config->retention_interval_seconds;
  Pipeline pipeline(store->get(), enricher->get(), &clock, popts);
  pipeline.SetPolicies(*compiled);
  pipeline.Start();

  Router router(&keys);
  AktoRoutesDeps deps;
  deps.store = store->get();
  deps.sink = &pipeline;
  deps.clock = &clock;
  deps.ingest_options.max_body_bytes = options.max_body_bytes;
  deps.ingest_options.source = "ingest-api";
  AddAktoRoutes(&router, deps);
  router.Add({"GET",
              "/healthz",
              {},
              "Liveness and pipeline counters",
              [&pipeline](const HttpRequest&, const Principal&, Responder respond) {
                auto s = pipeline.stats();
                boost::json::object o;
                o["status"] = "ok";
                o["policies"] = pipeline.policies() ? pipeline.policies()->policies().size() : 0;
                o["accepted"] = s.accepted;
                o["refused"] = s.refused;
                o["processed"] = s.processed;
                o["events"] = s.events;
                o["aggregated"] = s.aggregated;
                o["folded"] = s.folded;
                o["suppressed"] = s.suppressed;
                o["windows"] = pipeline.window_count();
                o["writeErrors"] = s.write_errors;
                respond(HttpResponse::Json(200, boost::json::serialize(o)));
              }});

  ServerOptions sopts;
  sopts.host = host;
  sopts.port = port;
  sopts.threads = options.http_threads;
  HttpServer server(sopts, &router);
  auto bound = server.Start();
  if (!bound.ok()) {
    std::fprintf(stderr, "error: %s\n", bound.status().ToString().c_str());
    pipeline.Stop();
    return 1;
  }

  std::string url_host = host == "0.0.0.0" ? "127.0.0.1" : host;
  std::printf("Warden listening on http://%s:%d\n", url_host.c_str(), *bound);
  std::printf("data: %s | policies: %zu\n", StorePath(options.data_dir).c_str(),
              (*compiled)->policies().size());
  if (admin->has_value()) {
    if (preset != nullptr && *preset != '\0') {
      std::printf("admin API key: set from WARDEN_ADMIN_KEY\n");
    } else {
      std::printf("admin API key (shown once, store it now): %s\n", (*admin)->secret.c_str());
    }
  }
  std::fflush(stdout);

  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      auto reloaded = LoadAndCompile(options.policies);
      if (reloaded.ok()) {
        pipeline.SetPolicies(*reloaded);
        spdlog::info("policies reloaded: {}", (*reloaded)->policies().size());
      } else {
        spdlog::error("policy reload failed, keeping the current set: {}",
                      reloaded.status().ToString());
      }
      continue;
    }
    break;
  }
  spdlog::info("shutting down");
  server.Stop();
  pipeline.Stop();
  return 0;
}

}  // namespace warden
