// libFuzzer target for the management socket's input: the 4-octet length framing
// (cli/mgmt_frame.hpp) and the protobuf request it carries, as the daemon reads them.
// The input is a byte stream of frames. A frame over the limit is refused before any
// allocation; a request that parses re-serializes to one that parses equal, and its frame
// announces its length.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/mgmt.pb.h"
#include "cli/mgmt_frame.hpp"

using namespace evpnd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::size_t off = 0;
  while (off + 4 <= size) {
    const auto len = cli::frame_length(data + off);
    off += 4;
    if (!len) return 0;  // the daemon closes the connection
    if (*len > size - off) return 0;  // it would wait for more
    mgmt::RunCommandRequest req;
    if (req.ParseFromArray(data + off, static_cast<int>(*len))) {
      const std::string bytes = req.SerializeAsString();
      const std::string framed = cli::frame_message(bytes);
      const auto n = cli::frame_length(reinterpret_cast<const unsigned char*>(framed.data()));
      if (!n || *n != bytes.size()) __builtin_trap();
      mgmt::RunCommandRequest again;
      if (!again.ParseFromString(bytes) || again.line() != req.line()) __builtin_trap();
    }
    mgmt::RunCommandResponse resp;  // what evpnsh reads from the daemon
    (void)resp.ParseFromArray(data + off, static_cast<int>(*len));
    off += *len;
  }
  return 0;
}
