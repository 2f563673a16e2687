#include "actors/ip_lists.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace warden {

namespace {

using U128 = std::pair<std::uint64_t, std::uint64_t>;

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open list " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The line without its comment and surrounding space.
std::string_view Content(std::string_view line) {
  std::size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  return TrimSpace(line);
}

// Ones in the low `bits` bits of a 128-bit value.
U128 LowMask(int bits) {
  if (bits <= 0) return {0, 0};
  if (bits >= 128) return {~0ULL, ~0ULL};
  if (bits >= 64) {
    std::uint64_t hi = bits == 64 ? 0 : (~0ULL >> (128 - bits));
    return {hi, ~0ULL};
  }
  return {0, (1ULL << bits) - 1};
}

std::string LineRef(std::string_view name, std::size_t line) {
  return std::string(name) + ":" + std::to_string(line);
}

}  // namespace

bool ParseIpAddress(std::string_view text, U128* out) {
  std::string s(TrimSpace(text));
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    std::uint32_t v = (std::uint32_t{buf[0]} << 24) | (std::uint32_t{buf[1]} << 16) |
                      (std::uint32_t{buf[2]} << 8) | std::uint32_t{buf[3]};
    *out = {0, 0x0000FFFF00000000ULL | v};
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    for (int i = 0; i < 8; ++i) hi = (hi << 8) | buf[i];
    for (int i = 8; i < 16; ++i) lo = (lo << 8) | buf[i];
    *out = {hi, lo};
    return true;
  }
  return false;
}

Result<IpRangeSet> IpRangeSet::Parse(std::string_view text, std::string_view name) {
  IpRangeSet set;
  std::size_t line_no = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_no;
    std::string_view line = Content(raw);
    if (line.empty()) continue;
    // Tor exit-addresses: "ExitAddress <ip> <date> <time>"; other keywords of that format
    // (ExitNode, Published, LastStatus) carry no address.
    std::vector<std::string_view> words;
    for (std::string_view w : Split(line, ' ')) {
      if (!TrimSpace(w).empty()) words.push_back(TrimSpace(w));
    }
    if (words.empty()) continue;
    std::string_view entry = words[0];
    if (words[0] == "ExitAddress") {
      if (words.size() < 2) {
        return Status::InvalidArgument(LineRef(name, line_no) + ": ExitAddress without address");
      }
      entry = words[1];
    } else if (words[0] == "ExitNode" || words[0] == "Published" || words[0] == "LastStatus") {
      continue;
    }
    std::string_view addr = entry;
    int prefix = -1;
    std::size_t slash = entry.find('/');
    if (slash != std::string_view::npos) {
      addr = entry.substr(0, slash);
      auto p = ParseInt64(entry.substr(slash + 1));
      if (!p) {
        return Status::InvalidArgument(LineRef(name, line_no) + ": bad prefix length");
      }
      prefix = static_cast<int>(*p);
    }
    U128 a{};
    if (!ParseIpAddress(addr, &a)) {
      return Status::InvalidArgument(LineRef(name, line_no) + ": not an address or CIDR: '" +
                                     std::string(entry) + "'");
    }
    bool v4 = addr.find(':') == std::string_view::npos;
    int max_prefix = v4 ? 32 : 128;
    if (prefix < 0) prefix = max_prefix;
    if (prefix > max_prefix) {
      return Status::InvalidArgument(LineRef(name, line_no) + ": prefix length over " +
                                     std::to_string(max_prefix));
    }
    int host_bits = max_prefix - prefix;
    U128 mask = LowMask(host_bits);
    Range r;
    r.low = {a.first & ~mask.first, a.second & ~mask.second};
    r.high = {r.low.first | mask.first, r.low.second | mask.second};
    set.ranges_.push_back(r);
  }
  std::sort(set.ranges_.begin(), set.ranges_.end(),
            [](const Range& x, const Range& y) { return x.low < y.low; });
  std::vector<Range> merged;
  for (const Range& r : set.ranges_) {
    if (!merged.empty()) {
      Range& last = merged.back();
      U128 next = last.high;
      // last.high + 1, saturating: adjacent ranges merge too.
      if (next.second == ~0ULL) {
        next = next.first == ~0ULL ? next : U128{next.first + 1, 0};
      } else {
        ++next.second;
      }
      if (r.low <= next) {
        if (r.high > last.high) last.high = r.high;
        continue;
      }
    }
    merged.push_back(r);
  }
  set.ranges_ = std::move(merged);
  return set;
}

Result<IpRangeSet> IpRangeSet::Load(const std::string& path) {
  auto text = ReadWhole(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

bool IpRangeSet::Contains(std::string_view ip) const {
  U128 v{};
  if (!ParseIpAddress(ip, &v)) return false;
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), v,
                             [](const U128& x, const Range& r) { return x < r.low; });
  if (it == ranges_.begin()) return false;
  --it;
  return v <= it->high;
}

Result<AsnSet> AsnSet::Parse(std::string_view text, std::string_view name) {
  AsnSet set;
  std::size_t line_no = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_no;
    std::string_view line = Content(raw);
    if (line.empty()) continue;
    std::size_t space = line.find_first_of(" \t,");
    if (space != std::string_view::npos) line = line.substr(0, space);
    if (line.size() > 2 && (line[0] == 'A' || line[0] == 'a') &&
        (line[1] == 'S' || line[1] == 's')) {
      line.remove_prefix(2);
    }
    auto n = ParseInt64(line);
    if (!n || *n <= 0 || *n > 0xFFFFFFFFLL) {
      return Status::InvalidArgument(LineRef(name, line_no) + ": not an AS number");
    }
    set.asns_.push_back(*n);
  }
  std::sort(set.asns_.begin(), set.asns_.end());
  set.asns_.erase(std::unique(set.asns_.begin(), set.asns_.end()), set.asns_.end());
  return set;
}

Result<AsnSet> AsnSet::Load(const std::string& path) {
  auto text = ReadWhole(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

bool AsnSet::Contains(std::int64_t asn) const {
  return asn > 0 && std::binary_search(asns_.begin(), asns_.end(), asn);
}

}  // namespace warden
