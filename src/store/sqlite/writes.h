#pragma once

#include "actors/scoring.h"
#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace warden::sqlite {

// What applying a batch needs besides the batch.
struct WriteContext {
  const ScoringConfig* scoring = nullptr;  // decay and levels for the ledger; must be set
  std::int64_t now = 0;                    // stamps samples
};

// Applies every part of `batch` on `conn`, which must be inside a write transaction (the caller
// commits or rolls back), in the order store.h gives. Stops at the first error, which names the
// batch item
// ("events[2] (id 9f…): UNIQUE constraint failed: events.id").
//
// Rollup minutes are floored to a multiple of 60. An event's payload goes to `samples` under its
// ref_id (the first payload stored for a ref_id wins); a payload without ref_id is
// InvalidArgument. Events with an existing id are AlreadyExists.
Status ApplyWriteBatch(Connection& conn, const WriteBatch& batch, const WriteContext& context);

// Writes one status-log row.
Status InsertStatusLog(Connection& conn, const ActorStatusLogEntry& entry);

}  // namespace warden::sqlite
