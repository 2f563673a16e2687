#pragma once

#include <cstdint>
#include <vector>

#include "model/exchange.h"

namespace warden {

struct SampleTrafficOptions {
  std::uint64_t seed = 1;
  std::size_t count = 5000;       // exchanges
  double attack_ratio = 0.04;     // share of requests sent by attackers
  std::int64_t start_time_s = 0;  // first request; spread over `span_seconds`
  std::int64_t span_seconds = 6 * 3600;
  std::size_t users = 300;
  std::size_t attackers = 12;
};

// Generates realistic traffic for a made-up shop API (shop.example): catalogue browsing,
// search, carts, orders, logins, profiles and reviews from many users and IPs, with JSON bodies,
// query strings and responses — and attackers mixing SQL injection, XSS, path traversal, command
// injection and scanner probes into it. Deterministic for a given seed and start time.
std::vector<Exchange> GenerateSampleTraffic(const SampleTrafficOptions& options);

}  // namespace warden
