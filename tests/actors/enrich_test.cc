#include "actors/enrich.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "actors/mmdb_writer.h"

namespace warden {
namespace {

using testing::BuildMmdb;
using testing::MmdbValue;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "warden-enrich-XXXXXX");
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

 private:
  std::filesystem::path path_;
};

std::string CityDb() {
  return BuildMmdb(
      {{"198.51.100.0/24",
        MmdbValue::Map{{"country", MmdbValue::Map{{"iso_code", "DE"}}},
                       {"city", MmdbValue::Map{{"names", MmdbValue::Map{{"en", "Berlin"}}}}},
                       {"subdivisions", MmdbValue::Array{MmdbValue::Map{
                                            {"names", MmdbValue::Map{{"en", "Land Berlin"}}}}}}}},
       {"203.0.113.7/32", MmdbValue::Map{{"country", MmdbValue::Map{{"iso_code", "fr"}}}}}},
      "GeoLite2-City");
}

std::string AsnDb() {
  return BuildMmdb(
      {{"198.51.100.0/25", MmdbValue::Map{{"autonomous_system_number", std::uint32_t{64500}},
                                          {"autonomous_system_organization", "Example Hosting"}}}},
      "GeoLite2-ASN");
}

TEST(MmdbTest, ReadsCityRegionCountryAsnAndOrganisation) {
  TempDir dir;
  auto city = MmdbDatabase::Open(dir.Write("city.mmdb", CityDb()));
  ASSERT_TRUE(city.ok()) << city.status().ToString();
  auto asn = MmdbDatabase::Open(dir.Write("asn.mmdb", AsnDb()));
  ASSERT_TRUE(asn.ok()) << asn.status().ToString();

  IpInfo info;
  EXPECT_TRUE((*city)->Lookup("198.51.100.20", &info));
  EXPECT_TRUE((*asn)->Lookup("198.51.100.20", &info));
  EXPECT_EQ(info.country, "DE");
  EXPECT_EQ(info.city, "Berlin");
  EXPECT_EQ(info.region, "Land Berlin");
  EXPECT_EQ(info.asn, 64500);
  EXPECT_EQ(info.org, "Example Hosting");

  IpInfo other;
  EXPECT_TRUE((*city)->Lookup("203.0.113.7", &other));
  EXPECT_EQ(other.country, "FR");                          // upper-cased
  EXPECT_FALSE((*asn)->Lookup("198.51.100.200", &other));  // outside the /25
  EXPECT_FALSE((*city)->Lookup("192.0.2.1", &other));
  EXPECT_FALSE((*city)->Lookup("not an ip", &other));
  EXPECT_FALSE((*city)->Lookup("2001:db8::1", &other));  // IPv4-only database
}

TEST(MmdbTest, MissingOrBrokenFilesAreErrorsNamingThem) {
  TempDir dir;
  auto missing = MmdbDatabase::Open("/nonexistent/city.mmdb");
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  EXPECT_NE(missing.status().message().find("/nonexistent/city.mmdb"), std::string::npos);
  auto broken = MmdbDatabase::Open(dir.Write("broken.mmdb", "not a database"));
  EXPECT_EQ(broken.status().code(), StatusCode::kIoError);
}

TEST(IpRangeSetTest, CidrsAddressesCommentsAndTorFormat) {
  auto set = IpRangeSet::Parse(
      "# datacenters\n"
      "203.0.113.0/24\n"
      "198.51.100.7   # one host\n"
      "2001:db8::/32\n"
      "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
      "ExitAddress 192.0.2.44 2024-01-01 10:00:00\n"
      "203.0.113.128/25\n",  // inside the /24: merged
      "list.txt");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  struct Case {
    const char* ip;
    bool want;
  };
  const Case cases[] = {{"203.0.113.0", true},        {"203.0.113.255", true},
                        {"203.0.114.0", false},       {"198.51.100.7", true},
                        {"198.51.100.8", false},      {"2001:db8:1::5", true},
                        {"2001:db9::1", false},       {"192.0.2.44", true},
                        {"::ffff:203.0.113.9", true}, {"garbage", false}};
  for (const Case& c : cases) EXPECT_EQ(set->Contains(c.ip), c.want) << c.ip;
}

