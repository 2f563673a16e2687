#include "actors/mmdb.h"

#include <maxminddb.h>

#include <string>

#include "common/strings.h"

namespace warden {

struct MmdbDatabase::Impl {
  MMDB_s db{};
};

MmdbDatabase::MmdbDatabase(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

MmdbDatabase::~MmdbDatabase() {
  if (impl_) MMDB_close(&impl_->db);
}

Result<std::unique_ptr<MmdbDatabase>> MmdbDatabase::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &impl->db);
  if (rc != MMDB_SUCCESS) {
    return Status::IoError("cannot open MaxMind database " + path + ": " + MMDB_strerror(rc));
  }
  return std::unique_ptr<MmdbDatabase>(new MmdbDatabase(path, std::move(impl)));
}

namespace {

// The string at `path` under `entry`, or "" when absent or not a string.
std::string StringAt(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data) return {};
  if (data.type != MMDB_DATA_TYPE_UTF8_STRING) return {};
  return SanitizeUtf8(std::string_view(data.utf8_string, data.data_size));
}

std::int64_t UintAt(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data) return 0;
  switch (data.type) {
    case MMDB_DATA_TYPE_UINT16:
      return data.uint16;
    case MMDB_DATA_TYPE_UINT32:
      return data.uint32;
    case MMDB_DATA_TYPE_UINT64:
      return static_cast<std::int64_t>(data.uint64);
    default:
      return 0;
  }
}

}  // namespace

bool MmdbDatabase::Lookup(std::string_view ip, IpInfo* out) const {
  std::string text(TrimSpace(ip));
  if (text.empty()) return false;
  int gai_error = 0;
  int mmdb_error = MMDB_SUCCESS;
  MMDB_lookup_result_s result =
      MMDB_lookup_string(&impl_->db, text.c_str(), &gai_error, &mmdb_error);
  if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !result.found_entry) return false;

  static const char* const kCountry[] = {"country", "iso_code", nullptr};
  static const char* const kCity[] = {"city", "names", "en", nullptr};
  static const char* const kRegion[] = {"subdivisions", "0", "names", "en", nullptr};
  static const char* const kAsn[] = {"autonomous_system_number", nullptr};
  static const char* const kOrg[] = {"autonomous_system_organization", nullptr};

  std::string country = StringAt(&result.entry, kCountry);
  if (country.size() == 2) out->country = AsciiUppered(country);
  std::string city = StringAt(&result.entry, kCity);
  if (!city.empty()) out->city = std::move(city);
  std::string region = StringAt(&result.entry, kRegion);
  if (!region.empty()) out->region = std::move(region);
  std::int64_t asn = UintAt(&result.entry, kAsn);
  if (asn > 0) out->asn = asn;
  std::string org = StringAt(&result.entry, kOrg);
  if (!org.empty()) out->org = std::move(org);
  return true;
}

}  // namespace warden
