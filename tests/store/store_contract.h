#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace warden {

// What every backend is opened with: the test's clock (the store's "now": score decay, status
// and suppression expiry, dashboard intervals) and the scoring configuration.
struct StoreTestEnv {
  const Clock* clock = nullptr;
  ScoringConfig scoring;
};

// A Store backend under test. `open` opens the store kept at `location` (a fresh, empty
// directory owned by one test): the first call creates it, later calls reopen the same data.
// It must not migrate. A PostgreSQL backend can map the directory to a database or schema name.
struct StoreBackend {
  std::string name;  // a valid test-name fragment: "Sqlite"
  std::function<Result<std::unique_ptr<Store>>(const std::filesystem::path& location,
                                               const StoreTestEnv& env)>
      open;
};

// The store contract: behaviour every backend must have. A backend runs it with
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, testing::Values(SqliteBackend()),
//                            StoreBackendName);
// Each test gets a fresh location and an opened, migrated store.
class StoreContractTest : public testing::TestWithParam<StoreBackend> {
 public:
  // The store's clock: 2023-11-14 22:13:20 UTC at the start of every test.
  static constexpr std::int64_t kStart = 1'700'000'000;

 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Closes the store and opens the same location again (not migrated).
  void Reopen();

  FakeClock clock_{kStart * 1000};
  StoreTestEnv env_{.clock = &clock_};

  std::filesystem::path location_;
  std::unique_ptr<Store> store_;
};

// Test names and failure messages show the backend's name.
inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

std::string StoreBackendName(const testing::TestParamInfo<StoreBackend>& info);

// A fresh directory under the system temp directory. Fails the test (fatally) on error.
std::filesystem::path MakeTempDir();

namespace store_test_internal {
inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}
}  // namespace store_test_internal

}  // namespace warden

// Assert or expect that a Status or Result is ok, printing the status otherwise.
#define ASSERT_STATUS_OK(expr)                                                      \
  do {                                                                              \
    const ::warden::Status _status = ::warden::store_test_internal::StatusOf(expr); \
    ASSERT_TRUE(_status.ok()) << #expr << ": " << _status.ToString();               \
  } while (0)
#define EXPECT_STATUS_OK(expr)                                                      \
  do {                                                                              \
    const ::warden::Status _status = ::warden::store_test_internal::StatusOf(expr); \
    EXPECT_TRUE(_status.ok()) << #expr << ": " << _status.ToString();               \
  } while (0)
