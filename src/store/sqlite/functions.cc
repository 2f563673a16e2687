#include "store/sqlite/functions.h"

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_set>

#include "actors/status.h"
#include "model/actor.h"

namespace warden::sqlite {

namespace {

const FunctionContext& Ctx(sqlite3_context* c) {
  return *static_cast<const FunctionContext*>(sqlite3_user_data(c));
}

std::int64_t Now(sqlite3_context* c) { return Ctx(c).clock->NowSeconds(); }

void ResultText(sqlite3_context* c, std::string_view text) {
  sqlite3_result_text64(c, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void NowFn(sqlite3_context* c, int, sqlite3_value**) { sqlite3_result_int64(c, Now(c)); }

double ScoreNow(sqlite3_context* c, sqlite3_value** argv) {
  RunningScore running{sqlite3_value_double(argv[0]), sqlite3_value_int64(argv[1])};
  return ScoreAt(Ctx(c).scoring, running, Now(c));
}

void ScoreFn(sqlite3_context* c, int, sqlite3_value** argv) {
  sqlite3_result_double(c, ScoreNow(c, argv));
}

void LevelFn(sqlite3_context* c, int, sqlite3_value** argv) {
  ResultText(c, ThreatLevelName(LevelForScore(Ctx(c).scoring, ScoreNow(c, argv))));
}

void StatusFn(sqlite3_context* c, int, sqlite3_value** argv) {
  const unsigned char* text = sqlite3_value_text(argv[0]);
  std::string_view stored =
      text == nullptr ? std::string_view()
                      : std::string_view(reinterpret_cast<const char*>(text),
                                         static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
  std::optional<ActorStatus> status = ParseActorStatus(stored);
  if (!status) {
    ResultText(c, stored);  // let the reader report the corrupt value
    return;
  }
  ResultText(c, ActorStatusName(EffectiveStatus(*status, sqlite3_value_int64(argv[1]), Now(c))));
}

// warden_distinct(x): the number of distinct non-NULL values of x, as count(DISTINCT x), in a
// hash set instead of SQLite's temporary B-tree (several times faster on tens of thousands of
// rows). Values of different types stay distinct, as in SQLite: the key is the type and the bytes.
using DistinctSet = std::unordered_set<std::string>;

void DistinctStep(sqlite3_context* c, int, sqlite3_value** argv) {
  auto** set = static_cast<DistinctSet**>(sqlite3_aggregate_context(c, sizeof(DistinctSet*)));
  if (set == nullptr) {
    sqlite3_result_error_nomem(c);
    return;
  }
  int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return;
  if (*set == nullptr) *set = new DistinctSet();
  std::string key(1, static_cast<char>(type == SQLITE_FLOAT ? SQLITE_INTEGER : type));
  if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
    // Numbers compare by value across integer and real, as in SQLite (1 = 1.0).
    double d = sqlite3_value_double(argv[0]);
    std::int64_t i = sqlite3_value_int64(argv[0]);
    if (static_cast<double>(i) == d) {
      key += std::to_string(i);
    } else {
      key += 'r';
      key.append(reinterpret_cast<const char*>(&d), sizeof(d));
    }
  } else {
    const void* bytes = type == SQLITE_BLOB ? sqlite3_value_blob(argv[0])
                                            : static_cast<const void*>(sqlite3_value_text(argv[0]));
    int n = sqlite3_value_bytes(argv[0]);
    if (bytes != nullptr) key.append(static_cast<const char*>(bytes), static_cast<std::size_t>(n));
  }
  (*set)->insert(std::move(key));
}

void DistinctFinal(sqlite3_context* c) {
  auto** set = static_cast<DistinctSet**>(sqlite3_aggregate_context(c, 0));
  std::int64_t n = 0;
  if (set != nullptr && *set != nullptr) {
    n = static_cast<std::int64_t>((*set)->size());
    delete *set;
    *set = nullptr;
  }
  sqlite3_result_int64(c, n);
}

}  // namespace

Status RegisterFunctions(Connection& conn, const FunctionContext* context) {
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  void* data = const_cast<FunctionContext*>(context);
  for (Fn f : {Fn{"warden_now", 0, NowFn}, Fn{"warden_score", 2, ScoreFn},
               Fn{"warden_level", 2, LevelFn}, Fn{"warden_status", 2, StatusFn}}) {
    int rc = sqlite3_create_function_v2(conn.db(), f.name, f.args, SQLITE_UTF8, data, f.fn, nullptr,
                                        nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(conn.db(), rc, std::string("register SQL function ") + f.name);
    }
  }
  int rc = sqlite3_create_function_v2(conn.db(), "warden_distinct", 1, SQLITE_UTF8, nullptr,
                                      nullptr, DistinctStep, DistinctFinal, nullptr);
  if (rc != SQLITE_OK) return SqliteError(conn.db(), rc, "register SQL function warden_distinct");
  return Status::Ok();
}

}  // namespace warden::sqlite
