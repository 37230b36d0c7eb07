#pragma once
// Bounded reader over a byte span. Every accessor fails (returns nullopt / false) rather
// than reading past the end; a failed read leaves the reader where it was. sub(n) hands
// out a reader for exactly n bytes and advances past them, so each attribute or NLRI is
// parsed inside its own bounds (the pattern of OpenBGPD's ibuf and Holo's Bytes).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

#include "bgp/wire/bytes.hpp"

namespace evpnd::bgp::wire {

class Reader {
 public:
  Reader() = default;
  explicit Reader(ByteSpan data, std::size_t base_offset = 0) : data_(data), base_(base_offset) {}

  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }
  [[nodiscard]] bool empty() const { return remaining() == 0; }
  // Offset of the next byte from the start of the outermost buffer (for error reports).
  [[nodiscard]] std::size_t offset() const { return base_ + pos_; }
  [[nodiscard]] ByteSpan rest() const { return data_.subspan(pos_); }

  std::optional<std::uint8_t> u8() {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_++];
  }
  std::optional<std::uint16_t> u16() {
    if (remaining() < 2) return std::nullopt;
    std::uint16_t v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::optional<std::uint32_t> u24() {
    if (remaining() < 3) return std::nullopt;
    std::uint32_t v = (std::uint32_t{data_[pos_]} << 16) | (std::uint32_t{data_[pos_ + 1]} << 8) |
                      std::uint32_t{data_[pos_ + 2]};
    pos_ += 3;
    return v;
  }
  std::optional<std::uint32_t> u32() {
    if (remaining() < 4) return std::nullopt;
    std::uint32_t v = (std::uint32_t{data_[pos_]} << 24) | (std::uint32_t{data_[pos_ + 1]} << 16) |
                      (std::uint32_t{data_[pos_ + 2]} << 8) | std::uint32_t{data_[pos_ + 3]};
    pos_ += 4;
    return v;
  }
  std::optional<std::uint64_t> u64() {
    auto hi = u32();
    if (!hi) return std::nullopt;
    auto lo = u32();
    if (!lo) {
      pos_ -= 4;
      return std::nullopt;
    }
    return (std::uint64_t{*hi} << 32) | *lo;
  }
  // A view of the next n bytes (no copy).
  std::optional<ByteSpan> bytes(std::size_t n) {
    if (remaining() < n) return std::nullopt;
    ByteSpan s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  // Copies exactly out.size() bytes.
  bool copy(std::span<std::uint8_t> out) {
    if (remaining() < out.size()) return false;
    if (!out.empty()) std::memcpy(out.data(), data_.data() + pos_, out.size());
    pos_ += out.size();
    return true;
  }
  // A reader for the next n bytes; this reader moves past them.
  std::optional<Reader> sub(std::size_t n) {
    if (remaining() < n) return std::nullopt;
    Reader r(data_.subspan(pos_, n), base_ + pos_);
    pos_ += n;
    return r;
  }
  bool skip(std::size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  std::optional<std::uint8_t> peek_u8() const {
    if (remaining() < 1) return std::nullopt;
    return data_[pos_];
  }

 private:
  ByteSpan data_{};
  std::size_t pos_ = 0;
  std::size_t base_ = 0;
};

}  // namespace evpnd::bgp::wire
