#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "api/router.h"
#include "common/log.h"
#include "common/strings.h"

namespace warden {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string ReasonPhrase(int status) {
  return std::string(http::obsolete_reason(static_cast<http::status>(status)));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Router* router, const ServerOptions* options)
      : stream_(std::move(socket)), router_(router), options_(options) {}

  void Run() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(options_->max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(options_->max_header_bytes));
    stream_.expires_after(std::chrono::seconds(options_->idle_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      Close();
      return;
    }
    if (ec == http::error::body_limit) {
      SendAndClose(
          413, "request body larger than " + std::to_string(options_->max_body_bytes) + " bytes");
      return;
    }
    if (ec == http::error::header_limit) {
      SendAndClose(431, "request headers too large");
      return;
    }
    if (ec) {
      SendAndClose(400, "malformed HTTP request: " + ec.message());
      return;
    }

    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    http10_ = msg.version() < 11;
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    std::string_view target = req.target;
    std::size_t q = target.find('?');
    req.path = PercentDecode(target.substr(0, q), false);
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    for (const auto& f : msg) {
      req.headers.push_back(HeaderField{AsciiLowered(f.name_string()), std::string(f.value())});
    }
    req.body = std::move(msg.body());
    beast::error_code rec;
    auto ep = stream_.socket().remote_endpoint(rec);
    if (!rec) req.remote_addr = ep.address().to_string();
    head_only_ = req.method == "HEAD";
    method_ = req.method;
    target_ = SanitizeUtf8(req.path);

    auto self = shared_from_this();
    router_->Dispatch(std::move(req), [self](HttpResponse resp) {
      // Handlers may answer from any thread; writes happen on the connection's executor.
      asio::post(self->stream_.get_executor(),
                 [self, resp = std::move(resp)]() mutable { self->Write(std::move(resp)); });
    });
  }

  void SendAndClose(int status, std::string message) {
    keep_alive_ = false;
    Write(HttpResponse::Error(status, message));
  }

  // The status line and headers every answer carries.
  template <class Body>
  void SetHead(const HttpResponse& resp, http::response<Body>* res) const {
    res->version(11);
    res->result(static_cast<unsigned>(resp.status));
    res->reason(ReasonPhrase(resp.status));
    res->set(http::field::server, "warden");
    res->set(http::field::content_type, resp.content_type);
    res->set("X-Content-Type-Options", "nosniff");
    for (const auto& h : resp.headers) res->set(h.name, h.value);
    res->keep_alive(keep_alive_);
  }

  void Write(HttpResponse resp) {
    if (resp.body_source && !http10_) {
      WriteStreamed(std::move(resp));
      return;
    }
    if (resp.body_source) {  // HTTP/1.0 has no chunked encoding: the whole body, as before
      if (Status st = resp.DrainBody(); !st.ok()) {
        spdlog::error("{} {}: body failed: {}", method_, target_, st.ToString());
        resp = HttpResponse::Error(500, "internal error");
      }
    }
    auto res = std::make_shared<http::response<http::string_body>>();
    SetHead(resp, res.get());
    if (head_only_) {
      res->content_length(resp.body.size());
    } else {
      res->body() = std::move(resp.body);
      res->prepare_payload();
    }
    stream_.expires_after(std::chrono::seconds(options_->idle_timeout_seconds));
    http::async_write(
        stream_, *res,
        [self = shared_from_this(), res](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
  }

  // A body from a BodySource: the header with Transfer-Encoding: chunked, then one chunk per
  // piece, each asked for once the previous one is written (a slow client slows the source
  // down instead of filling memory), then the last chunk. HEAD gets the header alone.
  void WriteStreamed(HttpResponse resp) {
    auto res = std::make_shared<http::response<http::empty_body>>();
    SetHead(resp, res.get());
    res->chunked(true);
    if (!head_only_) {
      source_ = std::move(resp.body_source);
      source_done_ = false;
    }
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    stream_.expires_after(std::chrono::seconds(options_->idle_timeout_seconds));
    http::async_write_header(
        stream_, *sr, [self = shared_from_this(), res, sr](beast::error_code ec, std::size_t) {
          if (ec || self->head_only_) {
            self->source_ = nullptr;
            self->OnWrite(ec);
            return;
          }
          self->WriteNextChunk();
        });
  }

  void WriteNextChunk() {
    chunk_.clear();
    while (!source_done_ && chunk_.empty()) {
      Result<bool> more = false;
      try {
        more = source_(&chunk_);
      } catch (const std::exception& e) {
        more = Status::Internal(std::string("body source threw: ") + e.what());
      }
      if (!more.ok()) {
        AbortStream(more.status());
        return;
      }
      source_done_ = !*more;
    }
    auto self = shared_from_this();
    stream_.expires_after(std::chrono::seconds(options_->idle_timeout_seconds));
    if (chunk_.empty()) {
      source_ = nullptr;
      chunk_.shrink_to_fit();
      asio::async_write(stream_, http::make_chunk_last(),
                        [self](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
      return;
    }
    asio::async_write(stream_, http::make_chunk(asio::buffer(chunk_)),
                      [self](beast::error_code ec, std::size_t) {
                        if (ec) {
                          self->source_ = nullptr;
                          self->Close();
                          return;
                        }
                        self->WriteNextChunk();
                      });
  }

  // The header went out with status 200, so the error cannot be answered any more. Closing
  // without the last chunk makes the transfer visibly incomplete to the client.
  void AbortStream(const Status& status) {
    spdlog::error("{} {}: streamed body failed after the header was sent, closing: {}", method_,
                  target_, status.ToString());
    source_ = nullptr;
    keep_alive_ = false;
    Close();
  }

  void OnWrite(beast::error_code ec) {
    if (ec || !keep_alive_) {
      Close();
      return;
    }
    DoRead();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Router* router_;
  const ServerOptions* options_;
  bool keep_alive_ = false;
  bool head_only_ = false;
  bool http10_ = false;
  std::string method_;  // of the request being answered, for logs
  std::string target_;  // its path, for logs
  BodySource source_;   // of the streamed answer being written, else empty
  bool source_done_ = false;
  std::string chunk_;  // the piece being written
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions opts, const Router* r)
      : options(std::move(opts)), router(r), io(std::max(1, options.threads)), acceptor(io) {}

  void DoAccept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket sock) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        std::make_shared<Session>(std::move(sock), router, &options)->Run();
      }
      if (acceptor.is_open()) DoAccept();
    });
  }

  ServerOptions options;
  const Router* router;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  bool running = false;
};

HttpServer::HttpServer(ServerOptions options, const Router* router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Start() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return Status::InvalidArgument("bad listen address '" + impl_->options.host + "'", "listen");
  }
  tcp::endpoint ep(addr, static_cast<unsigned short>(impl_->options.port));
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + impl_->options.host + ":" +
                               std::to_string(impl_->options.port) + ": " + ec.message());
  }
  int port = acc.local_endpoint().port();
  impl_->DoAccept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  impl_->running = true;
  return port;
}

void HttpServer::Stop() {
  if (!impl_ || !impl_->running) return;
  impl_->running = false;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace warden
