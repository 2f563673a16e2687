#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace warden {

// One HTTP header as received: original name case, original order, repeats kept.
struct HeaderField {
  std::string name;
  std::string value;
};
using Headers = std::vector<HeaderField>;

// An Exchange is one request/response pair as a sensor saw it. It owns its bytes and is the
// unit that flows from ingest to detection. Bodies are capped on entry (see ingest's
// ParseOptions); a capped body has its `_truncated` flag set. Plain value type.
struct Exchange {
  std::string method;        // as received, e.g. "GET"
  std::string host;          // Host header or URL authority, as received (may hold a port)
  std::string target;        // path plus optional "?query", exactly as on the wire
  std::string http_version;  // e.g. "HTTP/1.1"
  Headers request_headers;
  std::string request_body;
  bool request_body_truncated = false;

  int status_code = 0;  // 0 when no response was captured
  std::string status_text;
  Headers response_headers;
  std::string response_body;
  bool response_body_truncated = false;

  std::string peer_ip;      // address the sensor saw the request come from (may carry ":port")
  std::string dest_ip;      // server address, when known
  std::int64_t time_s = 0;  // request time, Unix seconds

  std::string source;         // where it came from: "ingest-api", "har", "akto-jsonl", ...
  std::string collection_id;  // sensor-provided API collection id (Akto `akto_vxlan_id`), or ""
};

}  // namespace warden
