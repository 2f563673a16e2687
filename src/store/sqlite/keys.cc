#include "store/sqlite/keys.h"

#include <optional>
#include <string>
#include <utility>

namespace warden::sqlite {

Status InsertApiKey(Connection& conn, const ApiKey& key) {
  constexpr std::string_view kOp = "create api key";
  if (key.id.empty()) return Status::InvalidArgument("create api key: empty id", "id");
  if (key.secret_sha256.empty()) {
    return Status::InvalidArgument("create api key " + key.id + ": empty secret hash",
                                   "secret_sha256");
  }
  Result<Statement> st = conn.Prepare(
      "INSERT INTO api_keys (id, name, role, secret_sha256, created_at, last_used_at, revoked) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      std::string(kOp) + " " + key.id);
  if (!st.ok()) return st.status();
  st->BindText(1, key.id);
  st->BindText(2, key.name);
  st->BindText(3, RoleName(key.role));
  st->BindText(4, key.secret_sha256);
  st->BindInt(5, key.created_at);
  st->BindInt(6, key.last_used_at);
  st->BindInt(7, key.revoked ? 1 : 0);
  return st->Run();
}

Result<std::vector<ApiKey>> ReadApiKeys(Connection& conn) {
  constexpr std::string_view kOp = "list api keys";
  Result<Statement> st = conn.Prepare(
      "SELECT id, name, role, secret_sha256, created_at, last_used_at, revoked FROM api_keys "
      "ORDER BY created_at, id",
      kOp);
  if (!st.ok()) return st.status();
  std::vector<ApiKey> keys;
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ApiKey key;
    key.id = st->Text(0);
    key.name = st->Text(1);
    std::string role = st->Text(2);
    std::optional<Role> parsed = ParseRole(role);
    if (!parsed) {
      return Status::Internal("list api keys: key " + key.id + ": stored role '" + role +
                              "' is not valid");
    }
    key.role = *parsed;
    key.secret_sha256 = st->Text(3);
    key.created_at = st->Int(4);
    key.last_used_at = st->Int(5);
    key.revoked = st->Int(6) != 0;
    keys.push_back(std::move(key));
  }
  return keys;
}

Status UpdateApiKeyLastUsed(Connection& conn, const std::string& id, std::int64_t used_at) {
  constexpr std::string_view kOp = "touch api key";
  Result<Statement> st =
      conn.Prepare("UPDATE api_keys SET last_used_at = max(last_used_at, ?) WHERE id = ?", kOp);
  if (!st.ok()) return st.status();
  st->BindInt(1, used_at);
  st->BindText(2, id);
  WARDEN_RETURN_IF_ERROR(st->Run());
  if (conn.Changes() == 0) return Status::NotFound("touch api key: key " + id + " not found");
  return Status::Ok();
}

Status MarkApiKeyRevoked(Connection& conn, const std::string& id) {
  Result<Statement> st =
      conn.Prepare("UPDATE api_keys SET revoked = 1 WHERE id = ?", "revoke api key");
  if (!st.ok()) return st.status();
  st->BindText(1, id);
  WARDEN_RETURN_IF_ERROR(st->Run());
  if (conn.Changes() == 0) return Status::NotFound("revoke api key: key " + id + " not found");
  return Status::Ok();
}

}  // namespace warden::sqlite
