#pragma once
// The management socket: a Unix stream socket that carries length-framed protobuf
// RunCommand requests (cli/mgmt.proto) from evpnsh or automation, runs each through the
// operational command tree on the main loop, and answers. The socket file is created
// mode 0660 (never wider, even for a moment: the umask is narrowed around bind), owned by
// the configured group, and removed on shutdown.
#include <memory>
#include <optional>
#include <string>

#include "bgp/asio.hpp"
#include "cli/operational.hpp"

namespace evpnd::daemon {

class MgmtServer {
 public:
  // `group`: the socket file's group (unset: the daemon's own).
  MgmtServer(boost::asio::io_context& io, std::string path, cli::OperationalCommands& commands,
             std::optional<std::string> group = std::nullopt);
  ~MgmtServer();
  MgmtServer(const MgmtServer&) = delete;
  MgmtServer& operator=(const MgmtServer&) = delete;

  // Binds and listens; returns an error text on failure.
  std::optional<std::string> start();
  void stop();

 private:
  void accept();

  boost::asio::io_context& io_;
  std::string path_;
  cli::OperationalCommands& commands_;
  std::optional<std::string> group_;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
};

}  // namespace evpnd::daemon
