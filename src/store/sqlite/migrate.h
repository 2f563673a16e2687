#pragma once

#include <cstdint>
#include <span>

#include "common/status.h"
#include "store/migrations/migration.h"
#include "store/sqlite/connection.h"

namespace warden::sqlite {

// Applies the migrations of `migrations` (sorted by version) that schema_migrations does not list,
// each in its own IMMEDIATE transaction together with its schema_migrations row, stamped
// `applied_at` (Unix seconds). Idempotent, and safe against another process migrating at the
// same time (the version is re-checked inside the transaction). FailedPrecondition when the
// database has a version this binary does not know (it was written by a newer Warden).
// `conn` must be writable and not inside a transaction.
Status ApplyMigrations(Connection& conn, std::span<const Migration> migrations,
                       std::int64_t applied_at);

}  // namespace warden::sqlite
