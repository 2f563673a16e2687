#include "api/sample_render.h"

#include <boost/json.hpp>

#include "common/strings.h"

namespace warden {

namespace json = boost::json;

namespace {

std::string Field(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_number()) return json::serialize(*v);
  return {};
}

// Headers are stored as a list of [name, value] pairs (exact order, repeats kept) or, in older
// samples and Akto's format, as a JSON-encoded map.
std::vector<std::pair<std::string, std::string>> Headers(const json::object& o, const char* list_key,
                                                         const char* map_key) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const auto* list = o.if_contains(list_key); list && list->is_array()) {
    for (const auto& p : list->as_array()) {
      if (p.is_array() && p.as_array().size() == 2 && p.as_array()[0].is_string() &&
          p.as_array()[1].is_string()) {
        out.emplace_back(std::string(p.as_array()[0].as_string()),
                         std::string(p.as_array()[1].as_string()));
      }
    }
    return out;
  }
  std::string encoded = Field(o, map_key);
  boost::system::error_code ec;
  auto v = json::parse(encoded, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& kv : v.as_object()) {
    if (kv.value().is_string()) out.emplace_back(std::string(kv.key()), std::string(kv.value().as_string()));
  }
  return out;
}

// Bodies whose bytes were not valid UTF-8 are stored base64-encoded next to the text form.
std::string Body(const json::object& o, const char* key, const char* b64_key) {
  std::string b64 = Field(o, b64_key);
  if (!b64.empty()) {
    if (auto raw = Base64Decode(b64)) return *raw;
  }
  return Field(o, key);
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

bool SkipForCurl(std::string_view name) {
  // curl computes these itself.
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "host") ||
         EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "transfer-encoding");
}

}  // namespace

std::optional<StoredSample> ParseStoredSample(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  StoredSample s;
  s.method = Field(o, "method");
  s.url = Body(o, "path", "pathBase64");
  s.http_version = Field(o, "type");
  s.request_headers = Headers(o, "requestHeaderList", "requestHeaders");
  s.response_headers = Headers(o, "responseHeaderList", "responseHeaders");
  s.request_body = Body(o, "requestPayload", "requestPayloadBase64");
  s.response_body = Body(o, "responsePayload", "responsePayloadBase64");
  s.request_body_truncated = Field(o, "requestPayloadTruncated") == "true";
  s.response_body_truncated = Field(o, "responsePayloadTruncated") == "true";
  s.status_code = static_cast<int>(ParseInt64(Field(o, "statusCode")).value_or(0));
  s.status_text = Field(o, "status");
  for (const auto& [name, value] : s.request_headers) {
    if (EqualsIgnoreCase(name, "host")) {
      s.host = value;
      break;
    }
  }
  if (s.method.empty()) s.method = "GET";
  if (s.url.empty()) s.url = "/";
  return s;
}

std::string CurlCommand(const StoredSample& s, const std::string& base) {
  std::string origin = base;
  std::string url = s.url;
  if (url.find("://") != std::string::npos) {
    // An absolute-form target already names its origin.
    origin.clear();
  } else if (origin.empty()) {
    origin = "https://" + (s.host.empty() ? std::string("localhost") : s.host);
  }
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  if (!url.empty() && url.front() != '/' && !origin.empty()) url.insert(url.begin(), '/');
  std::string cmd = "curl --path-as-is -X " + ShellQuote(s.method) + " " + ShellQuote(origin + url);
  for (const auto& [name, value] : s.request_headers) {
    if (SkipForCurl(name)) continue;
    cmd += " -H " + ShellQuote(name + ": " + value);
  }
  if (!s.request_body.empty()) cmd += " --data-binary " + ShellQuote(s.request_body);
  return cmd;
}

std::string RawHttpRequest(const StoredSample& s) {
  std::string version = s.http_version.empty() ? "HTTP/1.1" : s.http_version;
  std::string out = s.method + " " + s.url + " " + version + "\r\n";
  bool has_host = false;
  bool has_length = false;
  for (const auto& [name, value] : s.request_headers) {
    has_host |= EqualsIgnoreCase(name, "host");
    has_length |= EqualsIgnoreCase(name, "content-length");
    out += name + ": " + value + "\r\n";
  }
  if (!has_host && !s.host.empty()) out += "Host: " + s.host + "\r\n";
  if (!has_length && !s.request_body.empty()) {
    out += "Content-Length: " + std::to_string(s.request_body.size()) + "\r\n";
  }
  out += "\r\n";
  out += s.request_body;
  return out;
}

}  // namespace warden
