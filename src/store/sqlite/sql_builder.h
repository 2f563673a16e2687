#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "store/sqlite/connection.h"

namespace warden::sqlite {

using SqlValue = std::variant<std::int64_t, double, std::string>;

// The conditions of a WHERE clause, built from fixed SQL fragments with `?` placeholders. Values
// are collected in placeholder order and bound separately; they never enter the SQL text.
// IN lists are padded to a power-of-two length (repeating the last value, which IN ignores) so
// that the number of distinct statement texts, and of cached statements, stays small.
// Plain value type.
class Conditions {
 public:
  // ANDs `fragment`, which holds exactly one `?` per value, in order.
  void Add(std::string_view fragment, std::vector<SqlValue> values = {});
  // ANDs "column IN (?,...)"; does nothing when `values` is empty.
  void AddIn(std::string_view column, const std::vector<std::string>& values);
  void AddIn(std::string_view column, const std::vector<std::int64_t>& values);
  // ANDs "(c1 IN (...) OR c2 IN (...))"; does nothing when `values` is empty.
  void AddInAny(std::initializer_list<std::string_view> columns,
                const std::vector<std::string>& values);
  // ANDs "(c1 LIKE ? OR c2 LIKE ? ...)" matching `needle` anywhere, ASCII case-insensitively;
  // does nothing when `needle` is empty.
  void AddContains(std::initializer_list<std::string_view> columns, std::string_view needle);

  // " WHERE c1 AND c2 ..." or "" when there are no conditions.
  std::string WhereClause() const;
  // " AND c1 AND c2 ..." or "", to extend a WHERE clause the caller wrote.
  std::string AndClause() const;
  const std::vector<SqlValue>& values() const { return values_; }

  // "(?,?,?,?)" for `n` values padded to a power of two (n >= 1).
  static std::string InPlaceholders(std::size_t n);
  // `values` padded like InPlaceholders.
  static std::vector<SqlValue> Padded(const std::vector<std::string>& values);
  static std::vector<SqlValue> Padded(const std::vector<std::int64_t>& values);

 private:
  std::vector<std::string> fragments_;
  std::vector<SqlValue> values_;
};

// Binds `values` to parameters first, first + 1, ...; returns the next free index.
int BindValues(Statement& st, const std::vector<SqlValue>& values, int first = 1);

// Runs `sql` with `values` bound and calls fn(statement) per row; `op` names the operation in
// errors.
template <typename Fn>
Status ForEachRow(Connection& conn, const std::string& sql, const std::vector<SqlValue>& values,
                  std::string_view op, Fn fn) {
  Result<Statement> st = conn.Prepare(sql, op);
  if (!st.ok()) return st.status();
  BindValues(*st, values);
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    fn(*st);
  }
}

// `values` with `extra` appended (one more bound parameter after a built condition's).
inline std::vector<SqlValue> With(std::vector<SqlValue> values, SqlValue extra) {
  values.push_back(std::move(extra));
  return values;
}

// A set of strings that finds a string_view without copying it.
struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
};
using StringSet = std::unordered_set<std::string, StringViewHash, std::equal_to<>>;
// A map from strings that finds a string_view without copying it.
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringViewHash, std::equal_to<>>;

// Adds `v` to `set`, copying it only when it is new.
inline void AddView(StringSet& set, std::string_view v) {
  if (set.find(v) == set.end()) set.emplace(v);
}

// The entry for `key` in `map`, default-made (and the key copied) when new; `fresh` says so.
template <typename V>
V& EntryFor(StringMap<V>& map, std::string_view key, bool* fresh = nullptr) {
  auto it = map.find(key);
  if (fresh != nullptr) *fresh = it == map.end();
  if (it == map.end()) it = map.emplace(std::string(key), V{}).first;
  return it->second;
}

// Numbers distinct strings 0, 1, 2, ... in the order they are first given, copying each once.
// Grouping code turns a row's actor into its id with one hash probe and then counts distinct
// (group, id) pairs in a DistinctPairs, instead of probing a string set per group. The strings
// live in one buffer and the table is open-addressed: no allocation per string. Not thread-safe.
class StringIds {
 public:
  std::uint32_t Id(std::string_view v);
  std::size_t size() const { return spans_.size(); }

 private:
  struct Span {
    std::size_t offset = 0;
    std::size_t size = 0;
    std::uint64_t hash = 0;
  };
  void Grow();

  std::string bytes_;                 // every string, end to end
  std::vector<Span> spans_;           // by id
  std::vector<std::uint32_t> slots_;  // id + 1; 0 = empty
};

// A set of (group, member) pairs of 32-bit ids in one open-addressing table (no allocation per
// pair). Not thread-safe.
class DistinctPairs {
 public:
  // True when the pair was not there before.
  bool Add(std::uint32_t group, std::uint32_t member);
  std::size_t size() const { return used_; }

 private:
  void Grow();

  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::vector<std::uint64_t> slots_;
  std::size_t used_ = 0;
};

// The countries of the actors in `actors` last seen at or after `since` (all when absent), with
// how many of them each; read in one pass over those actors (an actor's last_seen is at or after
// each of its events, so `since` may be the start of the events' range).
Status CountActorCountries(Connection& conn, const StringSet& actors,
                           std::optional<std::int64_t> since, std::string_view op,
                           std::map<std::string, std::int64_t>* out);

// One key for an endpoint read as four adjacent columns (collection id, host, method, template)
// starting at `first`, for grouping rows in C++; written over `*key` (reusing its buffer).
void EndpointKeyAt(const Statement& st, int first, std::string* key);

// `a` then `b`.
inline std::vector<SqlValue> Concat(std::vector<SqlValue> a, const std::vector<SqlValue>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace warden::sqlite
