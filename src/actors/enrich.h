#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/geo.h"
#include "actors/ip_lists.h"
#include "actors/mmdb.h"
#include "common/status.h"
#include "model/actor.h"

namespace warden {

// A user-supplied list that labels addresses (CIDR list) or networks (ASN list).
struct IpListConfig {
  std::string path;
  std::string ip_type;     // "datacenter", "vpn", "tor", "proxy" or "" (only a reputation)
  std::string reputation;  // "low", "medium", "high", "critical" or "" (only a type)
};

// Where enrichment data comes from. Empty paths are skipped. Plain configuration.
struct EnrichmentConfig {
  std::string geoip = GeoCountryDb::kDefaultIpv4Path;  // tor-geoipdb range files: country
  std::string geoip6 = GeoCountryDb::kDefaultIpv6Path;
  std::vector<std::string> mmdb;  // MaxMind-format City/Country and/or ASN databases
  std::string tor_exit_list;      // one address per line, or Tor's exit-addresses format
  std::string tor_reputation = "high";
  std::vector<IpListConfig> ip_lists;
  std::vector<IpListConfig> asn_lists;
};

// True for "", "low", "medium", "high", "critical".
bool ValidReputation(std::string_view r);
// True for "", "datacenter", "vpn", "tor", "proxy".
bool ValidIpType(std::string_view t);
// Rank of a reputation: "" 0, low 1 .. critical 4.
int ReputationRank(std::string_view r);

// Enricher answers what Warden knows about an IP address: country (from the .mmdb databases when
// they know it, else the tor-geoipdb ranges), city, region, ASN and organisation (.mmdb), type
// (Tor exit list first, then the CIDR lists, then the ASN lists, in configuration order) and
// reputation (the highest of every list that matches). Immutable once built; thread-safe; the
// lookups are in memory (the .mmdb files are memory-mapped), so detection workers may call it.
class Enricher {
 public:
  Enricher() = default;

  // Loads every configured source. A missing tor-geoipdb file is a warning (country lookup off),
  // as before; any other configured file that cannot be read or parsed is an error naming it.
  static Result<std::unique_ptr<Enricher>> Load(const EnrichmentConfig& config);

  // Building blocks (tests, embedded data).
  void SetCountryDb(GeoCountryDb db) { geo_ = std::move(db); }
  void AddMmdb(std::unique_ptr<MmdbDatabase> db) { mmdb_.push_back(std::move(db)); }
  void SetTorExits(IpRangeSet exits, std::string reputation);
  void AddIpList(IpRangeSet set, std::string ip_type, std::string reputation);
  void AddAsnList(AsnSet set, std::string ip_type, std::string reputation);

  // ISO-2 country or "".
  std::string Country(std::string_view ip) const;
  // Everything known about `ip`; empty fields when unknown.
  IpInfo Lookup(std::string_view ip) const;

 private:
  struct IpList {
    IpRangeSet set;
    std::string ip_type;
    std::string reputation;
  };
  struct AsnList {
    AsnSet set;
    std::string ip_type;
    std::string reputation;
  };

  GeoCountryDb geo_;
  std::vector<std::unique_ptr<MmdbDatabase>> mmdb_;
  bool has_tor_ = false;
  IpRangeSet tor_;
  std::string tor_reputation_;
  std::vector<IpList> ip_lists_;
  std::vector<AsnList> asn_lists_;
};

}  // namespace warden
