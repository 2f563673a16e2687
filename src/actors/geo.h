#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace warden {

// GeoCountryDb maps IP addresses to ISO-3166 alpha-2 country codes using range files in the
// format of Debian's tor-geoipdb (/usr/share/tor/geoip: "low,high,CC" with IPv4 as integers;
// geoip6: "low,high,CC" with IPv6 text). Immutable after loading; Lookup is thread-safe.
class GeoCountryDb {
 public:
  static constexpr const char* kDefaultIpv4Path = "/usr/share/tor/geoip";
  static constexpr const char* kDefaultIpv6Path = "/usr/share/tor/geoip6";

  // Loads both files; an empty path skips that family. IoError when a named file is missing,
  // InvalidArgument naming file and line on a malformed line.
  static Result<GeoCountryDb> Load(const std::string& ipv4_path, const std::string& ipv6_path);
  // Parses file contents (for tests and embedded data).
  static Result<GeoCountryDb> FromText(std::string_view ipv4_text, std::string_view ipv6_text);

  // Country code of `ip` ("US"), or "" when unknown, private or not an address.
  std::string Lookup(std::string_view ip) const;

  std::size_t size() const { return v4_.size() + v6_.size(); }

 private:
  using U128 = std::pair<std::uint64_t, std::uint64_t>;  // (high, low) halves
  struct V4Range {
    std::uint32_t low;
    std::uint32_t high;
    std::array<char, 2> cc;
  };
  struct V6Range {
    U128 low;
    U128 high;
    std::array<char, 2> cc;
  };
  Status ParseV4(std::string_view text, std::string_view name);
  Status ParseV6(std::string_view text, std::string_view name);

  std::vector<V4Range> v4_;  // sorted by low, non-overlapping
  std::vector<V6Range> v6_;
};

}  // namespace warden
