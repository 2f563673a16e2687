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

std::vector<VectorOutcome> RunTestVectors(const CompiledPolicySet& set,
                                          const NormalizeOptions& options) {
  std::vector<VectorOutcome> out;
  ScanScratch scratch;
  std::vector<Finding> findings;
  for (const Policy& p : set.policies()) {
    for (const PolicyTestVector& t : p.tests) {
      Exchange ex = ExchangeFromTestVector(t);
      View view = BuildView(ex, options);
      findings.clear();
      set.Scan(view, scratch, &findings);
      const Finding* mine = nullptr;
      for (const auto& f : findings) {
        if (f.policy_id == p.id) mine = &f;
      }
      VectorOutcome o{.policy = &p, .vector = &t, .passed = true, .message = {}};
      if (t.expect_match && mine == nullptr) {
        o.passed = false;
        o.message = "expected a match, got none";
      } else if (!t.expect_match && mine != nullptr) {
        o.passed = false;
        o.message = "expected no match, matched " + mine->location + " = '" +
                    SanitizeUtf8(TruncateUtf8(mine->matched, 80)) + "'";
      } else if (mine != nullptr && t.expect_success.has_value() &&
                 mine->successful_exploit != *t.expect_success) {
        o.passed = false;
        o.message = *t.expect_success ? "expected a successful exploit, the success condition "
                                        "did not match"
                                      : "expected no successful exploit, got evidence '" +
                                            SanitizeUtf8(mine->exploit_evidence) + "'";
      }
      out.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace warden
