#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warden {

// The stored sample of an event (normalize's SampleJson, an Akto ingest record) read back.
struct StoredSample {
  std::string method;
  std::string url;  // path + query as received
  std::string http_version;
  std::string host;
  std::vector<std::pair<std::string, std::string>> request_headers;  // stored order
  std::string request_body;
  bool request_body_truncated = false;
  int status_code = 0;
  std::string status_text;
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;
  bool response_body_truncated = false;
};

// Parses a stored sample; nullopt when it is not one.
std::optional<StoredSample> ParseStoredSample(const std::string& json);

// The request as a shell command that replays it: `curl -X METHOD 'BASE/url' -H '…' --data-binary
// '…'`, single-quoted so nothing in the payload is interpreted by the shell. `base` is
// "scheme://host[:port]"; empty means "https://" + the sample's host.
std::string CurlCommand(const StoredSample& sample, const std::string& base);

// The request as raw HTTP/1.1 text (request line, headers in stored order, blank line, body), for
// pasting into an intercepting proxy.
std::string RawHttpRequest(const StoredSample& sample);

}  // namespace warden
