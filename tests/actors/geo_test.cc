#include "actors/geo.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

constexpr char kV4[] =
    "# comment\n"
    "16777216,16777471,AU\n"      // 1.0.0.0 - 1.0.0.255
    "3405803776,3405804031,us\n"  // 203.0.113.0 - 203.0.113.255
    "134744064,134744319,??\n";   // 8.8.8.0/24 unknown
constexpr char kV6[] = "2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,DE\n";

TEST(GeoCountryDbTest, LooksUpBothFamilies) {
  auto db = GeoCountryDb::FromText(kV4, kV6);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  struct Case {
    const char* ip;
    const char* want;
  };
  const Case cases[] = {
      {"1.0.0.1", "AU"},     {"1.0.0.255", "AU"},
      {"1.0.1.0", ""},       {"203.0.113.9", "US"},
      {"8.8.8.8", ""},       {"0.0.0.1", ""},
      {"2001:db8::1", "DE"}, {"2001:db9::1", ""},
      {"not-an-ip", ""},     {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(db->Lookup(c.ip), c.want) << c.ip;
}

TEST(GeoCountryDbTest, MalformedLinesNameFileAndLine) {
  auto db = GeoCountryDb::FromText("1,2,US\nbogus\n", "");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("geoip:2"), std::string::npos) << db.status().message();
  EXPECT_FALSE(GeoCountryDb::FromText("5,1,US\n", "").ok());
  EXPECT_FALSE(GeoCountryDb::Load("/nonexistent/geoip", "").ok());
}

TEST(GeoCountryDbTest, LoadsDebianDatabaseWhenInstalled) {
  auto db = GeoCountryDb::Load(GeoCountryDb::kDefaultIpv4Path, GeoCountryDb::kDefaultIpv6Path);
  if (!db.ok()) GTEST_SKIP() << "tor-geoipdb not installed";
  EXPECT_GT(db->size(), 100000u);
  EXPECT_EQ(db->Lookup("1.0.0.1"), "AU");
}

}  // namespace
}  // namespace warden
