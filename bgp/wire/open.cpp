// OPEN message body (RFC 4271 §4.2) with optional parameters in the classic form and in
// the RFC 9072 extended form, capabilities inside type-2 parameters (RFC 5492).
//
// Division of labour with the FSM: the codec rejects only what makes the message
// unparseable (lengths that overrun or do not add up, a malformed 4-octet AS capability).
// Version, hold time, peer AS, BGP identifier and unsupported optional parameter types
// are values the FSM judges against its configuration (RFC 4271 §6.2), so they are
// decoded and handed up unchanged.
#include "bgp/wire/open.hpp"

#include <algorithm>
#include <string>

#include "bgp/wire/capabilities.hpp"
#include "bgp/wire/reader.hpp"
#include "bgp/wire/writer.hpp"

namespace evpnd::bgp::wire {
namespace {

constexpr std::size_t kOpenFixedBody = 10;          // version .. opt param len
constexpr std::uint8_t kExtendedParamsMarker = 255;  // RFC 9072 §2 Non-Ext OP Type
constexpr std::size_t kHeaderLengthField = 16;      // offset of Length in the header

DecodeError open_error(std::size_t offset, std::string why) {
  return DecodeError::make(ErrorCode::OpenMessage, static_cast<std::uint8_t>(OpenSubcode::Unspecific), offset,
                           std::move(why));
}

// The capabilities in the value of one type-2 parameter: a sequence of TLVs that must
// exactly fill it (RFC 5492 §4).
Result<std::vector<Capability>, DecodeError> decode_capabilities(Reader r) {
  std::vector<Capability> caps;
  while (!r.empty()) {
    const std::size_t code_offset = r.offset();
    const std::uint8_t code = *r.u8();
    const std::size_t length_offset = r.offset();
    auto len = r.u8();
    if (!len) return fail(open_error(code_offset, "capability " + std::to_string(code) + " has no length octet"));
    auto value = r.bytes(*len);
    if (!value) {
      return fail(open_error(length_offset, "capability " + std::to_string(code) + " length " + std::to_string(*len) +
                                                " overruns its optional parameter (" +
                                                std::to_string(r.remaining()) + " octets left)"));
    }
    auto cap = decode_capability(code, *value, length_offset);
    if (!cap) return fail(std::move(cap.error()));
    caps.push_back(std::move(*cap));
  }
  return caps;
}

// The Optional Parameters field. `extended` selects 2-octet Parameter Length (RFC 9072 §2).
Result<std::vector<OptionalParameter>, DecodeError> decode_params(Reader r, bool extended) {
  std::vector<OptionalParameter> params;
  while (!r.empty()) {
    const std::size_t type_offset = r.offset();
    OptionalParameter p;
    p.type = *r.u8();
    const std::size_t length_offset = r.offset();
    std::optional<std::uint16_t> len;
    if (extended) {
      len = r.u16();
    } else if (auto l8 = r.u8()) {
      len = *l8;
    }
    if (!len) return fail(open_error(type_offset, "optional parameter " + std::to_string(p.type) + " has no length"));
    auto value = r.sub(*len);
    if (!value) {
      return fail(open_error(length_offset, "optional parameter length " + std::to_string(*len) +
                                                " overruns the optional parameters (" +
                                                std::to_string(r.remaining()) + " octets left)"));
    }
    if (p.type == OptionalParameter::kCapabilities) {
      auto caps = decode_capabilities(*value);
      if (!caps) return fail(std::move(caps.error()));
      p.capabilities = std::move(*caps);
    } else {
      // RFC 4271 §6.2 "Unsupported Optional Parameter" is the FSM's call; keep the bytes.
      const ByteSpan raw = value->rest();
      p.value.assign(raw.begin(), raw.end());
    }
    params.push_back(std::move(p));
  }
  return params;
}

ByteVec encode_param_value(const OptionalParameter& p) {
  if (p.type != OptionalParameter::kCapabilities) return p.value;
  Writer w;
  for (const auto& c : p.capabilities) encode_capability(c, w);
  return w.take();
}

// Whether the parameters fit the RFC 4271 form: 1-octet lengths for each parameter and
// for the whole field.
bool fits_classic_form(const std::vector<ByteVec>& values) {
  std::size_t total = 0;
  for (const auto& v : values) {
    if (v.size() > 255) return false;
    total += 2 + v.size();
  }
  return total <= 255;
}

}  // namespace

std::vector<Capability> OpenMessage::capabilities() const {
  std::vector<Capability> out;
  for (const auto& p : params) out.insert(out.end(), p.capabilities.begin(), p.capabilities.end());
  return out;
}

Asn OpenMessage::asn() const {
  if (const auto* as4 = find<FourOctetAsCap>()) return as4->asn;
  return Asn{my_as};
}

std::vector<AfiSafi> OpenMessage::multiprotocol_families() const {
  std::vector<AfiSafi> out;
  for (const auto& p : params)
    for (const auto& c : p.capabilities)
      if (const auto* mp = std::get_if<MultiprotocolCap>(&c))
        if (std::find(out.begin(), out.end(), mp->family) == out.end()) out.push_back(mp->family);
  return out;
}

OpenMessage make_open(Asn asn, std::uint16_t hold_time, RouterId id, std::vector<Capability> caps) {
  OpenMessage m;
  // RFC 6793 §4.1: a speaker whose AS does not fit 2 octets puts AS_TRANS in My AS.
  m.my_as = asn.fits_two_octets() ? static_cast<std::uint16_t>(asn.value) : Asn::kAsTrans;
  m.hold_time = hold_time;
  m.bgp_id = id;
  std::vector<ByteVec> values;
  for (auto& c : caps) {
    OptionalParameter p;
    p.capabilities.push_back(std::move(c));
    values.push_back(encode_param_value(p));
    m.params.push_back(std::move(p));
  }
  // RFC 9072 §2: use the extended form only when the classic one cannot hold the
  // parameters, so that peers without RFC 9072 support can still read us.
  m.extended_params = !fits_classic_form(values);
  return m;
}

Result<OpenMessage, DecodeError> decode_open(ByteSpan body, std::size_t base_offset) {
  Reader r(body, base_offset);
  if (r.remaining() < kOpenFixedBody) {
    // Normally caught by framing (RFC 4271 §6.1: OPEN shorter than 29 octets).
    const std::size_t msg_len = kHeaderSize + body.size();
    return fail(DecodeError::make(ErrorCode::MessageHeader, static_cast<std::uint8_t>(HeaderSubcode::BadMessageLength),
                                  kHeaderLengthField, "OPEN of " + std::to_string(msg_len) + " octets is too short",
                                  ByteVec{static_cast<std::uint8_t>(msg_len >> 8), static_cast<std::uint8_t>(msg_len)}));
  }
  OpenMessage m;
  m.version = *r.u8();
  m.my_as = *r.u16();
  m.hold_time = *r.u16();
  m.bgp_id = RouterId{*r.u32()};
  const std::size_t opt_len_offset = r.offset();
  const std::uint8_t opt_len = *r.u8();

  // RFC 9072 §2: when Non-Ext OP Len is non-zero, the next octet (Non-Ext OP Type) says
  // which form is used; 255 means a 2-octet Extended Opt. Parm. Length follows, and each
  // parameter has a 2-octet length. The value of Non-Ext OP Len is then not used (the
  // sender sets it to 255, and that is what we write back).
  std::size_t params_len = opt_len;
  std::size_t params_len_offset = opt_len_offset;
  if (opt_len != 0 && r.peek_u8() == kExtendedParamsMarker) {
    r.skip(1);
    params_len_offset = r.offset();
    auto ext_len = r.u16();
    if (!ext_len) return fail(open_error(params_len_offset, "RFC 9072 Extended Opt. Parm. Length is missing"));
    params_len = *ext_len;
    m.extended_params = true;
  }
  // RFC 4271 §4.2: the parameters fill the rest of the message exactly. Anything else is
  // a message we cannot parse reliably (RFC 4271 §6.2 gives no specific subcode).
  if (params_len != r.remaining()) {
    return fail(open_error(params_len_offset, "Optional Parameters Length " + std::to_string(params_len) +
                                                  (params_len > r.remaining() ? " overruns" : " does not fill") +
                                                  " the message (" + std::to_string(r.remaining()) +
                                                  " octets follow)"));
  }
  auto params = decode_params(*r.sub(params_len), m.extended_params);
  if (!params) return fail(std::move(params.error()));
  m.params = std::move(*params);
  return m;
}

void encode_open_body(const OpenMessage& m, ByteVec& out) {
  Writer w(out);
  w.u8(m.version);
  w.u16(m.my_as);
  w.u16(m.hold_time);
  w.u32(m.bgp_id.value);

  std::vector<ByteVec> values;
  values.reserve(m.params.size());
  for (const auto& p : m.params) values.push_back(encode_param_value(p));
  // A locally built OPEN that outgrows the classic form is written in the RFC 9072 form
  // rather than with wrapped-around lengths.
  if (!m.extended_params && fits_classic_form(values)) {
    const std::size_t slot = w.reserve_u8();
    for (std::size_t i = 0; i < values.size(); ++i) {
      w.u8(m.params[i].type);
      w.u8(static_cast<std::uint8_t>(values[i].size()));
      w.bytes(values[i]);
    }
    w.patch_u8(slot);
    return;
  }
  w.u8(255);  // Non-Ext OP Len (RFC 9072 §2: MUST be 255)
  w.u8(kExtendedParamsMarker);
  const std::size_t slot = w.reserve_u16();
  for (std::size_t i = 0; i < values.size(); ++i) {
    w.u8(m.params[i].type);
    w.u16(static_cast<std::uint16_t>(values[i].size()));
    w.bytes(values[i]);
  }
  w.patch_u16(slot);
}

}  // namespace evpnd::bgp::wire
