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
#include "api/v1_routes.h"
#include "app/cli_support.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/dashboard.h"
#include "app/pipeline.h"
#include "app/policy_manager.h"
#include "common/log.h"
#include "common/strings.h"
#include "detect/engine.h"

namespace warden {

namespace {

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

  auto store = OpenDataDirStore(options.data_dir, config->scoring);
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

  // Policies: the built-in library, the data dir's own (written through the API) and --policies
  // directories. Every change is compiled and swapped into the pipeline atomically.
  PolicyManagerOptions pm_options;
  pm_options.builtin = options.policies.builtin;
  pm_options.user_dir = (std::filesystem::path(options.data_dir) / "policies").string();
  pm_options.extra_dirs = options.policies.dirs;
  PolicyManager policies(pm_options, [&pipeline](std::shared_ptr<const CompiledPolicySet> set) {
    pipeline.SetPolicies(std::move(set));
  });
  auto loaded = policies.Reload();
  if (!loaded.ok()) {
    std::fprintf(stderr, "error: policies: %s\n", loaded.status().ToString().c_str());
    return 1;
  }
  pipeline.Start();

  Router router(&keys);
  AktoRoutesDeps deps;
  deps.store = store->get();
  deps.sink = &pipeline;
  deps.policies = &policies;
  deps.clock = &clock;
  deps.ingest_options.max_body_bytes = options.max_body_bytes;
  deps.ingest_options.source = "ingest-api";
  // Ignore rules made through the API apply to detection at once, not at the next maintenance.
  auto reload_suppressions = [&pipeline] {
    Status st = pipeline.ReloadSuppressions();
    if (!st.ok()) spdlog::warn("suppression reload failed: {}", st.ToString());
  };
  deps.suppressions_changed = reload_suppressions;
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

  V1Deps v1;
  v1.store = store->get();
  v1.policies = &policies;
  v1.keys = &keys;
  v1.clock = &clock;
  v1.version = kWardenVersion;
  v1.suppressions_changed = reload_suppressions;
  AddV1Routes(&router, v1);
  auto dashboard = InstallDashboard(&router);

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
  std::printf("data: %s | policies: %zu\n", StorePath(options.data_dir).c_str(), *loaded);
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
      auto reloaded = policies.Reload();
      if (reloaded.ok()) {
        spdlog::info("policies reloaded: {}", *reloaded);
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
