#include "api/query_args.h"

#include "common/strings.h"

namespace warden {

namespace {
constexpr std::int64_t kMaxTs = 4'102'444'800;  // 2100-01-01
}

QueryArgs::QueryArgs(const HttpRequest& request) {
  for (std::string_view piece : Split(request.query, '&')) {
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    params_.emplace_back(PercentDecode(piece.substr(0, eq), true),
                         eq == std::string_view::npos ? std::string()
                                                      : PercentDecode(piece.substr(eq + 1), true));
  }
}

void QueryArgs::Fail(const char* name, const std::string& message) {
  if (status_.ok()) status_ = Status::InvalidArgument(std::string(name) + ": " + message, name);
}

std::optional<std::string> QueryArgs::String(const char* name) {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::optional<std::int64_t> QueryArgs::Int(const char* name, std::int64_t min, std::int64_t max) {
  auto s = String(name);
  if (!s || s->empty()) return std::nullopt;
  auto v = ParseInt64(*s);
  if (!v) {
    Fail(name, "must be an integer");
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    Fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> QueryArgs::Bool(const char* name) {
  auto s = String(name);
  if (!s || s->empty()) return std::nullopt;
  if (EqualsIgnoreCase(*s, "true") || *s == "1") return true;
  if (EqualsIgnoreCase(*s, "false") || *s == "0") return false;
  Fail(name, "must be true or false");
  return std::nullopt;
}

std::vector<std::string> QueryArgs::List(const char* name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : params_) {
    if (k != name) continue;
    for (std::string_view piece : Split(v, ',')) {
      piece = TrimSpace(piece);
      if (!piece.empty()) out.emplace_back(piece);
    }
  }
  return out;
}

std::vector<std::string> QueryArgs::Enum(const char* name, const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const auto& v : List(name)) {
    bool found = false;
    for (const auto& a : allowed) {
      if (EqualsIgnoreCase(v, a)) {
        out.push_back(a);
        found = true;
        break;
      }
    }
    if (!found) {
      std::string all;
      for (const auto& a : allowed) all += (all.empty() ? "" : ", ") + a;
      Fail(name, "unknown value '" + v + "' (one of " + all + ")");
    }
  }
  return out;
}

PageRequest ReadPage(QueryArgs& args, std::int64_t max_limit) {
  PageRequest p;
  p.limit = args.Int("limit", 1, max_limit).value_or(50);
  auto cursor = args.String("cursor");
  if (cursor && !cursor->empty()) {
    // The cursor is opaque to clients; today it carries the offset of the next page.
    auto decoded = Base64Decode(*cursor);
    std::optional<std::int64_t> offset;
    if (decoded && decoded->rfind("o:", 0) == 0) offset = ParseInt64(decoded->substr(2));
    if (!offset || *offset < 0) {
      args.Fail("cursor", "not a cursor from a previous page");
    } else {
      p.offset = *offset;
    }
  }
  return p;
}

std::string NextCursor(const PageRequest& page, std::int64_t total) {
  std::int64_t next = page.offset + page.limit;
  if (next >= total) return {};
  std::string c = Base64Encode("o:" + std::to_string(next));
  while (!c.empty() && c.back() == '=') c.pop_back();
  for (char& ch : c) {
    if (ch == '+') ch = '-';
    if (ch == '/') ch = '_';
  }
  return c;
}

TimeRange ReadTimeRange(QueryArgs& args) {
  TimeRange r;
  r.from = args.Int("from", 0, kMaxTs);
  r.to = args.Int("to", 0, kMaxTs);
  if (r.from && r.to && *r.from > *r.to) args.Fail("from", "must not be after 'to'");
  return r;
}

}  // namespace warden
