#pragma once
#include "bgp/config.hpp"
#include "daemon/evpnd/options.hpp"

namespace evpnd::daemon {

// Builds the components, runs the main loop until SIGTERM/SIGINT, returns the exit code.
int run(const Options& options, bgp::BgpConfig config);

}  // namespace evpnd::daemon
