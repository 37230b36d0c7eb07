#pragma once
// TCP under a Session: connections we open (TcpConnector: bind to the update source,
// TCP-MD5 and GTSM set before the SYN, TCP_NODELAY) and connections the Speaker accepted
// (adopt_tcp: the neighbor's GTSM minimum TTL; its MD5 key is the listener's).
#include <memory>
#include <string>

#include "bgp/transport.hpp"

namespace evpnd::bgp {

class TcpConnector final : public Connector {
 public:
  explicit TcpConnector(asio::io_context& io) : io_(io) {}
  Cancel connect(const SessionEndpoint& endpoint, const std::string& log_name, Connected done) override;

 private:
  asio::io_context& io_;
};

tcp::endpoint to_endpoint(const wire::IpAddress& address, std::uint16_t port);

std::unique_ptr<Transport> adopt_tcp(tcp::socket socket, const SessionEndpoint& endpoint, const std::string& log_name);

}  // namespace evpnd::bgp
