// The CSV exports over a real socket: chunked transfer encoding, pages arriving complete and in
// order, the row limit, HEAD, keep-alive after a streamed answer, and a body source that fails
// after the header (the transfer must end without its last chunk).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/api_fixture.h"
#include "api/router.h"
#include "api/server.h"
#include "common/strings.h"

namespace warden {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;

// One response as read off the wire, decoded by hand (not by the server's HTTP library).
struct WireResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // de-chunked
  int chunks = 0;                                            // data chunks of a chunked body
  bool complete = false;  // the body ended as framed (last chunk, Content-Length, or HEAD)
  bool has_header(const std::string& lower_name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return h.first == lower_name; });
  }
  std::string header(const std::string& lower_name) const {
    for (const auto& [n, v] : headers) {
      if (n == lower_name) return v;
    }
    return {};
  }
};

// A blocking HTTP/1.1 connection that keeps the socket open across requests.
class WireConnection {
 public:
  explicit WireConnection(int port) : socket_(io_) {
    socket_.connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    timeval tv{.tv_sec = 20, .tv_usec = 0};  // a hung server fails the test instead of hanging it
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  WireResponse Request(const std::string& method, const std::string& target,
                       const std::string& key) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!key.empty()) req += "x-api-key: " + key + "\r\n";
    req += "\r\n";
    asio::write(socket_, asio::buffer(req));
    return Read(method == "HEAD");
  }

  // True when the server closed the connection (no more bytes).
  bool Closed() {
    if (!buf_.empty()) return false;
    return !Fill();
  }

 private:
  bool Fill() {
    char tmp[65536];
    // recv itself, so that SO_RCVTIMEO bounds the wait.
    ssize_t n = ::recv(socket_.native_handle(), tmp, sizeof(tmp), 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }
  // Takes bytes up to and including `delim`; false when the connection ends first.
  bool Line(std::string* out, std::string_view delim = "\r\n") {
    std::size_t at;
    while ((at = buf_.find(delim)) == std::string::npos) {
      if (!Fill()) return false;
    }
    *out = buf_.substr(0, at);
    buf_.erase(0, at + delim.size());
    return true;
  }
  bool Take(std::size_t n, std::string* out) {
    while (buf_.size() < n) {
      if (!Fill()) return false;
    }
    out->append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }

  WireResponse Read(bool head) {
    WireResponse r;
    std::string head_text;
    if (!Line(&head_text, "\r\n\r\n")) return r;
    std::vector<std::string_view> lines = Split(head_text, '\n');
    std::string_view status_line = TrimSpace(lines.front());
    r.status = std::atoi(std::string(status_line.substr(status_line.find(' ') + 1, 3)).c_str());
    for (std::size_t i = 1; i < lines.size(); ++i) {
      std::string_view l = TrimSpace(lines[i]);
      std::size_t colon = l.find(':');
      if (colon == std::string_view::npos) continue;
      r.headers.emplace_back(AsciiLowered(l.substr(0, colon)),
                             std::string(TrimSpace(l.substr(colon + 1))));
    }
    if (head) {
      r.complete = true;
      return r;
    }
    if (r.header("transfer-encoding") == "chunked") {
      for (;;) {
        std::string size_line;
        if (!Line(&size_line)) return r;
        std::size_t size = std::stoul(size_line, nullptr, 16);
        if (size == 0) {
          std::string trailer;
          if (!Line(&trailer) || !trailer.empty()) return r;
          r.complete = true;
          return r;
        }
        std::string crlf;
        if (!Take(size, &r.body) || !Take(2, &crlf) || crlf != "\r\n") return r;
        ++r.chunks;
      }
    }
    if (r.has_header("content-length")) {
      r.complete = Take(std::stoul(r.header("content-length")), &r.body);
      return r;
    }
    while (Fill()) {
    }
    r.body = std::move(buf_);
    buf_.clear();
    return r;
  }

  asio::io_context io_;
  tcp::socket socket_;
  std::string buf_;
};

