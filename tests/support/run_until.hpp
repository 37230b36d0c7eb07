#pragma once
// Runs an io_context in short slices until `done` holds or `limit` passes: the wait loop
// of the tests that drive a real main loop (every wait has a timeout).
#include <boost/asio/io_context.hpp>
#include <chrono>

namespace evpnd::test {

template <class F>
bool run_until(boost::asio::io_context& io, F done, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return done();
}

}  // namespace evpnd::test
