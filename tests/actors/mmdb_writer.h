#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

// A tiny writer of MaxMind DB files (format 2.0: a 24-bit binary search tree over IPv4, a data
// section, the metadata), enough to build test fixtures so that no test needs a downloaded
// GeoLite database. Supports strings, unsigned integers, maps and arrays; networks must not
// overlap. Test-only code.
namespace warden::testing {

struct MmdbValue {
  using Map = std::map<std::string, MmdbValue>;
  using Array = std::vector<MmdbValue>;
  std::variant<std::string, std::uint32_t, std::shared_ptr<Map>, std::shared_ptr<Array>> v;

  MmdbValue(const char* s) : v(std::string(s)) {}                   // NOLINT
  MmdbValue(std::string s) : v(std::move(s)) {}                     // NOLINT
  MmdbValue(std::uint32_t n) : v(n) {}                              // NOLINT
  MmdbValue(Map m) : v(std::make_shared<Map>(std::move(m))) {}      // NOLINT
  MmdbValue(Array a) : v(std::make_shared<Array>(std::move(a))) {}  // NOLINT
};

struct MmdbNetwork {
  std::string cidr;  // "203.0.113.0/24"
  MmdbValue data;
};

// The bytes of an IPv4 database holding `networks`, of type `database_type`
// ("GeoLite2-City", "GeoLite2-ASN", ...).
std::string BuildMmdb(const std::vector<MmdbNetwork>& networks, const std::string& database_type);

}  // namespace warden::testing
