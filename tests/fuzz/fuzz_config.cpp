// libFuzzer target for the configuration parser and printer (cli/config_parser.hpp,
// cli/config_printer.hpp): any text is refused or accepted without a crash, and an
// accepted one prints to a config that parses back to the same value and prints the
// same (the property the config goldens check on chosen files).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/config_parser.hpp"
#include "cli/config_printer.hpp"

using namespace evpnd::cli;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = parse_config(text, "fuzz.conf");
  if (!first) {
    for (const auto& e : first.error()) (void)to_string(e);
    return 0;
  }
  for (const auto& w : first->ignored) (void)to_string(w);
  const std::string printed = print_config(first->config);
  auto again = parse_config(printed, "printed.conf");
  if (!again) __builtin_trap();                          // we printed what we refuse
  if (!(again->config == first->config)) __builtin_trap();  // ... or something else
  if (print_config(again->config) != printed) __builtin_trap();
  return 0;
}
