#pragma once
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, which
// g++ 12 no longer pulls in transitively. Include Asio through this header.
#include <utility>
// clang-format off
#include <boost/asio.hpp>
// clang-format on
