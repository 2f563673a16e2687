#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "detect/operators/operator.h"

namespace warden {

// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:192.0.2.1) read as IPv4, so one
// CIDR list covers both spellings.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
};

// An address block: the first `prefix` bits of `base`.
struct IpBlock {
  IpAddress base;
  int prefix = 0;
};

// Parses "192.0.2.7", "2001:db8::1" (surrounding spaces allowed); nullopt otherwise.
std::optional<IpAddress> ParseIpAddress(std::string_view text);
// Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (/32 or /128). InvalidArgument naming
// the text when it is neither, the prefix is out of range, or bits are set past the prefix.
Result<IpBlock> ParseIpBlock(std::string_view text);
bool BlockContains(const IpBlock& block, const IpAddress& address);

// Shared by `contains_either_cidr` and `not_contains_cidr`.
enum class CidrMode { kContains, kNotContains };
Result<std::unique_ptr<Operator>> MakeCidrOperator(const Operand& operand, CidrMode mode);

}  // namespace warden
