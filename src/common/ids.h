#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warden {

// A random RFC 4122 version-4 UUID in canonical lower-case form. Thread-safe.
std::string NewUuid();

// `bytes` cryptographically random bytes (OpenSSL RAND_bytes). Thread-safe.
std::string RandomBytes(std::size_t bytes);

// SHA-256 of `data` as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

// Constant-time equality for secrets of equal length; false when lengths differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// 64-bit FNV-1a: stable across processes and machines (used for ids that must agree between
// nodes, such as API collection ids derived from host names).
std::uint64_t Fnv1a64(std::string_view data);

}  // namespace warden
