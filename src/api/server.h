#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"

namespace warden {

class Router;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  int threads = 2;
  std::size_t max_body_bytes = 32u << 20;  // larger bodies get 413
  std::size_t max_header_bytes = 64u << 10;
  int idle_timeout_seconds = 60;
};

// HttpServer serves a Router over HTTP/1.1 with keep-alive (Boost.Beast; the library stays
// inside server.cc). Start() binds and runs `threads` I/O threads; Stop() closes the listener,
// ends connections and joins the threads. Not copyable; Start/Stop from one thread.
class HttpServer {
 public:
  HttpServer(ServerOptions options, const Router* router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving. Returns the bound port (useful with port 0).
  Result<int> Start();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden
