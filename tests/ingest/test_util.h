#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/exchange.h"

namespace warden::testing {

// Reads tests/ingest/testdata/<name> from the source tree; fails the test when it is missing.
inline std::string ReadTestdata(std::string_view name) {
  std::string path = std::string(WARDEN_SOURCE_DIR) + "/tests/ingest/testdata/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::vector<std::pair<std::string, std::string>> Pairs(const Headers& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const HeaderField& h : headers) out.emplace_back(h.name, h.value);
  return out;
}

// Compares every field, so a case states the whole expected exchange.
inline void ExpectExchange(const Exchange& got, const Exchange& want) {
  EXPECT_EQ(got.method, want.method);
  EXPECT_EQ(got.host, want.host);
  EXPECT_EQ(got.target, want.target);
  EXPECT_EQ(got.http_version, want.http_version);
  EXPECT_EQ(Pairs(got.request_headers), Pairs(want.request_headers));
  EXPECT_EQ(got.request_body, want.request_body);
  EXPECT_EQ(got.request_body_truncated, want.request_body_truncated);
  EXPECT_EQ(got.status_code, want.status_code);
  EXPECT_EQ(got.status_text, want.status_text);
  EXPECT_EQ(Pairs(got.response_headers), Pairs(want.response_headers));
  EXPECT_EQ(got.response_body, want.response_body);
  EXPECT_EQ(got.response_body_truncated, want.response_body_truncated);
  EXPECT_EQ(got.peer_ip, want.peer_ip);
  EXPECT_EQ(got.dest_ip, want.dest_ip);
  EXPECT_EQ(got.time_s, want.time_s);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.collection_id, want.collection_id);
}

}  // namespace warden::testing
