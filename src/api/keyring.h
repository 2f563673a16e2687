#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/router.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace warden {

// A newly created key: the secret is shown once and never stored.
struct NewKey {
  ApiKey key;
  std::string secret;
};

// KeyRing verifies API keys. It keeps the stored key hashes in memory (reloaded when keys
// change), compares SHA-256 digests in constant time and records last use (at most once a
// minute per key). Thread-safe; `mu_` guards `keys_` and `last_touch_`.
class KeyRing {
 public:
  KeyRing(Store* store, const Clock* clock) : store_(store), clock_(clock) {}

  // Loads keys from the store.
  Status Reload();

  // The principal for a presented secret, or nullopt when unknown or revoked.
  std::optional<Principal> Verify(std::string_view secret);

  // Creates a key with a random secret ("wdn_" + 43 base64url characters) or `preset_secret`.
  Result<NewKey> Create(const std::string& name, Role role, const std::string& preset_secret = {});

  // Revokes a key in the store and reloads, so the key is refused from the next request on.
  // NotFound for an unknown id.
  Status Revoke(const std::string& id);

  // On an empty key table creates the first admin key (named "admin") and returns it; returns
  // nullopt when keys already exist. `preset_secret` (from WARDEN_ADMIN_KEY) replaces the
  // random secret.
  Result<std::optional<NewKey>> EnsureAdminKey(const std::string& preset_secret);

 private:
  Store* store_;
  const Clock* clock_;
  std::mutex mu_;
  std::vector<ApiKey> keys_;
  std::unordered_map<std::string, std::int64_t> last_touch_;
};

}  // namespace warden
