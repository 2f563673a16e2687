#include "detect/policy/test_vector.h"

#include "common/strings.h"

namespace warden {

Exchange ExchangeFromTestVector(const PolicyTestVector& vector) {
  Exchange ex;
  ex.method = vector.method;
  ex.target = vector.url;
  ex.http_version = "HTTP/1.1";
  ex.host = "api.example.test";
  for (const auto& h : vector.request_headers) {
    if (EqualsIgnoreCase(h.name, "host")) ex.host = h.value;
  }
  ex.request_headers = vector.request_headers;
  ex.request_body = vector.request_body;
  if (vector.has_response) {
    ex.status_code = vector.response_status;
    ex.response_headers = vector.response_headers;
    ex.response_body = vector.response_body;
  }
  ex.peer_ip = "192.0.2.10";
  ex.time_s = 1700000000;
  ex.source = "policy-test";
  return ex;
}

}  // namespace warden
