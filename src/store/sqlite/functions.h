#pragma once

#include "actors/scoring.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/sqlite/connection.h"

namespace warden::sqlite {

// What the SQL functions Warden registers on every connection read: the clock and the scoring
// configuration. Owned by the store; must outlive its connections. Immutable.
struct FunctionContext {
  const Clock* clock = nullptr;
  ScoringConfig scoring;
};

// Registers on `conn`:
//   warden_now()                          the clock, Unix seconds
//   warden_score(score, score_at)         the running score read now (actors/scoring.h ScoreAt)
//   warden_level(score, score_at)         its threat level name, "LOW".."CRITICAL"
//   warden_status(status, expires_at)     the status in force now (an expired SNOOZE /
//                                         SUSPEND reads "ACTIVE"; actors/status.h)
//   warden_distinct(x)                    aggregate: count(DISTINCT x) with a hash set
// They read the clock, so they are not deterministic: never use them in indexes or CHECKs.
Status RegisterFunctions(Connection& conn, const FunctionContext* context);

}  // namespace warden::sqlite