std::vector<std::string> Lines(const std::string& body) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\r\n", start);
    if (end == std::string::npos) end = body.size();
    out.push_back(body.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

// The first CSV cell of each data row (the header line dropped).
std::vector<std::string> FirstCells(const std::string& body) {
  std::vector<std::string> out;
  std::vector<std::string> lines = Lines(body);
  for (std::size_t i = 1; i < lines.size(); ++i)
    out.push_back(lines[i].substr(0, lines[i].find(',')));
  return out;
}

constexpr int kEvents = 2500;        // two and a half store pages
constexpr int kApis = 1100;          // endpoints and actors: more than one page each
constexpr int kFormulaEvent = 1500;  // with its own actor and endpoint: kApis + 1 of each

class CsvStreamTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    // Three events share each timestamp, so ties straddle the page boundaries (1000 % 3 != 0).
    WriteBatch b;
    for (int i = 0; i < kEvents; ++i) {
      char id[16];
      std::snprintf(id, sizeof(id), "ev-%05d", i);
      char actor[16];
      std::snprintf(actor, sizeof(actor), "actor-%04d", i % kApis);
      Event e;
      e.id = id;
      e.ref_id = std::string("ref-") + id;
      e.actor = actor;
      e.ip = "198.51.100.1";
      e.filter_id = "SQLInjection";
      e.category = "SQLi";
      e.sub_category = "SQLInjection";
      e.url = "/items/" + std::to_string(i % kApis);
      e.endpoint_template = e.url;
      e.method = "GET";
      e.host = "api.example";
      e.severity = Severity::kHigh;
      e.status = EventStatus::kActive;
      e.location = "query_param.q";
      e.matched = "' or 1=1";
      e.count = 1;
      e.detected_at = kNow - i / 3;
      e.last_detected_at = e.detected_at;
      e.metadata = "{}";
      if (i == kFormulaEvent) {
        e.actor = "=HYPERLINK(\"http://evil\")";
        e.country = "+1";
        e.url = "/a,\"b\"";
        e.endpoint_template = e.url;
      }
      b.events.push_back(e);
      ActorTouch t;
      t.actor = e.actor;
      t.ip = e.ip;
      t.seen_at = e.detected_at;
      t.endpoint = e.url;
      t.method = e.method;
      t.host = e.host;
      t.filter_id = e.filter_id;
      t.sub_category = e.sub_category;
      t.severity = e.severity;
      t.events = 1;
      t.enforced = true;
      b.actors.push_back(t);
      want_events_.emplace_back(e.detected_at, e.id);
    }
    ASSERT_TRUE(store_->Write(b).ok());
    // The export's default order: detectedAt descending, ties by id descending.
    std::sort(want_events_.rbegin(), want_events_.rend());

    server_ = std::make_unique<HttpServer>(ServerOptions{.port = 0, .threads = 2}, router_.get());
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
  }
  void TearDown() override {
    server_.reset();
    ApiFixture::TearDown();
  }

  std::vector<std::string> WantEventIds(std::size_t n) const {
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < n && i < want_events_.size(); ++i) {
      ids.push_back(want_events_[i].second);
    }
    return ids;
  }

  WireResponse Fetch(const std::string& method, const std::string& target) {
    WireConnection c(port_);
    return c.Request(method, target, secrets_[Role::kViewer]);
  }

  std::vector<std::pair<std::int64_t, std::string>> want_events_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

constexpr char kEventsHeader[] =
    "id,detectedAt,severity,status,policyId,policyName,category,subCategory,actor,ip,country,"
    "method,host,url,endpoint,location,matched,successfulExploit,count";

