#include "app/cli_support.h"

#include <cstdio>
#include <filesystem>

#include "app/commands.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {

std::string StorePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "warden.db").string();
}

Result<std::unique_ptr<Store>> OpenDataDirStore(const std::string& data_dir,
                                                const ScoringConfig& scoring) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return Status::InvalidArgument("cannot create " + data_dir + ": " + ec.message(), "data-dir");
  }
  SqliteOptions sqlite;
  sqlite.path = StorePath(data_dir);
  sqlite.scoring = scoring;
  auto store = OpenSqliteStore(sqlite);
  if (!store.ok()) return store.status();
  Status st = (*store)->Migrate();
  if (!st.ok()) return st.WithContext("migrating " + sqlite.path);
  return store;
}

Result<ParsedExchanges> ReadTraffic(const std::string& file, InputFormat format,
                                    const ParseOptions& options) {
  std::string error;
  auto data = ReadInput(file, &error);
  if (!data) return Status::IoError(error);
  auto parsed = ParseDocument(*data, format, options);
  if (!parsed.ok()) return parsed.status().WithContext(file);
  for (const auto& r : parsed->rejected) {
    std::fprintf(stderr, "warning: skipped record %zu: %s\n", r.index, r.message.c_str());
  }
  return parsed;
}

}  // namespace warden
