// Feeds arbitrary bytes to the YAML policy loader. When the bytes load, the policies are
// compiled and scanned against a fixed exchange, so the evaluator sees hostile condition trees.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "detect/engine.h"
#include "detect/policy/loader.h"

namespace {

struct Fixture {
  warden::Exchange exchange;
  warden::View view;

  Fixture() {
    exchange.method = "POST";
    exchange.host = "api.example.test";
    exchange.target = "/api/v1/items/%2e%2e/7?q=1%27%20or%201%3D1&x=%3Cscript%3E";
    exchange.request_headers = {{"user-agent", "fuzz/1.0"}, {"cookie", "sid=a; t=b"}};
    exchange.request_body = R"({"user":{"name":"bob"},"tags":["a","b"]})";
    exchange.status_code = 200;
    exchange.response_body = R"({"ok":true})";
    view.exchange = &exchange;
    view.method = "POST";
    view.host = "api.example.test";
    view.raw_path = "/api/v1/items/%2e%2e/7";
    view.path = "/api/v1/items/../7";
    view.query = "q=1%27%20or%201%3D1&x=%3Cscript%3E";
    view.request_headers = exchange.request_headers;
    view.params = {{warden::ParamLocation::kQuery, "q", "1' or 1=1"},
                   {warden::ParamLocation::kQuery, "x", "<script>"},
                   {warden::ParamLocation::kCookie, "sid", "a"},
                   {warden::ParamLocation::kJson, "user.name", "bob"},
                   {warden::ParamLocation::kJson, "tags[0]", std::string("a\xff\0", 3)}};
    view.response_params = {{warden::ParamLocation::kJson, "ok", "true"}};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  static const Fixture* fixture = new Fixture();
  auto policies = warden::ParsePolicies(std::string_view(reinterpret_cast<const char*>(data), size),
                                        "fuzz.yaml");
  if (!policies.ok()) return 0;
  auto set = warden::CompilePolicies(std::move(policies).value());
  if (!set.ok()) return 0;
  warden::ScanScratch scratch;
  std::vector<warden::Finding> findings;
  (*set)->Scan(fixture->view, scratch, &findings);
  return 0;
}
