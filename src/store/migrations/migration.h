#pragma once

#include <span>
#include <string_view>

namespace warden {

// One numbered schema migration of a backend, embedded at build time from
// src/store/migrations/<backend>/NNNN_name.sql (see embed_migrations.cmake). Static storage.
// The backend runs each file in its own transaction, so files hold no BEGIN/COMMIT. A released
// file never changes: schema changes go into a new, higher-numbered file.
struct Migration {
  int version = 0;        // NNNN, strictly increasing, starting at 1
  std::string_view name;  // the file name between "NNNN_" and ".sql"
  std::string_view sql;   // the whole file; may hold several statements
};

// Every SQLite migration, sorted by version. Generated code.
std::span<const Migration> SqliteMigrations();

}  // namespace warden
