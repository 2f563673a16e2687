#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace warden {

// IpRangeSet is a set of IPv4 and IPv6 addresses read from a user-supplied list: one CIDR
// ("203.0.113.0/24", "2001:db8::/32") or address per line; '#' starts a comment; blank lines are
// skipped; Tor's exit-addresses format ("ExitAddress 198.51.100.7 2024-…") is understood, so the
// same type reads a Tor exit list. IPv4 lives in the IPv4-mapped IPv6 space. Immutable after
// Parse; Contains is thread-safe. Lookups are a binary search over merged ranges.
class IpRangeSet {
 public:
  // InvalidArgument naming `name:line` on a malformed entry.
  static Result<IpRangeSet> Parse(std::string_view text, std::string_view name);
  static Result<IpRangeSet> Load(const std::string& path);

  bool Contains(std::string_view ip) const;
  std::size_t size() const { return ranges_.size(); }

 private:
  using U128 = std::pair<std::uint64_t, std::uint64_t>;  // (high, low) halves
  struct Range {
    U128 low;
    U128 high;
  };
  std::vector<Range> ranges_;  // sorted, non-overlapping
};

// AsnSet is a set of autonomous system numbers from a list: "AS13335" or "13335" per line,
// '#' comments. Immutable after Parse; thread-safe.
class AsnSet {
 public:
  static Result<AsnSet> Parse(std::string_view text, std::string_view name);
  static Result<AsnSet> Load(const std::string& path);

  bool Contains(std::int64_t asn) const;
  std::size_t size() const { return asns_.size(); }

 private:
  std::vector<std::int64_t> asns_;  // sorted, unique
};

// Parses an IPv4 or IPv6 address ("::ffff:1.2.3.4" and "1.2.3.4" are the same) into the
// IPv4-mapped IPv6 space. False when `text` is not an address.
bool ParseIpAddress(std::string_view text, std::pair<std::uint64_t, std::uint64_t>* out);

}  // namespace warden
