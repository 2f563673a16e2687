#pragma once

#include <memory>
#include <optional>
#include <string>

#include "actors/scoring.h"
#include "common/status.h"
#include "ingest/formats.h"
#include "store/store.h"

// Steps several CLI commands share. Errors are printed to stderr by the callers.
namespace warden {

// Creates `data_dir` if needed, opens its SQLite store (warden.db) with `scoring` (how the store
// decays scores and maps them to threat levels) and applies migrations.
Result<std::unique_ptr<Store>> OpenDataDirStore(const std::string& data_dir,
                                                const ScoringConfig& scoring = {});

// The store file inside a data directory.
std::string StorePath(const std::string& data_dir);

// Reads and parses a traffic file ("-" = stdin). Records that could not be parsed are reported
// on stderr as warnings; a document that cannot be parsed at all is an error naming the file.
Result<ParsedExchanges> ReadTraffic(const std::string& file, InputFormat format,
                                    const ParseOptions& options);

}  // namespace warden
