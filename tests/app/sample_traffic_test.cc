#include "app/sample_traffic.h"

#include <gtest/gtest.h>

#include <set>

#include "normalize/normalize.h"

namespace warden {
namespace {

TEST(SampleTrafficTest, DeterministicVariedAndWellFormed) {
  SampleTrafficOptions o;
  o.count = 2000;
  o.start_time_s = 1'700'000'000;
  auto a = GenerateSampleTraffic(o);
  auto b = GenerateSampleTraffic(o);
  ASSERT_EQ(a.size(), 2000u);
  std::set<std::string> templates;
  std::set<std::string> clients;
  std::set<std::string> methods;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].target, b[i].target);
    EXPECT_GE(a[i].time_s, o.start_time_s);
    EXPECT_LE(a[i].time_s, o.start_time_s + o.span_seconds);
    EXPECT_GT(a[i].status_code, 0);
    NormalizeOptions nopts;
    nopts.trusted_proxies = 1;
    View v = BuildView(a[i], nopts);
    templates.insert(v.endpoint_template);
    clients.insert(v.client_ip);
    methods.insert(v.method);
  }
  EXPECT_GE(templates.size(), 10u);
  EXPECT_GE(clients.size(), 200u);
  EXPECT_EQ(methods, (std::set<std::string>{"GET", "POST", "PUT"}));
  o.seed = 2;
  EXPECT_NE(GenerateSampleTraffic(o)[0].target + GenerateSampleTraffic(o)[1].target,
            a[0].target + a[1].target);
}

}  // namespace
}  // namespace warden
