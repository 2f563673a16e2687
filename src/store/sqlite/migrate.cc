#include "store/sqlite/migrate.h"

#include <string>

namespace warden::sqlite {
namespace {

constexpr char kOp[] = "migrate";

std::string MigrationName(const Migration& m) {
  std::string version = std::to_string(m.version);
  if (version.size() < 4) version.insert(0, 4 - version.size(), '0');
  return version + "_" + std::string(m.name);
}

Result<bool> IsApplied(Connection& conn, int version) {
  Result<Statement> st = conn.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?", kOp);
  if (!st.ok()) return st.status();
  st->BindInt(1, version);
  return st->Step();
}

Result<std::int64_t> NewestApplied(Connection& conn) {
  Result<Statement> st =
      conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations", kOp);
  if (!st.ok()) return st.status();
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  return *row ? st->Int(0) : 0;
}

}  // namespace

Status ApplyMigrations(Connection& conn, std::span<const Migration> migrations,
                       std::int64_t applied_at) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return Status::Internal("migrate: embedded migrations out of order at " + MigrationName(m));
    }
    previous = m.version;
  }
  WARDEN_RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                kOp));

  Result<std::int64_t> newest = NewestApplied(conn);
  if (!newest.ok()) return newest.status();
  if (*newest > previous) {
    return Status::FailedPrecondition("migrate: database schema version " +
                                      std::to_string(*newest) + " is newer than this build (" +
                                      std::to_string(previous) + ")");
  }

  for (const Migration& m : migrations) {
    std::string name = MigrationName(m);
    Result<Transaction> txn = Transaction::Begin(conn, Transaction::Mode::kImmediate, kOp);
    if (!txn.ok()) return txn.status().WithContext(name);
    Result<bool> applied = IsApplied(conn, m.version);
    if (!applied.ok()) return applied.status().WithContext(name);
    if (*applied) continue;  // the transaction rolls back: nothing was written

    Status st = conn.Exec(std::string(m.sql), std::string(kOp) + " " + name);
    if (!st.ok()) return st;
    Result<Statement> record = conn.Prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", kOp);
    if (!record.ok()) return record.status();
    record->BindInt(1, m.version);
    record->BindText(2, m.name);
    record->BindInt(3, applied_at);
    st = record->Run();
    if (!st.ok()) return st.WithContext(name);
    st = txn->Commit();
    if (!st.ok()) return st.WithContext(name);
  }
  return Status::Ok();
}

}  // namespace warden::sqlite
