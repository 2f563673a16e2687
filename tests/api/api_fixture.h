#pragma once

// A router with every Akto and /api/v1 route on a fresh SQLite store, keys of every role, a
// PolicyManager with a few user policies, a fake ingest sink and a fixed clock; plus a seeded
// data set the route tests assert against. Requests go through Router::Dispatch (no sockets).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/ingest_sink.h"
#include "api/keyring.h"
#include "api/router.h"
#include "app/policy_manager.h"
#include "common/clock.h"
#include "store/store.h"

namespace warden {

// Accepts every batch and reports it processed at once; counts what it got.
class FakeIngestSink final : public IngestSink {
 public:
  Status Submit(std::vector<Exchange> exchanges, std::function<void(Status)> done) override;
  std::vector<Exchange> received;
  bool full = false;  // answer ResourceExhausted (the pipeline's queue is full)
};

struct ApiReply {
  int status = 0;
  std::string content_type;
  std::string body;  // a streamed body drained
  Headers headers;
  boost::json::value json;  // null unless the body is JSON
  bool streamed = false;    // the handler answered with a body source

  // The JSON object (fails the test when the body is not one).
  const boost::json::object& obj() const;
  // A response header's value (name compared case-insensitively), or empty.
  std::string_view Header(std::string_view name) const;
};

class ApiFixture : public ::testing::Test {
 public:
  // "Now": 2025-09-09 06:40 UTC, inside the time ranges of Akto's reference request examples.
  static constexpr std::int64_t kNow = 1'757'400'000;
  static constexpr std::int64_t kHour = 3600;
  static constexpr std::int64_t kDay = 86400;

 protected:
  void SetUp() override;
  void TearDown() override;

  // Dispatches a request. `role` nullopt sends no key; `target` may carry a query string.
  ApiReply Call(const std::string& method, const std::string& target, std::optional<Role> role,
                const std::string& body = {});
  ApiReply Get(const std::string& target, Role role = Role::kViewer) {
    return Call("GET", target, role);
  }
  ApiReply Post(const std::string& target, const std::string& body, Role role = Role::kAdmin) {
    return Call("POST", target, role, body);
  }

  // Writes the standard data set (see api_fixture.cc): 5 events of 3 actors on 4 endpoints.
  void Seed();

  std::filesystem::path dir_;
  FakeClock clock_{kNow * 1000};
  std::unique_ptr<Store> store_;
  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<PolicyManager> policies_;
  FakeIngestSink sink_;
  std::unique_ptr<Router> router_;
  std::map<Role, std::string> secrets_;
  std::map<Role, std::string> key_ids_;
  int suppressions_changed_ = 0;
};

// Ids and facts of the seeded data set, for assertions.
namespace seed {
inline constexpr char kLfiEvent[] = "e0000000-0000-4000-8000-000000000001";
inline constexpr char kLfiRef[] = "b302ed4c-a376-4cfe-9bcf-e566577afcf1";
inline constexpr char kLfiActor[] = "51.159.103.236";
inline constexpr char kOsEvent[] = "e0000000-0000-4000-8000-000000000002";
inline constexpr char kOsEventOld[] = "e0000000-0000-4000-8000-000000000003";
inline constexpr char kOsActor[] = "20.65.193.78";
inline constexpr char kSqliEvent[] = "e0000000-0000-4000-8000-000000000004";
inline constexpr char kSqliEvent2[] = "e0000000-0000-4000-8000-000000000005";
inline constexpr char kUserActor[] = "alice";
inline constexpr char kUserIp[] = "198.51.100.7";
}  // namespace seed

}  // namespace warden
