#pragma once
// Appending writer with back-patched length fields: reserve a length slot, write the
// body, then patch the slot with the body size (Holo's "rewrite attribute length").
#include <cstddef>
#include <cstdint>

#include "bgp/wire/bytes.hpp"

namespace evpnd::bgp::wire {

class Writer {
 public:
  Writer() = default;
  explicit Writer(ByteVec& out) : out_(&out) {}

  void u8(std::uint8_t v) { buf().push_back(v); }
  void u16(std::uint16_t v) {
    buf().push_back(static_cast<std::uint8_t>(v >> 8));
    buf().push_back(static_cast<std::uint8_t>(v));
  }
  void u24(std::uint32_t v) {
    buf().push_back(static_cast<std::uint8_t>(v >> 16));
    buf().push_back(static_cast<std::uint8_t>(v >> 8));
    buf().push_back(static_cast<std::uint8_t>(v));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void u64(std::uint64_t v) {
    u32(static_cast<std::uint32_t>(v >> 32));
    u32(static_cast<std::uint32_t>(v));
  }
  void bytes(ByteSpan b) { buf().insert(buf().end(), b.begin(), b.end()); }

  // Length slots: returns the position of the slot; patch_* writes (size() - pos - width).
  std::size_t reserve_u8() {
    buf().push_back(0);
    return buf().size() - 1;
  }
  std::size_t reserve_u16() {
    buf().push_back(0);
    buf().push_back(0);
    return buf().size() - 2;
  }
  void patch_u8(std::size_t slot) { buf()[slot] = static_cast<std::uint8_t>(buf().size() - slot - 1); }
  void patch_u16(std::size_t slot) {
    auto len = buf().size() - slot - 2;
    buf()[slot] = static_cast<std::uint8_t>(len >> 8);
    buf()[slot + 1] = static_cast<std::uint8_t>(len);
  }
  // Overwrite a 16-bit value at an absolute position (e.g. the BGP header length).
  void put_u16_at(std::size_t pos, std::uint16_t v) {
    buf()[pos] = static_cast<std::uint8_t>(v >> 8);
    buf()[pos + 1] = static_cast<std::uint8_t>(v);
  }

  [[nodiscard]] std::size_t size() const { return out_ ? out_->size() : own_.size(); }
  [[nodiscard]] const ByteVec& data() const { return out_ ? *out_ : own_; }
  ByteVec take() { return out_ ? *out_ : std::move(own_); }

 private:
  ByteVec& buf() { return out_ ? *out_ : own_; }
  ByteVec own_;
  ByteVec* out_ = nullptr;
};

}  // namespace evpnd::bgp::wire
