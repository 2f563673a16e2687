#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "api/http_client.h"
#include "app/cli_support.h"
#include "app/commands.h"
#include "common/strings.h"
#include "normalize/normalize.h"

namespace warden {

int RunIngest(const IngestOptions& options) {
  std::string key = options.key;
  if (key.empty()) {
    const char* env = std::getenv("WARDEN_API_KEY");
    if (env != nullptr) key = env;
  }
  if (key.empty()) {
    std::fprintf(stderr, "error: --key: no API key (or set WARDEN_API_KEY)\n");
    return 2;
  }
  auto target = ParseHttpUrl(options.server);
  if (!target.ok()) {
    std::fprintf(stderr, "error: %s\n", target.status().ToString().c_str());
    return 2;
  }
  auto parsed = ReadTraffic(options.file, options.format, ParseOptions{});
  if (!parsed.ok()) {
    std::fprintf(stderr, "error: %s\n", parsed.status().message().c_str());
    return 2;
  }

  const auto& exchanges = parsed->exchanges;
  std::size_t batch = std::max<std::size_t>(1, options.batch_size);
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < exchanges.size(); i += batch) {
    std::string body = "{\"batchData\":[";
    for (std::size_t j = i; j < std::min(exchanges.size(), i + batch); ++j) {
      if (j > i) body += ',';
      body += SampleJson(exchanges[j]);
    }
    body += "]}";
    Headers headers = {{"x-api-key", key}, {"content-type", "application/json"}};
    for (int attempt = 0;; ++attempt) {
      auto resp = HttpCall(*target, "POST", "/api/ingestData", headers, body);
      if (!resp.ok()) {
        std::fprintf(stderr, "error: %s\n", resp.status().ToString().c_str());
        return 1;
      }
      if ((resp->status == 429 || resp->status == 503) && attempt < 30) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200 * (attempt + 1)));
        continue;
      }
      if (resp->status != 200) {
        std::fprintf(stderr, "error: server answered %d: %s\n", resp->status, resp->body.c_str());
        return 1;
      }
      boost::system::error_code ec;
      auto v = boost::json::parse(resp->body, ec);
      if (!ec && v.is_object()) {
        const auto& o = v.as_object();
        if (const auto* a = o.if_contains("accepted"); a && a->is_number()) {
          accepted += a->to_number<std::size_t>();
        }
        if (const auto* r = o.if_contains("rejected"); r && r->is_array()) {
          rejected += r->as_array().size();
        }
      }
      break;
    }
  }
  std::fprintf(stderr, "sent %zu exchanges: %zu accepted, %zu rejected by the server\n",
               exchanges.size(), accepted, rejected);
  return rejected == 0 ? 0 : 1;
}

}  // namespace warden
