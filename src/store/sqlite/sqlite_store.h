#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "actors/scoring.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace warden {

struct SqliteOptions {
  std::string path;            // the database file; created when missing (its directory must exist)
  int read_connections = 4;    // read-only connections serving queries, >= 1
  int busy_timeout_ms = 5000;  // wait for locks held by other processes
  std::size_t statement_cache_size = 64;  // prepared statements kept per connection
  // Per connection: SQLite's page cache, and how much of the file reads map into memory instead
  // of copying it page by page (the OS page cache backs both; 0 turns mapping off). The
  // dashboard queries scan a day of events (tens of MiB at a million events): without them
  // every query copies those pages from the OS again.
  std::int64_t cache_kib = 32 * 1024;
  std::int64_t mmap_bytes = std::int64_t{1} << 30;
  // "Now" for the store: stamps schema_migrations.applied_at and samples, decays scores, expires
  // statuses and suppressions in reads. null = the wall clock.
  const Clock* clock = nullptr;
  // How scores decay and map to threat levels (the pipeline computes the points with the same
  // configuration). Invalid values make OpenSqliteStore fail with InvalidArgument.
  ScoringConfig scoring;
};

// Opens the SQLite database at options.path (WAL, synchronous=NORMAL, foreign_keys=ON,
// busy_timeout) and returns a Store on it. Does not migrate: call Migrate() first.
// InvalidArgument for an empty path or read_connections < 1; IoError when the file cannot be
// opened or created. The returned store is thread-safe:
//   - one writable connection, guarded by a mutex, serves Migrate, Write and every other method
//     that changes data (so those calls are serialized);
//   - `read_connections` read-only connections serve the queries; a caller borrows one for the
//     duration of a call and waits when all are busy. WAL lets them read during writes; a
//     query sees one consistent snapshot.
// The clock, when given, must outlive the store.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace warden
