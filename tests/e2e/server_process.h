#pragma once

#include <string>
#include <vector>

#include "api/http_client.h"

namespace warden::testing {

// Runs the real `warden` binary as a child process. Start() launches it with the given
// arguments and environment additions and waits for the line that names the bound port.
// The destructor sends SIGTERM and reaps the child.
class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Returns false (with the output so far in `error`) when the server did not come up.
  bool Start(const std::vector<std::string>& args, const std::vector<std::string>& env,
             std::string* error);
  // SIGTERM and wait; returns the exit status.
  int Stop();

  HttpTarget target() const { return HttpTarget{"127.0.0.1", port_}; }
  const std::string& output() const { return output_; }

 private:
  int pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  std::string output_;
};

// Result of running the binary to completion.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult RunWarden(const std::vector<std::string>& args,
                        const std::vector<std::string>& env = {});

// A fresh empty directory under the system temp dir.
std::string MakeTempDir();

}  // namespace warden::testing
