// evpnd main: flags, logging, configuration, then the wiring of daemon/evpnd/wiring.cpp.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/config_parser.hpp"
#include "cli/config_printer.hpp"
#include "daemon/evpnd/options.hpp"
#include "daemon/evpnd/wiring.hpp"

int main(int argc, char** argv) {
  using namespace evpnd;
  auto parsed = daemon::parse_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  const auto& opts = *parsed.options;

  try {
    auto logger = opts.log_file ? spdlog::basic_logger_mt("evpnd", *opts.log_file)
                                : spdlog::stderr_color_mt("evpnd");
    spdlog::set_default_logger(logger);
  } catch (const std::exception& e) {
    std::cerr << "evpnd: cannot open log: " << e.what() << "\n";
    return 1;
  }
  const auto level = spdlog::level::from_str(opts.log_level);
  if (level == spdlog::level::off && opts.log_level != "off") {
    std::cerr << "evpnd: unknown log level '" << opts.log_level << "'\n";
    return 2;
  }
  spdlog::set_level(level);
  spdlog::flush_on(spdlog::level::info);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  auto config = cli::parse_config_file(opts.config_file);
  if (!config) {
    for (const auto& e : config.error()) std::cerr << cli::to_string(e) << "\n";
    return 1;
  }
  for (const auto& w : config->ignored) spdlog::warn("{}", cli::to_string(w));
  if (opts.check_only) {
    std::cout << cli::print_config(config->config);
    return 0;
  }
  return daemon::run(opts, std::move(config->config));
}
