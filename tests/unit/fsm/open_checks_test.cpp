// RFC 4271 §6.2 OPEN checks: each error with its NOTIFICATION code, subcode, data and
// the offset of the offending field; and the same errors through step() in OpenSent.
#include "fsm_test_support.hpp"

namespace evpnd::test::fsm {
namespace {

constexpr std::uint8_t kOpenError = 2;
constexpr std::uint8_t kUnsupportedVersion = 1;
constexpr std::uint8_t kBadPeerAs = 2;
constexpr std::uint8_t kBadBgpId = 3;
constexpr std::uint8_t kUnsupportedOptParam = 4;
constexpr std::uint8_t kUnacceptableHold = 6;

void expect_error(const std::optional<w::DecodeError>& e, std::uint8_t subcode, std::size_t offset,
                  const w::ByteVec& data = {}) {
  ASSERT_TRUE(e.has_value()) << "expected OPEN error subcode " << int(subcode);
  EXPECT_EQ(e->code, kOpenError);
  EXPECT_EQ(e->subcode, subcode);
  EXPECT_EQ(e->offset, offset);
  EXPECT_EQ(e->data, data);
  EXPECT_FALSE(e->reason.empty());
}

TEST(OpenChecks, ValidOpenPasses) { EXPECT_FALSE(f::check_open(peer_open(), config()).has_value()); }

TEST(OpenChecks, UnsupportedVersionCarriesLargestSupportedVersion) {
  auto o = peer_open();
  o.version = 3;
  expect_error(f::check_open(o, config()), kUnsupportedVersion, 19, {0x00, 0x04});
  o.version = 5;
  expect_error(f::check_open(o, config()), kUnsupportedVersion, 19, {0x00, 0x04});
}

TEST(OpenChecks, PeerAsMustMatchConfiguredNumber) {
  expect_error(f::check_open(peer_open(65003), config()), kBadPeerAs, 20);
}

TEST(OpenChecks, PeerAsZeroIsRefused) {
  auto cfg = config();
  cfg.remote_as_kind = f::RemoteAsKind::External;
  // RFC 7607: refused even where "external" would accept any other AS.
  expect_error(f::check_open(w::make_open(w::Asn{0}, 90, w::RouterId{kRemoteId}, {}), cfg), kBadPeerAs, 20);
}

TEST(OpenChecks, RemoteAsInternalMeansOurAs) {
  auto cfg = config();
  cfg.remote_as_kind = f::RemoteAsKind::Internal;
  EXPECT_FALSE(f::check_open(peer_open(65001), cfg).has_value());
  expect_error(f::check_open(peer_open(65002), cfg), kBadPeerAs, 20);
}

TEST(OpenChecks, RemoteAsExternalMeansAnyOtherAs) {
  auto cfg = config();
  cfg.remote_as_kind = f::RemoteAsKind::External;
  EXPECT_FALSE(f::check_open(peer_open(65999), cfg).has_value());
  EXPECT_FALSE(f::check_open(peer_open(4200000000u), cfg).has_value());
  expect_error(f::check_open(peer_open(65001), cfg), kBadPeerAs, 20);
}

TEST(OpenChecks, FourOctetCapabilityIsThePeersAs) {
  auto cfg = config();
  cfg.remote_as = w::Asn{4200000000u};
  const auto o = peer_open(4200000000u);
  ASSERT_EQ(o.my_as, w::Asn::kAsTrans);
  EXPECT_FALSE(f::check_open(o, cfg).has_value());
  EXPECT_EQ(f::peer_asn(o), w::Asn{4200000000u});

  // My AS must be AS_TRANS (or the same AS) when the capability is present.
  auto bad = o;
  bad.my_as = 65002;
  expect_error(f::check_open(bad, cfg), kBadPeerAs, 20);

  // A 2-octet AS may be sent as AS_TRANS plus the capability; RFC 6793 allows it.
  auto trans = peer_open(65002);
  trans.my_as = w::Asn::kAsTrans;
  EXPECT_FALSE(f::check_open(trans, config()).has_value());

  // The capability wins over My AS: configured 4200000000, cap says 65002.
  expect_error(f::check_open(peer_open(65002), cfg), kBadPeerAs, 20);
}

TEST(OpenChecks, WithoutFourOctetCapabilityMyAsIsThePeersAs) {
  const auto o = w::make_open(w::Asn{65002}, 90, w::RouterId{kRemoteId}, {w::RouteRefreshCap{}});
  EXPECT_FALSE(f::check_open(o, config()).has_value());
  EXPECT_EQ(f::peer_asn(o), w::Asn{65002});
  const auto trans = w::make_open(w::Asn{4200000000u}, 90, w::RouterId{kRemoteId}, {});
  ASSERT_EQ(trans.my_as, w::Asn::kAsTrans);
  EXPECT_EQ(f::peer_asn(trans), w::Asn{w::Asn::kAsTrans});
  expect_error(f::check_open(trans, config()), kBadPeerAs, 20);
}

TEST(OpenChecks, HoldTimeOneOrTwoIsUnacceptable) {
  expect_error(f::check_open(peer_open(65002, 1), config()), kUnacceptableHold, 22);
  expect_error(f::check_open(peer_open(65002, 2), config()), kUnacceptableHold, 22);
  EXPECT_FALSE(f::check_open(peer_open(65002, 0), config()).has_value());
  EXPECT_FALSE(f::check_open(peer_open(65002, 3), config()).has_value());
  EXPECT_FALSE(f::check_open(peer_open(65002, 65535), config()).has_value());
}

TEST(OpenChecks, ConfiguredMinimumHoldTime) {
  auto cfg = config();
  cfg.min_hold_time = 10;
  expect_error(f::check_open(peer_open(65002, 9), cfg), kUnacceptableHold, 22);
  EXPECT_FALSE(f::check_open(peer_open(65002, 10), cfg).has_value());
  EXPECT_FALSE(f::check_open(peer_open(65002, 0), cfg).has_value());
  cfg.min_hold_time = 0;  // the RFC floor of 3 still holds
  expect_error(f::check_open(peer_open(65002, 2), cfg), kUnacceptableHold, 22);
}

TEST(OpenChecks, BgpIdentifierZeroIsBad) {
  expect_error(f::check_open(peer_open(65002, 90, 0), config()), kBadBgpId, 24);
}

TEST(OpenChecks, SameIdentifierIsBadOnIbgpOnly) {
  auto cfg = config();
  cfg.remote_as = w::Asn{65001};
  expect_error(f::check_open(peer_open(65001, 90, kLocalId), cfg), kBadBgpId, 24);
  // RFC 6286 §2.2: eBGP peers may share an identifier.
  EXPECT_FALSE(f::check_open(peer_open(65002, 90, kLocalId), config()).has_value());
}

TEST(OpenChecks, NonCapabilityOptionalParameterIsUnsupported) {
  auto o = peer_open();
  w::OptionalParameter auth;
  auth.type = 1;  // the deprecated authentication parameter
  auth.value = {0x01, 0x02};
  o.params.push_back(auth);
  expect_error(f::check_open(o, config()), kUnsupportedOptParam, 29);
}

TEST(OpenChecks, VersionIsCheckedBeforeAs) {
  auto o = peer_open(65003, 1, 0);
  o.version = 3;
  expect_error(f::check_open(o, config()), kUnsupportedVersion, 19, {0x00, 0x04});
  o.version = 4;
  expect_error(f::check_open(o, config()), kBadPeerAs, 20);
}

// The same checks through the FSM: OpenSent + a bad OPEN sends exactly that NOTIFICATION.
TEST(OpenChecks, StepSendsTheNotificationAndDropsToIdle) {
  const auto cfg = config();
  f::FsmState s;
  s.state = f::State::OpenSent;
  s.local_open = f::build_open(cfg, cfg.hostname);
  struct Case {
    w::OpenMessage open;
    w::NotificationMessage expected;
  };
  auto v3 = peer_open();
  v3.version = 3;
  const std::vector<Case> cases = {
      {v3, {2, 1, {0x00, 0x04}}},
      {peer_open(65003), {2, 2, {}}},
      {peer_open(65002, 2), {2, 6, {}}},
      {peer_open(65002, 90, 0), {2, 3, {}}},
  };
  for (const auto& c : cases) {
    const auto t = f::step(s, f::BgpOpen{c.open}, cfg);
    EXPECT_EQ(t.next.state, f::State::Idle);
    ASSERT_FALSE(t.actions.empty());
    const auto* n = std::get_if<f::SendNotification>(&t.actions.front());
    ASSERT_NE(n, nullptr) << f::to_string(t.actions.front());
    EXPECT_EQ(n->notification, c.expected);
    EXPECT_EQ(t.next.connect_retry_counter, 1u);
    const auto* down = find_action<f::SessionDown>(t.actions);
    ASSERT_NE(down, nullptr);
    EXPECT_NE(down->reason.find("OPEN Message Error"), std::string::npos) << down->reason;
  }
}

}  // namespace
}  // namespace evpnd::test::fsm
