#include "actors/enrich.h"

#include "common/log.h"

namespace warden {

namespace {

constexpr std::string_view kReputations[] = {"", "low", "medium", "high", "critical"};
constexpr std::string_view kIpTypes[] = {"", "datacenter", "vpn", "tor", "proxy"};

void RaiseReputation(IpInfo* info, const std::string& reputation) {
  if (ReputationRank(reputation) > ReputationRank(info->reputation)) info->reputation = reputation;
}

Status CheckLabels(const IpListConfig& list, std::string_view what) {
  if (!ValidIpType(list.ip_type)) {
    return Status::InvalidArgument(std::string(what) + " " + list.path + ": type '" + list.ip_type +
                                       "' (use datacenter, vpn, tor or proxy)",
                                   std::string(what));
  }
  if (!ValidReputation(list.reputation)) {
    return Status::InvalidArgument(std::string(what) + " " + list.path + ": reputation '" +
                                       list.reputation + "' (use low, medium, high or critical)",
                                   std::string(what));
  }
  return Status::Ok();
}

}  // namespace

bool ValidReputation(std::string_view r) { return ReputationRank(r) >= 0; }

bool ValidIpType(std::string_view t) {
  for (std::string_view k : kIpTypes) {
    if (t == k) return true;
  }
  return false;
}

int ReputationRank(std::string_view r) {
  for (int i = 0; i < 5; ++i) {
    if (r == kReputations[i]) return i;
  }
  return -1;
}

void Enricher::SetTorExits(IpRangeSet exits, std::string reputation) {
  tor_ = std::move(exits);
  tor_reputation_ = std::move(reputation);
  has_tor_ = true;
}

void Enricher::AddIpList(IpRangeSet set, std::string ip_type, std::string reputation) {
  ip_lists_.push_back(IpList{std::move(set), std::move(ip_type), std::move(reputation)});
}

void Enricher::AddAsnList(AsnSet set, std::string ip_type, std::string reputation) {
  asn_lists_.push_back(AsnList{std::move(set), std::move(ip_type), std::move(reputation)});
}

Result<std::unique_ptr<Enricher>> Enricher::Load(const EnrichmentConfig& config) {
  auto e = std::make_unique<Enricher>();
  if (!config.geoip.empty() || !config.geoip6.empty()) {
    auto geo = GeoCountryDb::Load(config.geoip, config.geoip6);
    if (geo.ok()) {
      e->geo_ = std::move(geo).value();
    } else {
      spdlog::warn("country ranges not loaded: {}", geo.status().ToString());
    }
  }
  for (const auto& path : config.mmdb) {
    auto db = MmdbDatabase::Open(path);
    if (!db.ok()) return db.status();
    e->mmdb_.push_back(std::move(db).value());
  }
  if (!config.tor_exit_list.empty()) {
    if (!ValidReputation(config.tor_reputation)) {
      return Status::InvalidArgument("enrichment.tor_reputation: '" + config.tor_reputation + "'",
                                     "enrichment.tor_reputation");
    }
    auto exits = IpRangeSet::Load(config.tor_exit_list);
    if (!exits.ok()) return exits.status();
    e->SetTorExits(std::move(exits).value(), config.tor_reputation);
  }
  for (const auto& list : config.ip_lists) {
    WARDEN_RETURN_IF_ERROR(CheckLabels(list, "enrichment.ip_lists"));
    auto set = IpRangeSet::Load(list.path);
    if (!set.ok()) return set.status();
    e->AddIpList(std::move(set).value(), list.ip_type, list.reputation);
  }
  for (const auto& list : config.asn_lists) {
    WARDEN_RETURN_IF_ERROR(CheckLabels(list, "enrichment.asn_lists"));
    auto set = AsnSet::Load(list.path);
    if (!set.ok()) return set.status();
    e->AddAsnList(std::move(set).value(), list.ip_type, list.reputation);
  }
  return e;
}

std::string Enricher::Country(std::string_view ip) const {
  for (const auto& db : mmdb_) {
    IpInfo info;
    if (db->Lookup(ip, &info) && !info.country.empty()) return info.country;
  }
  return geo_.Lookup(ip);
}

IpInfo Enricher::Lookup(std::string_view ip) const {
  IpInfo info;
  for (const auto& db : mmdb_) db->Lookup(ip, &info);
  if (info.country.empty()) info.country = geo_.Lookup(ip);
  if (has_tor_ && tor_.Contains(ip)) {
    info.ip_type = "tor";
    RaiseReputation(&info, tor_reputation_);
  }
  for (const auto& list : ip_lists_) {
    if (!list.set.Contains(ip)) continue;
    if (info.ip_type.empty()) info.ip_type = list.ip_type;
    RaiseReputation(&info, list.reputation);
  }
  for (const auto& list : asn_lists_) {
    if (!list.set.Contains(info.asn)) continue;
    if (info.ip_type.empty()) info.ip_type = list.ip_type;
    RaiseReputation(&info, list.reputation);
  }
  return info;
}

}  // namespace warden
