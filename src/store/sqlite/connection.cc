#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>

#include "common/strings.h"

namespace warden::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view op) {
  std::string message(op);
  message += ": ";
  // sqlite3_errmsg describes the most recent failure on the connection; fall back to the
  // generic text when the code did not come from it (bind errors, for instance, do).
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) {
    message += sqlite3_errmsg(db);
  } else {
    message += sqlite3_errstr(rc);
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(std::move(message));
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(std::move(message));
      }
      return Status::InvalidArgument(std::move(message));
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::IoError(std::move(message));
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

// ---- Statement ----------------------------------------------------------------------------

Statement::Statement(Connection* conn, sqlite3_stmt* stmt, bool* in_use, std::string_view op)
    : conn_(conn), stmt_(stmt), in_use_(in_use), op_(op) {}

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      op_(std::move(other.op_)),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::BindInt(int index, std::int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(v));
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindDouble(int index, double v) {
  int rc = sqlite3_bind_double(stmt_, index, v);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindText(int index, std::string_view v) {
  // A non-null pointer even for "" so the value is '' and not NULL.
  const char* data = v.empty() ? "" : v.data();
  int rc = sqlite3_bind_text64(stmt_, index, data, v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(nullptr, bind_rc_, op_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(conn_->db(), rc, op_);
}

Status Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

std::int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::Text(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view Statement::TextView(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

// ---- Connection ---------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectionOptions& options) {
  std::string op = "open " + options.path;
  if (sqlite3_threadsafe() == 0) {
    return Status::FailedPrecondition(op + ": SQLite was built without thread support");
  }
  // NOMUTEX: each connection is used by one thread at a time (the store's locks ensure it).
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteError(db, rc, op);
    sqlite3_close_v2(db);
    return st;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  std::unique_ptr<Connection> conn(new Connection(db, options.statement_cache_size));

  // Pragmas are fixed text without values.
  if (!options.read_only) {
    // journal_mode returns the resulting mode: insist on WAL.
    Result<Statement> wal = conn->Prepare("PRAGMA journal_mode=WAL", op);
    if (!wal.ok()) return wal.status();
    Result<bool> row = wal->Step();
    if (!row.ok()) return row.status();
    if (!*row || wal->Text(0) != "wal") {
      return Status::FailedPrecondition(op + ": cannot switch to WAL journal mode");
    }
  }
  WARDEN_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", op));
  // Numbers from the options, not from outside input.
  WARDEN_RETURN_IF_ERROR(conn->Exec(
      "PRAGMA cache_size=" + std::to_string(-std::max<std::int64_t>(0, options.cache_kib)) +
          "; PRAGMA mmap_size=" + std::to_string(std::max<std::int64_t>(0, options.mmap_bytes)) +
          ";",
      op));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  sqlite3_close_v2(db_);
}

void Connection::EvictIdle() {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (it->second.in_use) {
      ++it;
    } else {
      sqlite3_finalize(it->second.stmt);
      it = cache_.erase(it);
    }
  }
}

Result<Statement> Connection::Prepare(std::string_view sql, std::string_view op) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second.in_use, op);
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, op);
  if (stmt == nullptr) return Status::Internal(std::string(op) + ": empty SQL statement");
  if (tail != nullptr) {
    std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (!TrimSpace(rest).empty()) {
      sqlite3_finalize(stmt);
      return Status::Internal(std::string(op) + ": more than one SQL statement in one Prepare");
    }
  }
  // A statement already borrowed (same SQL used twice at once) gets a private copy.
  if (it != cache_.end()) return Statement(this, stmt, nullptr, op);
  if (cache_.size() >= cache_size_) EvictIdle();
  if (cache_.size() >= cache_size_) return Statement(this, stmt, nullptr, op);
  auto [slot, inserted] = cache_.emplace(std::string(sql), Cached{stmt, true});
  (void)inserted;
  return Statement(this, stmt, &slot->second.in_use, op);
}

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

Status Connection::Exec(const std::string& sql, std::string_view op) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  Status st = SqliteError(db_, rc, op);
  sqlite3_free(error);
  return st;
}

// ---- Transaction --------------------------------------------------------------------------

Result<Transaction> Transaction::Begin(Connection& conn, Mode mode, std::string_view op) {
  Result<Statement> begin =
      conn.Prepare(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", op);
  if (!begin.ok()) return begin.status();
  WARDEN_RETURN_IF_ERROR(begin->Run());
  return Transaction(&conn, op);
}

Transaction::Transaction(Transaction&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)), op_(std::move(other.op_)) {}

Transaction::~Transaction() {
  if (conn_ == nullptr) return;
  // A failed statement may already have ended the transaction (SQLITE_FULL, for instance).
  if (sqlite3_get_autocommit(conn_->db()) != 0) return;
  Result<Statement> rollback = conn_->Prepare("ROLLBACK", op_);
  if (rollback.ok()) (void)rollback->Run();
}

Status Transaction::Commit() {
  if (conn_ == nullptr) return Status::Internal(op_ + ": transaction already finished");
  Result<Statement> commit = conn_->Prepare("COMMIT", op_);
  if (!commit.ok()) return commit.status();
  Status st = commit->Run();
  // On failure (busy, for instance) the transaction is still open; the destructor rolls it back.
  if (st.ok()) conn_ = nullptr;
  return st;
}

}  // namespace warden::sqlite
