#include "actors/geo.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace warden {

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open geo database " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ParseV6Addr(std::string_view text, std::pair<std::uint64_t, std::uint64_t>* out) {
  std::string s(TrimSpace(text));
  unsigned char buf[16];
  if (inet_pton(AF_INET6, s.c_str(), buf) != 1) return false;
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  for (int i = 0; i < 8; ++i) hi = (hi << 8) | buf[i];
  for (int i = 8; i < 16; ++i) lo = (lo << 8) | buf[i];
  *out = {hi, lo};
  return true;
}

bool ValidCountry(std::string_view cc) {
  return cc.size() == 2 && IsAsciiAlpha(static_cast<unsigned char>(cc[0])) &&
         IsAsciiAlpha(static_cast<unsigned char>(cc[1]));
}

// Calls fn(line_number, fields) for every non-comment line of "a,b,CC".
template <typename Fn>
Status ForEachRangeLine(std::string_view text, std::string_view name, Fn fn) {
  std::size_t line_no = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_no;
    line = TrimSpace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> f = Split(line, ',');
    if (f.size() != 3) {
      return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) +
                                     ": expected low,high,CC");
    }
    if (!fn(f[0], f[1], TrimSpace(f[2]))) {
      return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) +
                                     ": malformed range");
    }
  }
  return Status::Ok();
}

}  // namespace

Status GeoCountryDb::ParseV4(std::string_view text, std::string_view name) {
  return ForEachRangeLine(text, name,
                          [&](std::string_view lo, std::string_view hi, std::string_view cc) {
                            auto l = ParseInt64(lo);
                            auto h = ParseInt64(hi);
                            if (!l || !h || *l < 0 || *h < *l || *h > 0xFFFFFFFFLL) return false;
                            if (!ValidCountry(cc)) return true;  // "??" and friends: unknown, skip
                            v4_.push_back(V4Range{static_cast<std::uint32_t>(*l),
                                                  static_cast<std::uint32_t>(*h),
                                                  {AsciiUpper(cc[0]), AsciiUpper(cc[1])}});
                            return true;
                          });
}

Status GeoCountryDb::ParseV6(std::string_view text, std::string_view name) {
  return ForEachRangeLine(text, name,
                          [&](std::string_view lo, std::string_view hi, std::string_view cc) {
                            U128 l{};
                            U128 h{};
                            if (!ParseV6Addr(lo, &l) || !ParseV6Addr(hi, &h) || h < l) return false;
                            if (!ValidCountry(cc)) return true;
                            v6_.push_back(V6Range{l, h, {AsciiUpper(cc[0]), AsciiUpper(cc[1])}});
                            return true;
                          });
}

Result<GeoCountryDb> GeoCountryDb::FromText(std::string_view ipv4_text,
                                            std::string_view ipv6_text) {
  GeoCountryDb db;
  WARDEN_RETURN_IF_ERROR(db.ParseV4(ipv4_text, "geoip"));
  WARDEN_RETURN_IF_ERROR(db.ParseV6(ipv6_text, "geoip6"));
  std::sort(db.v4_.begin(), db.v4_.end(),
            [](const V4Range& a, const V4Range& b) { return a.low < b.low; });
  std::sort(db.v6_.begin(), db.v6_.end(),
            [](const V6Range& a, const V6Range& b) { return a.low < b.low; });
  return db;
}

Result<GeoCountryDb> GeoCountryDb::Load(const std::string& ipv4_path,
                                        const std::string& ipv6_path) {
  std::string v4;
  std::string v6;
  if (!ipv4_path.empty()) {
    auto r = ReadFile(ipv4_path);
    if (!r.ok()) return r.status();
    v4 = std::move(r).value();
  }
  if (!ipv6_path.empty()) {
    auto r = ReadFile(ipv6_path);
    if (!r.ok()) return r.status();
    v6 = std::move(r).value();
  }
  return FromText(v4, v6);
}

std::string GeoCountryDb::Lookup(std::string_view ip) const {
  std::string s(TrimSpace(ip));
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    std::uint32_t v = (std::uint32_t{buf[0]} << 24) | (std::uint32_t{buf[1]} << 16) |
                      (std::uint32_t{buf[2]} << 8) | std::uint32_t{buf[3]};
    auto it = std::upper_bound(v4_.begin(), v4_.end(), v,
                               [](std::uint32_t x, const V4Range& r) { return x < r.low; });
    if (it == v4_.begin()) return {};
    --it;
    if (v > it->high) return {};
    return std::string(it->cc.data(), 2);
  }
  U128 v6{};
  if (ParseV6Addr(s, &v6)) {
    auto it = std::upper_bound(v6_.begin(), v6_.end(), v6,
                               [](const U128& x, const V6Range& r) { return x < r.low; });
    if (it == v6_.begin()) return {};
    --it;
    if (v6 > it->high) return {};
    return std::string(it->cc.data(), 2);
  }
  return {};
}

}  // namespace warden