TEST(IpRangeSetTest, MalformedLinesNameFileAndLine) {
  auto bad = IpRangeSet::Parse("10.0.0.0/8\n10.0.0.0/33\n", "dc.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("dc.txt:2"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(IpRangeSet::Parse("hello\n", "x").ok());
  auto asn = AsnSet::Parse("AS64500\n64501 # comment\nASX\n", "asn.txt");
  ASSERT_FALSE(asn.ok());
  EXPECT_NE(asn.status().message().find("asn.txt:3"), std::string::npos);
}

TEST(EnricherTest, CombinesCountryRangesMmdbAndLabelledLists) {
  TempDir dir;
  Enricher e;
  auto geo = GeoCountryDb::FromText("3221225984,3221226239,NL\n", "");  // 192.0.2.0/24
  ASSERT_TRUE(geo.ok());
  e.SetCountryDb(std::move(geo).value());
  auto city = MmdbDatabase::Open(dir.Write("city.mmdb", CityDb()));
  ASSERT_TRUE(city.ok());
  e.AddMmdb(std::move(city).value());
  auto asn = MmdbDatabase::Open(dir.Write("asn.mmdb", AsnDb()));
  ASSERT_TRUE(asn.ok());
  e.AddMmdb(std::move(asn).value());
  auto tor = IpRangeSet::Parse("192.0.2.44\n", "tor");
  ASSERT_TRUE(tor.ok());
  e.SetTorExits(std::move(tor).value(), "high");
  auto vpn = IpRangeSet::Parse("192.0.2.0/24\n", "vpn");
  ASSERT_TRUE(vpn.ok());
  e.AddIpList(std::move(vpn).value(), "vpn", "medium");
  auto dc = AsnSet::Parse("AS64500\n", "dc");
  ASSERT_TRUE(dc.ok());
  e.AddAsnList(std::move(dc).value(), "datacenter", "low");

  IpInfo berlin = e.Lookup("198.51.100.20");
  EXPECT_EQ(berlin.country, "DE");  // the .mmdb wins
  EXPECT_EQ(berlin.city, "Berlin");
  EXPECT_EQ(berlin.asn, 64500);
  EXPECT_EQ(berlin.ip_type, "datacenter");  // from the ASN list
  EXPECT_EQ(berlin.reputation, "low");

  IpInfo tor_exit = e.Lookup("192.0.2.44");
  EXPECT_EQ(tor_exit.country, "NL");       // from the tor-geoipdb ranges
  EXPECT_EQ(tor_exit.ip_type, "tor");      // the Tor list comes first
  EXPECT_EQ(tor_exit.reputation, "high");  // the highest of the matching lists

  IpInfo vpn_user = e.Lookup("192.0.2.45");
  EXPECT_EQ(vpn_user.ip_type, "vpn");
  EXPECT_EQ(vpn_user.reputation, "medium");
  EXPECT_EQ(e.Country("192.0.2.45"), "NL");
  EXPECT_EQ(e.Country("203.0.113.7"), "FR");

  IpInfo nothing = e.Lookup("10.1.2.3");
  EXPECT_EQ(nothing.country, "");
  EXPECT_EQ(nothing.ip_type, "");
  EXPECT_EQ(nothing.reputation, "");
}

TEST(EnricherTest, LoadFromConfiguration) {
  TempDir dir;
  EnrichmentConfig config;
  config.geoip = "";
  config.geoip6 = "";
  config.mmdb = {dir.Write("city.mmdb", CityDb())};
  config.tor_exit_list = dir.Write("tor.txt", "203.0.113.9\n");
  config.ip_lists = {IpListConfig{dir.Write("proxy.txt", "198.51.100.0/24\n"), "proxy", ""}};
  auto e = Enricher::Load(config);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->Lookup("203.0.113.9").ip_type, "tor");
  EXPECT_EQ((*e)->Lookup("198.51.100.1").ip_type, "proxy");
  EXPECT_EQ((*e)->Lookup("198.51.100.1").city, "Berlin");

  config.ip_lists[0].ip_type = "castle";
  EXPECT_EQ(Enricher::Load(config).status().code(), StatusCode::kInvalidArgument);
  config.ip_lists.clear();
  config.asn_lists = {IpListConfig{dir.Write("missing-dir/none.txt", ""), "", "high"}};
  config.asn_lists[0].path = (std::filesystem::path(config.mmdb[0]).parent_path() / "nope.txt");
  EXPECT_EQ(Enricher::Load(config).status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace warden
