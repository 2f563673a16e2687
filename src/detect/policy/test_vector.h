#pragma once

#include "detect/policy/policy.h"
#include "model/exchange.h"

namespace warden {

// The Exchange a policy's `tests:` vector describes, for the policy test suite and
// `warden policy test`. The host comes from a Host header (default "api.example.test"); the peer
// address is a documentation address. Pure function.
Exchange ExchangeFromTestVector(const PolicyTestVector& vector);

}  // namespace warden
