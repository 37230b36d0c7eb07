// evpnsh: the operator's shell for evpnd. One-shot (`evpnsh -c "show bgp l2vpn evpn
// summary"`, several -c run in order) or interactive with line editing and history
// (libedit). Every command is sent to the daemon over its management socket and runs
// there, so the shell and the daemon can never disagree on the grammar.
#include <editline/readline.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/mgmt.pb.h"
#include "cli/mgmt_frame.hpp"

namespace po = boost::program_options;

namespace {

constexpr const char* kDefaultSocket = "/run/evpnd/evpnd.sock";

class Connection {
 public:
  explicit Connection(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) throw std::runtime_error("socket path too long: " + path);
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
      throw std::runtime_error("cannot reach evpnd at " + path + ": " + std::strerror(errno));
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  evpnd::mgmt::RunCommandResponse run(const std::string& line) {
    evpnd::mgmt::RunCommandRequest req;
    req.set_line(line);
    write_all(evpnd::cli::frame_message(req.SerializeAsString()));
    unsigned char hdr[4];
    read_all(hdr, 4);
    auto n = evpnd::cli::frame_length(hdr);
    if (!n) throw std::runtime_error("response frame too large");
    std::string body(*n, '\0');
    read_all(reinterpret_cast<unsigned char*>(body.data()), *n);
    evpnd::mgmt::RunCommandResponse resp;
    if (!resp.ParseFromString(body)) throw std::runtime_error("malformed response from evpnd");
    return resp;
  }

 private:
  void write_all(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      ssize_t w = ::write(fd_, s.data() + off, s.size() - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) throw std::runtime_error(std::string("write: ") + std::strerror(errno));
      off += static_cast<std::size_t>(w);
    }
  }
  void read_all(unsigned char* p, std::size_t n) {
    std::size_t off = 0;
    while (off < n) {
      ssize_t r = ::read(fd_, p + off, n - off);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) throw std::runtime_error("evpnd closed the connection");
      if (r < 0) throw std::runtime_error(std::string("read: ") + std::strerror(errno));
      off += static_cast<std::size_t>(r);
    }
  }
  int fd_ = -1;
};

int print(const evpnd::mgmt::RunCommandResponse& r) {
  const auto& out = r.output();
  if (r.status() == evpnd::mgmt::RunCommandResponse::OK) {
    std::cout << out;
    if (!out.empty() && out.back() != '\n') std::cout << '\n';
    return 0;
  }
  std::cerr << out;
  if (!out.empty() && out.back() != '\n') std::cerr << '\n';
  return 1;
}

int interactive(Connection& conn, const std::string& hostname) {
  const std::string prompt = hostname + "# ";
  using_history();
  while (char* raw = readline(prompt.c_str())) {
    std::string line(raw);
    std::free(raw);
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    add_history(line.c_str());
    if (line.substr(first) == "exit" || line.substr(first) == "quit" || line.substr(first) == "end") break;
    try {
      print(conn.run(line));
    } catch (const std::exception& e) {
      std::cerr << "% " << e.what() << '\n';
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description opts("evpnsh options");
  std::string socket_path;
  std::vector<std::string> commands;
  opts.add_options()("help,h", "show this help")(
      "socket,s", po::value(&socket_path)->default_value(kDefaultSocket), "evpnd management socket")(
      "command,c", po::value(&commands)->composing(), "run COMMAND and exit (repeatable)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "evpnsh: " << e.what() << '\n' << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  try {
    Connection conn(socket_path);
    if (!commands.empty()) {
      int rc = 0;
      for (const auto& c : commands) rc |= print(conn.run(c));
      return rc;
    }
    std::string host = "evpnd";
    auto r = conn.run("show hostname");
    if (r.status() == evpnd::mgmt::RunCommandResponse::OK && !r.output().empty()) {
      host = r.output();
      while (!host.empty() && (host.back() == '\n' || host.back() == ' ')) host.pop_back();
    }
    return interactive(conn, host);
  } catch (const std::exception& e) {
    std::cerr << "evpnsh: " << e.what() << '\n';
    return 1;
  }
}
