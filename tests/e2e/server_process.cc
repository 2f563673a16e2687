#include "e2e/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace warden::testing {

namespace {

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> out;
  static std::string binary = WARDEN_BINARY;
  out.push_back(binary.data());
  for (const auto& a : args) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

void ApplyEnv(const std::vector<std::string>& env) {
  for (const auto& kv : env) {
    auto eq = kv.find('=');
    setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
  }
}

}  // namespace

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "warden-e2e-XXXXXX").string();
  char* dir = mkdtemp(tmpl.data());
  return dir != nullptr ? std::string(dir) : std::string();
}

ServerProcess::~ServerProcess() { Stop(); }

bool ServerProcess::Start(const std::vector<std::string>& args, const std::vector<std::string>& env,
                          std::string* error) {
  output_.clear();
  port_ = 0;
  int pipefd[2];
  if (pipe(pipefd) != 0) {
    *error = "pipe failed";
    return false;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    ApplyEnv(env);
    auto argv = Argv(args);
    execv(argv[0], argv.data());
    std::_Exit(127);
  }
  close(pipefd[1]);
  out_fd_ = pipefd[0];
  const std::regex listening("Warden listening on http://[^:]+:([0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) > 0) {
      char buf[4096];
      ssize_t n = read(out_fd_, buf, sizeof(buf));
      if (n <= 0) break;
      output_.append(buf, static_cast<std::size_t>(n));
      std::smatch m;
      if (std::regex_search(output_, m, listening)) {
        port_ = std::stoi(m[1]);
        return true;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
  }
  *error = "server did not start; output:\n" + output_;
  return false;
}

int ServerProcess::Stop() {
  int status = -1;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (out_fd_ >= 0) {
    close(out_fd_);
    out_fd_ = -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

CommandResult RunWarden(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::string dir = MakeTempDir();
  std::string out_path = dir + "/out";
  std::string err_path = dir + "/err";
  CommandResult r;
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    ApplyEnv(env);
    auto argv = Argv(args);
    execv(argv[0], argv.data());
    std::_Exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace warden::testing
