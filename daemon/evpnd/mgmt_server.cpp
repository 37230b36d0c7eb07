#include "daemon/evpnd/mgmt_server.hpp"

#include <spdlog/spdlog.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <array>
#include <filesystem>

#include "cli/mgmt.pb.h"
#include "cli/mgmt_frame.hpp"

namespace evpnd::daemon {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

namespace {

// One client connection: read a frame, run it, write the answer, repeat.
class MgmtConnection : public std::enable_shared_from_this<MgmtConnection> {
 public:
  MgmtConnection(local::socket socket, cli::OperationalCommands& commands)
      : socket_(std::move(socket)), commands_(commands) {}

  void read_header() {
    asio::async_read(socket_, asio::buffer(header_), [self = shared_from_this()](auto ec, std::size_t) {
      if (ec) return;  // client went away
      auto n = cli::frame_length(self->header_.data());
      if (!n) {
        spdlog::warn("management client sent an oversized frame; closing it");
        return;
      }
      self->body_.resize(*n);
      self->read_body();
    });
  }

 private:
  void read_body() {
    asio::async_read(socket_, asio::buffer(body_), [self = shared_from_this()](auto ec, std::size_t) {
      if (ec) return;
      self->answer();
    });
  }

  void answer() {
    mgmt::RunCommandRequest req;
    mgmt::RunCommandResponse resp;
    if (!req.ParseFromString(body_)) {
      resp.set_status(mgmt::RunCommandResponse::ERROR);
      resp.set_output("% malformed request\n");
    } else {
      auto r = commands_.run(req.line());
      resp.set_output(std::move(r.output));
      switch (r.status) {
        case cli::CommandResult::Status::Ok: resp.set_status(mgmt::RunCommandResponse::OK); break;
        case cli::CommandResult::Status::Error: resp.set_status(mgmt::RunCommandResponse::ERROR); break;
        case cli::CommandResult::Status::UnknownCommand:
          resp.set_status(mgmt::RunCommandResponse::UNKNOWN_COMMAND);
          break;
      }
    }
    out_ = cli::frame_message(resp.SerializeAsString());
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](auto ec, std::size_t) {
      if (!ec) self->read_header();
    });
  }

  local::socket socket_;
  cli::OperationalCommands& commands_;
  std::array<unsigned char, 4> header_{};
  std::string body_;
  std::string out_;
};

}  // namespace

MgmtServer::MgmtServer(asio::io_context& io, std::string path, cli::OperationalCommands& commands,
                       std::optional<std::string> group)
    : io_(io), path_(std::move(path)), commands_(commands), group_(std::move(group)) {}

MgmtServer::~MgmtServer() { stop(); }

std::optional<std::string> MgmtServer::start() {
  std::error_code fec;
  const auto dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, fec);
  // A socket file left by a daemon that died is removed; a live daemon's is not, since
  // connecting to it would succeed.
  if (std::filesystem::exists(path_, fec)) {
    local::socket probe(io_);
    boost::system::error_code ec;
    probe.connect(local::endpoint(path_), ec);
    if (!ec) return "another evpnd is already serving " + path_;
    std::filesystem::remove(path_, fec);
  }
  std::optional<gid_t> gid;
  if (group_) {
    const group* g = ::getgrnam(group_->c_str());
    if (!g) return "management socket group '" + *group_ + "' does not exist";
    gid = g->gr_gid;
  }
  acceptor_ = std::make_unique<local::acceptor>(io_);
  boost::system::error_code ec;
  acceptor_->open(local(), ec);
  if (!ec) {
    // bind() creates the file with the umask's mode: make that 0660 from the start.
    const mode_t old_mask = ::umask(0117);
    acceptor_->bind(local::endpoint(path_), ec);
    ::umask(old_mask);
  }
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot serve the management socket " + path_ + ": " + ec.message();
  if (::chmod(path_.c_str(), 0660) != 0) return "cannot set the mode of " + path_ + ": " + std::strerror(errno);
  if (gid && ::chown(path_.c_str(), static_cast<uid_t>(-1), *gid) != 0)
    return "cannot give " + path_ + " to group " + *group_ + ": " + std::strerror(errno);
  spdlog::info("management socket {}", path_);
  accept();
  return std::nullopt;
}

void MgmtServer::stop() {
  if (!acceptor_) return;
  boost::system::error_code ec;
  acceptor_->close(ec);
  acceptor_.reset();
  std::error_code fec;
  std::filesystem::remove(path_, fec);
}

void MgmtServer::accept() {
  acceptor_->async_accept([this](const boost::system::error_code& ec, local::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_) return;
    if (!ec) std::make_shared<MgmtConnection>(std::move(socket), commands_)->read_header();
    accept();
  });
}

}  // namespace evpnd::daemon
