#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace warden::sqlite {

// API key statements, run on one connection.

// InvalidArgument for an empty id or secret hash; AlreadyExists when the id or the secret hash
// is taken.
Status InsertApiKey(Connection& conn, const ApiKey& key);
// Every key, oldest first (created_at, then id).
Result<std::vector<ApiKey>> ReadApiKeys(Connection& conn);
// Sets last_used_at to `used_at` unless it is already later. NotFound for an unknown id.
Status UpdateApiKeyLastUsed(Connection& conn, const std::string& id, std::int64_t used_at);
// Sets the revoked flag. NotFound for an unknown id.
Status MarkApiKeyRevoked(Connection& conn, const std::string& id);

}  // namespace warden::sqlite
