// warden: API threat detection. Subcommands: serve, scan, ingest, keys, sample, version.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/commands.h"
#include "app/policy_cmd.h"
#include "common/log.h"
#include "common/strings.h"

namespace {


// Adds the policy options shared by serve and scan.
void AddPolicyOptions(CLI::App* cmd, warden::PolicySources* sources) {
  cmd->add_option("--policies", sources->dirs,
                  "Directory of user policies (*.yaml); repeatable. A user policy with a built-in "
                  "id replaces the built-in");
  cmd->add_flag("!--no-builtin-policies", sources->builtin, "Do not load the built-in library");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Warden: API threat detection and protection"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str();

  warden::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the server: ingest API, detection, store");
  serve_cmd->add_option("--data-dir", serve.data_dir, "Directory for the embedded store")
      ->capture_default_str();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0 = any free)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--trusted-proxies", serve.trusted_proxies,
                   "Proxies in front of the sensor whose X-Forwarded-For entries to trust")
      ->capture_default_str()
      ->check(CLI::Range(0, 32));
  serve_cmd->add_option("--workers", serve.workers, "Detection threads (0 = one per core)")
      ->check(CLI::Range(0, 256));
  serve_cmd->add_option("--http-threads", serve.http_threads, "HTTP I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve_cmd
      ->add_option("--max-body-bytes", serve.max_body_bytes,
                   "Cap per ingested request/response body (longer bodies are truncated)")
      ->capture_default_str();
  serve_cmd
      ->add_option("--queue-capacity", serve.queue_capacity,
                   "Exchanges waiting for detection before ingest answers 429")
      ->capture_default_str();
  serve_cmd->add_option("--geoip", serve.geoip, "IPv4 country ranges (tor-geoipdb format)")
      ->capture_default_str();
  serve_cmd->add_option("--geoip6", serve.geoip6, "IPv6 country ranges (tor-geoipdb format)")
      ->capture_default_str();
  serve_cmd->add_option("--config", serve.config,
                        "YAML file: actor identity, scoring, aggregation, burst folding, "
                        "enrichment, retention (see README)");
  AddPolicyOptions(serve_cmd, &serve.policies);

  warden::ScanOptions scan;
  std::string scan_format = "auto";
  std::string fail_on;
  auto* scan_cmd = app.add_subcommand("scan", "Scan a traffic file and print the findings");
  scan_cmd->add_option("FILE", scan.file, "HAR, Akto batch or Akto JSON Lines file (- = stdin)")
      ->required();
  scan_cmd->add_option("--format", scan_format, "auto, har, akto, akto-jsonl")
      ->capture_default_str();
  scan_cmd->add_flag("--json", scan.json, "One JSON object per finding");
  scan_cmd->add_option("--fail-on", fail_on,
                       "Exit 1 when a finding reaches this severity (low, medium, high, critical)");
  scan_cmd->add_option("--trusted-proxies", scan.trusted_proxies, "Trusted X-Forwarded-For hops");
  AddPolicyOptions(scan_cmd, &scan.policies);

  warden::IngestOptions ingest;
  std::string ingest_format = "auto";
  auto* ingest_cmd = app.add_subcommand("ingest", "Send a traffic file to a running server");
  ingest_cmd->add_option("FILE", ingest.file, "HAR, Akto batch or Akto JSON Lines file (- = stdin)")
      ->required();
  ingest_cmd->add_option("--server", ingest.server, "Server URL")->capture_default_str();
  ingest_cmd->add_option("--key", ingest.key, "API key (sensor or admin); default $WARDEN_API_KEY");
  ingest_cmd->add_option("--format", ingest_format, "auto, har, akto, akto-jsonl")
      ->capture_default_str();
  ingest_cmd->add_option("--batch-size", ingest.batch_size, "Records per request")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));

  warden::KeysCreateOptions keys;
  auto* keys_cmd = app.add_subcommand("keys", "Manage API keys");
  keys_cmd->require_subcommand(1);
  auto* keys_create = keys_cmd->add_subcommand("create", "Create a key and print it once");
  keys_create->add_option("--role", keys.role, "admin, analyst, viewer or sensor")
      ->capture_default_str();
  keys_create->add_option("--name", keys.name, "A name for the key (default: the role)");
  keys_create->add_option("--data-dir", keys.data_dir, "Directory of the embedded store")
      ->capture_default_str();

  warden::SampleOptions sample;
  auto* sample_cmd =
      app.add_subcommand("sample", "Generate sample shop-API traffic (Akto JSON Lines)");
  sample_cmd->add_option("--out", sample.out, "Output file (- = stdout)")->capture_default_str();
  sample_cmd->add_option("--count", sample.count, "Exchanges")->capture_default_str();
  sample_cmd->add_option("--seed", sample.seed, "Random seed")->capture_default_str();
  sample_cmd->add_option("--start-time", sample.start_time,
                         "Unix time of the first exchange (default: now minus the span)");
  sample_cmd->add_option("--span-seconds", sample.span_seconds, "Time the traffic spans")
      ->capture_default_str();

  warden::PolicyCommandOptions policy;
  auto* policy_cmd = app.add_subcommand("policy", "Validate, test and lint policy files");
  policy_cmd->require_subcommand(1);
  for (const char* action : {"validate", "test", "lint"}) {
    const char* help = action[0] == 'v'   ? "Load and compile; print errors (exit 2 on any)"
                       : action[0] == 't' ? "Run the files' test vectors (exit 1 on a failure)"
                                          : "Report prefilter gaps and per-policy cost";
    auto* sub = policy_cmd->add_subcommand(action, help);
    sub->add_option("FILE", policy.files, "Policy files or directories")->required();
    if (action[0] == 'l') {
      sub->add_option("--traffic", policy.traffic,
                      "Profile the cost on this JSON Lines traffic instead of generated samples")
          ->check(CLI::ExistingFile);
    }
  }

  auto* version_cmd = app.add_subcommand("version", "Print the version");

  CLI11_PARSE(app, argc, argv);
  warden::SetLogLevel(log_level.c_str());
  spdlog::set_default_logger(spdlog::default_logger());

  auto parse_format = [](const std::string& name, warden::InputFormat* out) {
    auto f = warden::ParseInputFormat(name);
    if (!f.ok()) {
      std::fprintf(stderr, "error: --format: %s\n", f.status().message().c_str());
      return false;
    }
    *out = *f;
    return true;
  };

  if (*serve_cmd) return warden::RunServe(serve);
  if (*scan_cmd) {
    if (!parse_format(scan_format, &scan.format)) return 2;
    if (!fail_on.empty()) {
      scan.fail_on = warden::ParseSeverity(fail_on);
      if (!scan.fail_on) {
        std::fprintf(stderr, "error: --fail-on: expected low, medium, high or critical\n");
        return 2;
      }
    }
    return warden::RunScan(scan);
  }
  if (*ingest_cmd) {
    if (!parse_format(ingest_format, &ingest.format)) return 2;
    return warden::RunIngest(ingest);
  }
  if (*keys_create) return warden::RunKeysCreate(keys);
  if (*sample_cmd) return warden::RunSample(sample);
  if (*policy_cmd) {
    policy.action = policy_cmd->get_subcommands().front()->get_name();
    return warden::RunPolicyCommand(policy);
  }
  if (*version_cmd) {
    std::printf("warden %s\n", warden::kWardenVersion);
    return 0;
  }
  return 0;
}