TEST_F(CsvStreamTest, EventsArriveChunkedCompleteAndInOrderAcrossPages) {
  WireResponse r = Fetch("GET", "/api/v1/events/export.csv?limit=100000");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_FALSE(r.has_header("content-length"));
  EXPECT_TRUE(r.header("content-type").starts_with("text/csv")) << r.header("content-type");
  EXPECT_NE(r.header("content-disposition").find("warden-events.csv"), std::string::npos);
  EXPECT_GE(r.chunks, 3) << "one chunk per store page";
  ASSERT_TRUE(r.body.ends_with("\r\n"));
  EXPECT_EQ(Lines(r.body).front(), kEventsHeader);
  EXPECT_EQ(FirstCells(r.body), WantEventIds(kEvents));
}

TEST_F(CsvStreamTest, LimitCapsRowsExactly) {
  for (int limit : {1, 999, 1000, 1001, 2001, kEvents - 1}) {
    SCOPED_TRACE(limit);
    WireResponse r = Fetch("GET", "/api/v1/events/export.csv?limit=" + std::to_string(limit));
    ASSERT_EQ(r.status, 200);
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(FirstCells(r.body), WantEventIds(static_cast<std::size_t>(limit)));
  }
  // Without `limit`: the documented default of 1000 rows.
  EXPECT_EQ(FirstCells(Fetch("GET", "/api/v1/events/export.csv").body).size(), 1000u);
  // The severity order pages by offset: still every row once.
  WireResponse by_severity = Fetch("GET", "/api/v1/events/export.csv?sort=severity&limit=2600");
  std::vector<std::string> ids = FirstCells(by_severity.body);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST_F(CsvStreamTest, RowsKeepTheirFormatAndDefuseFormulas) {
  WireResponse r = Fetch("GET", "/api/v1/events/export.csv?actor=" +
                                    PercentEncode("=HYPERLINK(\"http://evil\")", false));
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> lines = Lines(r.body);
  ASSERT_EQ(lines.size(), 2u) << r.body;
  EXPECT_EQ(lines[1], "ev-01500," + std::to_string(kNow - 500) +
                          ",HIGH,ACTIVE,SQLInjection,SQLInjection probe,SQLi,SQLInjection,"
                          "\"'=HYPERLINK(\"\"http://evil\"\")\",198.51.100.1,'+1,GET,"
                          "api.example,\"/a,\"\"b\"\"\",\"/a,\"\"b\"\"\",query_param.q,"
                          "' or 1=1,false,1");
}

TEST_F(CsvStreamTest, ActorsAndThreatApisStreamEveryRowOnce) {
  struct Case {
    const char* target;
    const char* header_start;
  };
  for (const Case& c :
       {Case{"/api/v1/actors/export.csv?limit=5000", "id,kind,status,"},
        Case{"/api/v1/endpoints/threats/export.csv?limit=5000", "id,host,method,endpoint,"}}) {
    SCOPED_TRACE(c.target);
    WireResponse r = Fetch("GET", c.target);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.header("transfer-encoding"), "chunked");
    EXPECT_FALSE(r.has_header("content-length"));
    EXPECT_TRUE(r.body.starts_with(c.header_start)) << r.body.substr(0, 200);
    std::vector<std::string> ids = FirstCells(r.body);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kApis + 1));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    std::string limited = std::string(c.target).substr(0, std::string(c.target).find('?'));
    EXPECT_EQ(FirstCells(Fetch("GET", limited + "?limit=1001").body),
              std::vector<std::string>(ids.begin(), ids.begin() + 1001));
  }
}

TEST_F(CsvStreamTest, KeepAliveAndHeadAfterAStreamedAnswer) {
  WireConnection c(port_);
  const std::string& key = secrets_[Role::kViewer];
  WireResponse head = c.Request("HEAD", "/api/v1/events/export.csv?limit=2000", key);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("transfer-encoding"), "chunked");
  EXPECT_FALSE(head.has_header("content-length"));
  // Had the HEAD answer carried a body, its bytes would be read as the next status line.
  WireResponse csv = c.Request("GET", "/api/v1/events/export.csv?limit=1500", key);
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.complete);
  EXPECT_EQ(FirstCells(csv.body), WantEventIds(1500));
  WireResponse list = c.Request("GET", "/api/v1/events?limit=1", key);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.complete);
  EXPECT_EQ(json::parse(list.body).as_object().at("total").as_int64(), kEvents);
}

