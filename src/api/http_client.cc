#include "api/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/strings.h"

namespace warden {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpTarget> ParseHttpUrl(const std::string& url, const std::string& field) {
  std::string_view s = url;
  if (StartsWithIgnoreCase(s, "http://")) s.remove_prefix(7);
  if (StartsWithIgnoreCase(s, "https://")) {
    return Status::InvalidArgument("https is not supported by this client", field);
  }
  s = s.substr(0, s.find('/'));
  HttpTarget t;
  std::size_t colon = s.rfind(':');
  if (colon != std::string_view::npos && s.find(']') == std::string_view::npos) {
    auto port = ParseInt64(s.substr(colon + 1));
    if (!port || *port <= 0 || *port > 65535) {
      return Status::InvalidArgument("bad port in '" + url + "'", field);
    }
    t.port = static_cast<int>(*port);
    s = s.substr(0, colon);
  } else {
    t.port = 80;
  }
  if (s.empty()) return Status::InvalidArgument("no host in '" + url + "'", field);
  t.host = std::string(s);
  return t;
}

Result<HttpResponse> HttpCall(const HttpTarget& target, const std::string& method,
                              const std::string& path, const Headers& headers,
                              const std::string& body, int timeout_seconds) {
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(timeout_seconds));
    auto results = resolver.resolve(target.host, std::to_string(target.port));
    stream.connect(results);

    http::request<http::string_body> req;
    req.method_string(method);
    req.target(path);
    req.version(11);
    req.set(http::field::host, target.host + ":" + std::to_string(target.port));
    req.set(http::field::user_agent, "warden-client");
    for (const auto& h : headers) req.set(h.name, h.value);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req.body() = body;
      req.prepare_payload();
    }
    stream.expires_after(std::chrono::seconds(timeout_seconds));
    http::write(stream, req);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ULL << 30);
    http::read(stream, buffer, parser);
    auto& res = parser.get();

    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.content_type = std::string(res[http::field::content_type]);
    for (const auto& f : res) {
      out.headers.push_back(HeaderField{AsciiLowered(f.name_string()), std::string(f.value())});
    }
    out.body = std::move(res.body());
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
  } catch (const std::exception& e) {
    return Status::Unavailable("HTTP " + method + " " + target.host + ":" +
                               std::to_string(target.port) + path + " failed: " + e.what());
  }
}

}  // namespace warden
