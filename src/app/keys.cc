#include <cstdio>
#include <filesystem>

#include "api/keyring.h"
#include "app/commands.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {

int RunKeysCreate(const KeysCreateOptions& options) {
  auto role = ParseRole(options.role);
  if (!role) {
    std::fprintf(stderr, "error: --role: expected admin, analyst, viewer or sensor, got '%s'\n",
                 options.role.c_str());
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  SqliteOptions sqlite;
  sqlite.path = (std::filesystem::path(options.data_dir) / "warden.db").string();
  auto store = OpenSqliteStore(sqlite);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  Status st = (*store)->Migrate();
  if (!st.ok()) {
    std::fprintf(stderr, "error: %s\n", st.ToString().c_str());
    return 1;
  }
  KeyRing keys(store->get(), &SystemClock::Instance());
  std::string name = options.name.empty() ? options.role : options.name;
  auto created = keys.Create(name, *role);
  if (!created.ok()) {
    std::fprintf(stderr, "error: %s\n", created.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "created %s key '%s' (id %s); the key is shown once:\n",
               std::string(RoleName(*role)).c_str(), name.c_str(), created->key.id.c_str());
  std::printf("%s\n", created->secret.c_str());
  return 0;
}

}  // namespace warden