TEST_F(CsvStreamTest, BadLimitIsAJsonErrorNamingTheField) {
  for (const char* limit : {"0", "100001", "abc"}) {
    SCOPED_TRACE(limit);
    for (const char* path : {"/api/v1/events/export.csv", "/api/v1/actors/export.csv",
                             "/api/v1/endpoints/threats/export.csv"}) {
      SCOPED_TRACE(path);
      WireResponse r = Fetch("GET", std::string(path) + "?limit=" + limit);
      EXPECT_EQ(r.status, 400);
      EXPECT_TRUE(r.complete);
      EXPECT_TRUE(r.has_header("content-length"));
      EXPECT_FALSE(r.has_header("transfer-encoding"));
      EXPECT_TRUE(r.header("content-type").starts_with("application/json"));
      boost::system::error_code ec;
      json::value v = json::parse(r.body, ec);
      ASSERT_FALSE(ec) << r.body;
      EXPECT_EQ(v.as_object().at("error").as_object().at("field").as_string(), "limit") << r.body;
    }
  }
}

TEST_F(CsvStreamTest, InProcessCallersGetTheDrainedBody) {
  ApiReply r = Get("/api/v1/events/export.csv?limit=1200");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.streamed);
  EXPECT_EQ(FirstCells(r.body), WantEventIds(1200));
}

// A failure after the header cannot change the status any more: the server must end the
// transfer without the last chunk, so no client takes the part for the whole.
TEST(StreamedBodyTest, FailureAfterTheHeaderTruncatesTheTransfer) {
  Router router(nullptr);
  auto add = [&](const std::string& path, int fail_after) {
    router.Add({"GET",
                path,
                {},
                "pieces",
                [fail_after](const HttpRequest&, const Principal&, Responder respond) {
                  HttpResponse r;
                  r.content_type = "text/plain";
                  r.body_source = [n = 0, fail_after](std::string* chunk) mutable -> Result<bool> {
                    if (n == fail_after) return Status::Unavailable("store went away");
                    chunk->append("piece" + std::to_string(n++) + "\n");
                    return n < 3;
                  };
                  respond(std::move(r));
                }});
  };
  add("/fails", 2);
  add("/works", -1);
  HttpServer server(ServerOptions{.port = 0, .threads = 1}, &router);
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status().ToString();

  WireConnection ok(*port);
  WireResponse whole = ok.Request("GET", "/works", "");
  EXPECT_EQ(whole.status, 200);
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(whole.body, "piece0\npiece1\npiece2\n");
  EXPECT_EQ(whole.chunks, 3);
  EXPECT_TRUE(ok.Request("GET", "/works", "").complete) << "keep-alive after the last chunk";

  WireConnection bad(*port);
  WireResponse part = bad.Request("GET", "/fails", "");
  EXPECT_EQ(part.status, 200);
  EXPECT_EQ(part.header("transfer-encoding"), "chunked");
  EXPECT_FALSE(part.complete);
  EXPECT_EQ(part.body, "piece0\npiece1\n");
  EXPECT_TRUE(bad.Closed());

  // In-process: DrainBody reports the error and keeps what came before it.
  HttpResponse drained;
  router.Dispatch(HttpRequest{.method = "GET", .target = "/fails", .path = "/fails"},
                  [&](HttpResponse r) { drained = std::move(r); });
  Status st = drained.DrainBody();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(drained.body, "piece0\npiece1\n");
  EXPECT_FALSE(drained.body_source);
  server.Stop();
}

}  // namespace
}  // namespace warden
