#include "store/sqlite/sql_builder.h"

#include <charconv>
#include <iterator>
#include <utility>

namespace warden::sqlite {
namespace {

std::size_t PaddedSize(std::size_t n) {
  std::size_t size = 1;
  while (size < n) size *= 2;
  return size;
}

template <typename T>
std::vector<SqlValue> PadValues(const std::vector<T>& values) {
  std::vector<SqlValue> out;
  if (values.empty()) return out;
  std::size_t size = PaddedSize(values.size());
  out.reserve(size);
  for (const T& v : values) out.emplace_back(v);
  while (out.size() < size) out.emplace_back(values.back());
  return out;
}

// Escapes LIKE wildcards; the fragments use ESCAPE '\'.
std::string LikePattern(std::string_view needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string Conditions::InPlaceholders(std::size_t n) {
  std::size_t size = PaddedSize(n);
  std::string out = "(";
  for (std::size_t i = 0; i < size; ++i) out += i == 0 ? "?" : ",?";
  out += ")";
  return out;
}

std::vector<SqlValue> Conditions::Padded(const std::vector<std::string>& values) {
  return PadValues(values);
}

std::vector<SqlValue> Conditions::Padded(const std::vector<std::int64_t>& values) {
  return PadValues(values);
}

void Conditions::Add(std::string_view fragment, std::vector<SqlValue> values) {
  fragments_.emplace_back(fragment);
  for (SqlValue& v : values) values_.push_back(std::move(v));
}

void Conditions::AddIn(std::string_view column, const std::vector<std::string>& values) {
  if (values.empty()) return;
  Add(std::string(column) + " IN " + InPlaceholders(values.size()), Padded(values));
}

void Conditions::AddIn(std::string_view column, const std::vector<std::int64_t>& values) {
  if (values.empty()) return;
  Add(std::string(column) + " IN " + InPlaceholders(values.size()), Padded(values));
}

void Conditions::AddInAny(std::initializer_list<std::string_view> columns,
                          const std::vector<std::string>& values) {
  if (values.empty() || columns.size() == 0) return;
  std::vector<std::string> parts;
  std::vector<SqlValue> all;
  for (std::string_view column : columns) {
    parts.push_back(std::string(column) + " IN " + InPlaceholders(values.size()));
    for (SqlValue& v : Padded(values)) all.push_back(std::move(v));
  }
  Add("(" + Join(parts, " OR ") + ")", std::move(all));
}

void Conditions::AddContains(std::initializer_list<std::string_view> columns,
                             std::string_view needle) {
  if (needle.empty() || columns.size() == 0) return;
  std::string pattern = LikePattern(needle);
  std::vector<std::string> parts;
  std::vector<SqlValue> all;
  for (std::string_view column : columns) {
    parts.push_back(std::string(column) + " LIKE ? ESCAPE '\\'");
    all.emplace_back(pattern);
  }
  Add("(" + Join(parts, " OR ") + ")", std::move(all));
}

std::string Conditions::WhereClause() const {
  if (fragments_.empty()) return {};
  return " WHERE " + Join(fragments_, " AND ");
}

std::string Conditions::AndClause() const {
  if (fragments_.empty()) return {};
  return " AND " + Join(fragments_, " AND ");
}

int BindValues(Statement& st, const std::vector<SqlValue>& values, int first) {
  int index = first;
  for (const SqlValue& v : values) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      st.BindInt(index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      st.BindDouble(index, *d);
    } else {
      st.BindText(index, std::get<std::string>(v));
    }
    ++index;
  }
  return index;
}

Status CountActorCountries(Connection& conn, const StringSet& actors,
                           std::optional<std::int64_t> since, std::string_view op,
                           std::map<std::string, std::int64_t>* out) {
  if (actors.empty()) return Status::Ok();
  Conditions seen;
  if (since) seen.Add("last_seen >= ?", {*since});
  return ForEachRow(conn, "SELECT id, country FROM actors" + seen.WhereClause(), seen.values(), op,
                    [&](const Statement& st) {
                      if (actors.find(st.TextView(0)) != actors.end()) ++(*out)[st.Text(1)];
                    });
}

namespace {

std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

}  // namespace

std::uint32_t StringIds::Id(std::string_view v) {
  if ((spans_.size() + 1) * 2 > slots_.size()) Grow();
  const std::uint64_t hash = std::hash<std::string_view>{}(v);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Mix(hash) & mask;; i = (i + 1) & mask) {
    std::uint32_t slot = slots_[i];
    if (slot == 0) {
      auto id = static_cast<std::uint32_t>(spans_.size());
      spans_.push_back(Span{.offset = bytes_.size(), .size = v.size(), .hash = hash});
      bytes_.append(v);
      slots_[i] = id + 1;
      return id;
    }
    const Span& span = spans_[slot - 1];
    if (span.hash == hash && std::string_view(bytes_).substr(span.offset, span.size) == v) {
      return slot - 1;
    }
  }
}

void StringIds::Grow() {
  slots_.assign(slots_.empty() ? 1024 : slots_.size() * 2, 0);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t id = 0; id < spans_.size(); ++id) {
    std::size_t i = Mix(spans_[id].hash) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<std::uint32_t>(id + 1);
  }
}

bool DistinctPairs::Add(std::uint32_t group, std::uint32_t member) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  // (2^32 - 1, 2^32 - 1) would be kEmpty: no caller has four billion groups and members.
  const std::uint64_t key = (std::uint64_t{group} << 32) | member;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == key) return false;
    if (slots_[i] == kEmpty) {
      slots_[i] = key;
      ++used_;
      return true;
    }
  }
}

void DistinctPairs::Grow() {
  std::vector<std::uint64_t> old(slots_.empty() ? 1024 : slots_.size() * 2, kEmpty);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (std::uint64_t key : old) {
    if (key == kEmpty) continue;
    std::size_t i = Mix(key) & mask;
    while (slots_[i] != kEmpty) i = (i + 1) & mask;
    slots_[i] = key;
  }
}

void EndpointKeyAt(const Statement& st, int first, std::string* key) {
  char digits[24];
  auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), st.Int(first));
  key->assign(digits, end);
  for (int c = first + 1; c <= first + 3; ++c) (*key += '\x1f') += st.TextView(c);
}

}  // namespace warden::sqlite
