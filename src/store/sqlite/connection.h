#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace warden::sqlite {

// Status for an SQLite result code, naming the operation: "write batch: UNIQUE constraint
// failed: events.id". `db` may be null (then only the code is described).
// Busy/locked -> kUnavailable, unique/primary-key violations -> kAlreadyExists, other constraint
// violations -> kInvalidArgument, I/O and disk problems -> kIoError, the rest -> kInternal.
Status SqliteError(sqlite3* db, int rc, std::string_view op);

class Connection;

// A prepared statement borrowed from a Connection's cache. Destruction resets it and clears its
// bindings (or finalizes it when it was not cached), so the next borrower starts clean.
// Move-only; used only by the thread that holds the Connection. Bind errors are remembered and
// reported by the next Step()/Run().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  void BindInt(int index, std::int64_t v);
  void BindDouble(int index, double v);
  void BindText(int index, std::string_view v);
  void BindNull(int index);

  // Steps once: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps until done, ignoring rows.
  Status Run();

  // Columns of the current row, 0-based. NULL reads as 0 / "".
  std::int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  // The column's text without a copy: valid until the next Step, Reset or column call.
  std::string_view TextView(int col) const;
  bool IsNull(int col) const;

 private:
  friend class Connection;
  Statement(Connection* conn, sqlite3_stmt* stmt, bool* in_use, std::string_view op);

  Connection* conn_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag; null when the statement is owned (finalized at end)
  std::string op_;
  int bind_rc_ = 0;  // first failing bind, or SQLITE_OK
};

struct ConnectionOptions {
  std::string path;
  bool read_only = false;
  int busy_timeout_ms = 5000;
  std::size_t statement_cache_size = 64;
  std::int64_t cache_kib = 2000;  // page cache (PRAGMA cache_size = -cache_kib)
  std::int64_t mmap_bytes = 0;    // memory-mapped reads of the database file (PRAGMA mmap_size)
};

// One SQLite connection with its prepared-statement cache. Not thread-safe: the owner (the
// store's writer lock or a reader lease) guarantees one thread at a time. Writable connections
// set journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON; all set busy_timeout.
class Connection {
 public:
  // Opens (creating unless read-only) the database file at options.path.
  static Result<std::unique_ptr<Connection>> Open(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Borrows the cached statement for `sql`, preparing it on first use. `op` names the caller's
  // operation in error messages. The text must hold exactly one statement and no values.
  Result<Statement> Prepare(std::string_view sql, std::string_view op);

  // Runs fixed SQL text (possibly several statements) without parameters, e.g. a migration.
  Status Exec(const std::string& sql, std::string_view op);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t Changes() const;

  sqlite3* db() const { return db_; }

 private:
  Connection(sqlite3* db, std::size_t cache_size) : db_(db), cache_size_(cache_size) {}
  void EvictIdle();

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* db_;
  std::size_t cache_size_;
  // Keyed by SQL text. Node-based, so `in_use` flags handed to Statements stay put on rehash.
  std::unordered_map<std::string, Cached> cache_;
};

// A transaction on one connection: rolls back on destruction unless committed.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };
  static Result<Transaction> Begin(Connection& conn, Mode mode, std::string_view op);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  Transaction(Connection* conn, std::string_view op) : conn_(conn), op_(op) {}
  Connection* conn_;  // null once committed, rolled back or moved from
  std::string op_;
};

}  // namespace warden::sqlite
