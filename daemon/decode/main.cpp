// evpnd-decode: the operator's BGP message decoder. Reads hex dumps (the format of
// tests/testdata/*.hex, or a plain hex string) or pcap/pcapng captures of BGP sessions
// and prints every message decoded, as text or JSON, with the RFC 7606 findings and any
// decode error. The work is done by cli/decode_tool.cpp; this file parses flags and reads
// the files.
//
// Exit status: 0 every message decoded; 1 some message had an error or an input had a
// problem (everything is still printed); 2 usage error or unreadable file.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "bgp/wire/types.hpp"
#include "cli/decode_tool.hpp"

namespace po = boost::program_options;
using evpnd::cli::DecodeInput;
using evpnd::cli::DecodeInputKind;

namespace {

constexpr const char* kUsage = R"(Usage: evpnd-decode [options] [FILE...]

Decodes BGP messages from hex dumps or packet captures. FILE is a pcap/pcapng capture
(recognised by its magic number) or a hex dump: '#' comments, hex octets separated by
white space or not at all, any number of whole messages (marker included). '-' reads
standard input.

Examples:
  evpnd-decode tests/testdata/frr_type2_macip.hex
  evpnd-decode --json session.pcap | jq 'select(.type == "UPDATE") | .attributes.mpReach.nlri[]'
  echo ffffffffffffffffffffffffffffffff001304 | evpnd-decode -
  tcpdump -r big.pcap -w - 'tcp port 179' | evpnd-decode --json -   (stdin is read to its end first)

Options)";

bool read_input(const std::string& path, std::vector<std::uint8_t>& out) {
  if (path == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    const std::string data = s.str();
    out.assign(data.begin(), data.end());
    return !std::cin.bad();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return !f.bad();
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description opts(kUsage);
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("json", "one JSON object per message (JSON lines)")
      ("json-array", "all messages as one JSON array")
      ("four-octet-as", "the session negotiated 4-octet AS numbers (RFC 6793; the default)")
      ("two-octet-as", "the session uses 2-octet AS numbers (AS4_PATH is merged into AS_PATH)")
      ("add-path", "ADD-PATH receive (RFC 7911) for l2vpn-evpn, ipv4-unicast and ipv6-unicast")
      ("extended-message", "allow messages up to 65535 octets (RFC 8654)")
      ("pcap", po::value<std::vector<std::string>>()->composing()->value_name("FILE"), "read FILE as a pcap/pcapng capture")
      ("hex", po::value<std::vector<std::string>>()->composing()->value_name("FILE"), "read FILE as a hex dump")
      ("port", po::value<std::vector<std::uint16_t>>()->composing()->value_name("N"),
       "TCP port carrying BGP in captures (repeatable; default 179)")
      ("version", "print the version");
  // clang-format on
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::vector<std::string>>()->composing(), "input files");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "evpnd-decode: " << e.what() << "\n(see evpnd-decode --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "evpnd-decode " << EVPND_VERSION << "\n";
    return 0;
  }
  if (vm.count("json") && vm.count("json-array")) {
    std::cerr << "evpnd-decode: --json and --json-array exclude each other\n";
    return 2;
  }
  if (vm.count("four-octet-as") && vm.count("two-octet-as")) {
    std::cerr << "evpnd-decode: --four-octet-as and --two-octet-as exclude each other\n";
    return 2;
  }

  evpnd::cli::DecodeOptions options;
  if (vm.count("json")) options.output = evpnd::cli::DecodeOutput::JsonLines;
  if (vm.count("json-array")) options.output = evpnd::cli::DecodeOutput::JsonArray;
  options.ctx.four_octet_as = !vm.count("two-octet-as");
  options.ctx.extended_message_rx = vm.count("extended-message") > 0;
  if (vm.count("add-path")) {
    using evpnd::bgp::wire::AfiSafi;
    options.ctx.add_path_rx = {AfiSafi::l2vpn_evpn(), AfiSafi::ipv4_unicast(), AfiSafi::ipv6_unicast()};
  }
  if (vm.count("port")) options.ports = vm["port"].as<std::vector<std::uint16_t>>();

  // Inputs in command-line order would need the raw argv; take --pcap, --hex, then the
  // positional files, each group in order.
  std::vector<std::pair<std::string, DecodeInputKind>> files;
  auto add = [&](const char* key, DecodeInputKind kind) {
    if (vm.count(key))
      for (const auto& f : vm[key].as<std::vector<std::string>>()) files.emplace_back(f, kind);
  };
  add("pcap", DecodeInputKind::Capture);
  add("hex", DecodeInputKind::Hex);
  add("input", DecodeInputKind::Auto);
  if (files.empty()) {
    std::cerr << "evpnd-decode: no input (give FILE, --pcap FILE, --hex FILE or '-' for standard input)\n";
    return 2;
  }

  std::vector<DecodeInput> inputs;
  for (const auto& [path, kind] : files) {
    DecodeInput in;
    in.name = path == "-" ? "(stdin)" : path;
    in.kind = kind;
    if (!read_input(path, in.content)) {
      std::cerr << "evpnd-decode: cannot read " << path << ": " << std::strerror(errno) << "\n";
      return 2;
    }
    inputs.push_back(std::move(in));
  }
  const auto summary = evpnd::cli::run_decode(inputs, options, std::cout);
  std::cout.flush();
  return summary.exit_code();
}
