#include "daemon/evpnd/options.hpp"

#include <boost/program_options.hpp>
#include <iostream>

namespace evpnd::daemon {

namespace po = boost::program_options;

ParsedOptions parse_options(int argc, char** argv) {
  Options o;
  std::string listen;
  std::string log_file;
  std::string socket_group;
  std::string user;
  po::options_description desc("evpnd: BGP-EVPN control plane for VXLAN fabrics\n\nOptions");
  desc.add_options()("help,h", "show this help")("version,v", "print the version")(
      "config-file,f", po::value(&o.config_file)->default_value(o.config_file), "configuration file (FRR syntax)")(
      "listen-address,l", po::value(&listen), "address to accept BGP connections on (default: all)")(
      "port,p", po::value(&o.port)->default_value(o.port), "BGP port to listen on; 0 disables the listener")(
      "socket,s", po::value(&o.socket_path)->default_value(o.socket_path), "management socket path (for evpnsh)")(
      "log-level", po::value(&o.log_level)->default_value(o.log_level), "trace, debug, info, warn, error")(
      "log-file", po::value(&log_file), "log to this file instead of standard error")(
      "check,C", po::bool_switch(&o.check_only), "check the configuration file, print it as loaded, and exit")(
      "socket-group", po::value(&socket_group), "group of the management socket (mode 0660)")(
      "user,u", po::value(&user), "run as this user once the sockets are bound (capabilities kept)")(
      "keep-privileges", po::bool_switch(&o.keep_privileges), "do not drop capabilities (debugging)")(
      "peer-output-limit", po::value(&o.peer_output_limit_mb)->default_value(o.peer_output_limit_mb),
      "MiB of encoded output a peer may have queued before its session is reset")(
      "enable-test-commands", po::bool_switch(&o.enable_test_commands),
      "offer `test evpn originate|withdraw` on the management socket (tests only)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "evpnd: " << e.what() << "\n" << desc;
    return {std::nullopt, 2};
  }
  if (vm.count("help")) {
    std::cout << desc;
    return {std::nullopt, 0};
  }
  if (vm.count("version")) {
    std::cout << "evpnd " EVPND_VERSION "\n";
    return {std::nullopt, 0};
  }
  if (vm.count("listen-address")) o.listen_address = listen;
  if (vm.count("log-file")) o.log_file = log_file;
  if (vm.count("socket-group")) o.socket_group = socket_group;
  if (vm.count("user")) o.user = user;
  if (o.peer_output_limit_mb == 0) {
    std::cerr << "evpnd: --peer-output-limit must be at least 1 MiB\n";
    return {std::nullopt, 2};
  }
  return {o, 0};
}

}  // namespace evpnd::daemon
