#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/policy_sources.h"
#include "ingest/formats.h"
#include "model/severity.h"

// The CLI subcommands. Each returns the process exit code and prints its own errors.
namespace warden {

inline constexpr const char* kWardenVersion = "0.1.0";

struct ServeOptions {
  std::string data_dir = "data";
  std::string listen = "127.0.0.1:8080";
  PolicySources policies;
  int trusted_proxies = 0;
  int workers = 0;  // detection threads; 0 = one per core
  int http_threads = 2;
  std::size_t max_body_bytes = 1u << 20;  // per ingested request/response body
  std::size_t queue_capacity = 100000;
  std::string geoip = "/usr/share/tor/geoip";
  std::string geoip6 = "/usr/share/tor/geoip6";
  // YAML file with actor identity, scoring, aggregation, burst, enrichment and retention
  // settings (app/config.h); "" = defaults. Its enrichment.geoip/geoip6 override the two above.
  std::string config;
};
int RunServe(const ServeOptions& options);

struct ScanOptions {
  std::string file;  // "-" = stdin
  InputFormat format = InputFormat::kAuto;
  bool json = false;
  std::optional<Severity> fail_on;
  PolicySources policies;
  int trusted_proxies = 0;
};
int RunScan(const ScanOptions& options);

struct KeysCreateOptions {
  std::string data_dir = "data";
  std::string role = "viewer";
  std::string name;
};
int RunKeysCreate(const KeysCreateOptions& options);

struct IngestOptions {
  std::string file;  // "-" = stdin
  std::string server = "http://127.0.0.1:8080";
  std::string key;  // default: $WARDEN_API_KEY
  InputFormat format = InputFormat::kAuto;
  std::size_t batch_size = 500;
};
int RunIngest(const IngestOptions& options);

struct SampleOptions {
  std::string out = "-";
  std::size_t count = 5000;
  std::uint64_t seed = 1;
  std::int64_t start_time = 0;  // 0 = now minus the span
  std::int64_t span_seconds = 6 * 3600;
};
int RunSample(const SampleOptions& options);

// Reads a whole file ("-" = stdin).
std::optional<std::string> ReadInput(const std::string& path, std::string* error);

}  // namespace warden
