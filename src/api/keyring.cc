#include "api/keyring.h"

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"

namespace warden {

namespace {

std::string NewSecret() {
  std::string b64 = Base64Encode(RandomBytes(32));
  std::string out = "wdn_";
  for (char c : b64) {
    if (c == '+') {
      out.push_back('-');
    } else if (c == '/') {
      out.push_back('_');
    } else if (c != '=') {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Status KeyRing::Reload() {
  auto keys = store_->ListApiKeys();
  if (!keys.ok()) return keys.status();
  std::lock_guard<std::mutex> lock(mu_);
  keys_ = std::move(keys).value();
  return Status::Ok();
}

std::optional<Principal> KeyRing::Verify(std::string_view secret) {
  if (secret.empty() || secret.size() > 512) return std::nullopt;
  std::string digest = Sha256Hex(secret);
  std::optional<Principal> found;
  std::string touch_id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Compare against every key so timing does not depend on which one matched.
    for (const auto& k : keys_) {
      bool eq = ConstantTimeEquals(digest, k.secret_sha256);
      if (eq && !k.revoked && !found) found = Principal{k.id, k.name, k.role};
    }
    if (found) {
      std::int64_t now = clock_->NowSeconds();
      auto& last = last_touch_[found->key_id];
      if (now - last >= 60) {
        last = now;
        touch_id = found->key_id;
      }
    }
  }
  if (!touch_id.empty()) {
    Status st = store_->TouchApiKey(touch_id, clock_->NowSeconds());
    if (!st.ok()) spdlog::warn("recording key use failed: {}", st.ToString());
  }
  return found;
}

Result<NewKey> KeyRing::Create(const std::string& name, Role role,
                               const std::string& preset_secret) {
  NewKey nk;
  nk.secret = preset_secret.empty() ? NewSecret() : preset_secret;
  nk.key.id = HexEncode(RandomBytes(8));
  nk.key.name = name;
  nk.key.role = role;
  nk.key.secret_sha256 = Sha256Hex(nk.secret);
  nk.key.created_at = clock_->NowSeconds();
  WARDEN_RETURN_IF_ERROR(store_->CreateApiKey(nk.key));
  WARDEN_RETURN_IF_ERROR(Reload());
  return nk;
}

Status KeyRing::Revoke(const std::string& id) {
  WARDEN_RETURN_IF_ERROR(store_->RevokeApiKey(id));
  {
    // Refused at once, even if the reload below fails.
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& k : keys_) {
      if (k.id == id) k.revoked = true;
    }
  }
  return Reload();
}

Result<std::optional<NewKey>> KeyRing::EnsureAdminKey(const std::string& preset_secret) {
  auto keys = store_->ListApiKeys();
  if (!keys.ok()) return keys.status();
  if (!keys->empty()) {
    WARDEN_RETURN_IF_ERROR(Reload());
    return std::optional<NewKey>();
  }
  auto created = Create("admin", Role::kAdmin, preset_secret);
  if (!created.ok()) return created.status();
  return std::optional<NewKey>(std::move(created).value());
}

}  // namespace warden
