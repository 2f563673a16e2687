#pragma once

#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/policy/policy.h"
#include "model/exchange.h"
#include "normalize/normalize.h"

namespace warden {

// The Exchange a policy's `tests:` vector describes, for the policy test suite and
// `warden policy test`. The host comes from a Host header (default "api.example.test"); the peer
// address is a documentation address. Pure function.
Exchange ExchangeFromTestVector(const PolicyTestVector& vector);

// The outcome of one test vector.
struct VectorOutcome {
  const Policy* policy = nullptr;             // points into the set
  const PolicyTestVector* vector = nullptr;   // points into the set
  bool passed = false;
  std::string message;  // why it failed: "expected a match", "matched query:q = '…'", ...
};

// Runs every `tests:` vector of every policy in `set`: builds the exchange, normalizes it with
// `options`, scans it with the whole set and checks that the vector's policy fired or not, and
// (with `expect_success`) whether the finding was a successful exploit. In policy and vector
// order. Thread-safe (it uses its own scratch).
std::vector<VectorOutcome> RunTestVectors(const CompiledPolicySet& set,
                                          const NormalizeOptions& options);

}  // namespace warden
