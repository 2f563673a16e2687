#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/actor.h"

namespace warden {

// MmdbDatabase reads a MaxMind-format (.mmdb) database through libmaxminddb, memory-mapped.
// It understands the GeoIP2/GeoLite2 City and Country layouts (`country.iso_code`,
// `city.names.en`, `subdivisions[0].names.en`) and the ASN layout
// (`autonomous_system_number`, `autonomous_system_organization`); a database may hold either or
// both. Immutable after Open; Lookup is thread-safe (libmaxminddb lookups only read).
class MmdbDatabase {
 public:
  // Opens `path`. IoError naming the file when it is missing or not a valid database.
  static Result<std::unique_ptr<MmdbDatabase>> Open(const std::string& path);
  ~MmdbDatabase();
  MmdbDatabase(const MmdbDatabase&) = delete;
  MmdbDatabase& operator=(const MmdbDatabase&) = delete;

  // Fills the fields of `out` the database knows for `ip` and leaves the others untouched.
  // Returns false when `ip` is not an address or the database has no entry for it.
  bool Lookup(std::string_view ip, IpInfo* out) const;

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  MmdbDatabase(std::string path, std::unique_ptr<Impl> impl);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden
