// RFC 4271 §6.8 collision resolution, both ways round, and the RFC 6286 §2.3 tie-break.
#include "bgp/fsm/collision.hpp"
#include "fsm_test_support.hpp"

namespace evpnd::test::fsm {
namespace {

using f::CollisionDecision;
using f::Initiator;
using f::State;

f::CollisionInput input(std::uint32_t local_id, std::uint32_t remote_id, Initiator existing, Initiator fresh,
                        State existing_state = State::OpenConfirm) {
  f::CollisionInput in;
  in.existing_state = existing_state;
  in.existing_initiator = existing;
  in.new_initiator = fresh;
  in.local_id = w::RouterId{local_id};
  in.remote_id = w::RouterId{remote_id};
  in.local_as = w::Asn{65001};
  in.remote_as = w::Asn{65002};
  return in;
}

TEST(Collision, HigherLocalIdKeepsTheConnectionWeOpened) {
  // We are 10.0.0.2, the peer 10.0.0.1: the peer-initiated connection goes.
  EXPECT_EQ(f::resolve_collision(input(0x0A000002, 0x0A000001, Initiator::Local, Initiator::Remote)),
            CollisionDecision::CloseNew);
  EXPECT_EQ(f::resolve_collision(input(0x0A000002, 0x0A000001, Initiator::Remote, Initiator::Local)),
            CollisionDecision::CloseExisting);
}

TEST(Collision, LowerLocalIdKeepsTheConnectionThePeerOpened) {
  EXPECT_EQ(f::resolve_collision(input(0x0A000001, 0x0A000002, Initiator::Local, Initiator::Remote)),
            CollisionDecision::CloseExisting);
  EXPECT_EQ(f::resolve_collision(input(0x0A000001, 0x0A000002, Initiator::Remote, Initiator::Local)),
            CollisionDecision::CloseNew);
}

TEST(Collision, IdentifiersCompareAsUnsigned32BitNumbers) {
  // 200.0.0.1 > 10.0.0.1 although a signed comparison would say otherwise.
  EXPECT_EQ(f::resolve_collision(input(0xC8000001, 0x0A000001, Initiator::Local, Initiator::Remote)),
            CollisionDecision::CloseNew);
  EXPECT_EQ(f::resolve_collision(input(0x0A000001, 0xC8000001, Initiator::Local, Initiator::Remote)),
            CollisionDecision::CloseExisting);
}

TEST(Collision, EstablishedAlwaysWins) {
  for (auto [mine, theirs] : {std::pair{0x0A000001u, 0x0A000002u}, std::pair{0x0A000002u, 0x0A000001u}})
    for (auto fresh : {Initiator::Local, Initiator::Remote})
      EXPECT_EQ(f::resolve_collision(input(mine, theirs, Initiator::Local, fresh, State::Established)),
                CollisionDecision::CloseNew);
}

TEST(Collision, OpenSentIsResolvedLikeOpenConfirm) {
  EXPECT_EQ(f::resolve_collision(input(0x0A000001, 0x0A000002, Initiator::Local, Initiator::Remote, State::OpenSent)),
            CollisionDecision::CloseExisting);
}

TEST(Collision, NoSessionNoCollision) {
  for (auto s : {State::Idle, State::Connect, State::Active})
    EXPECT_EQ(f::resolve_collision(input(0x0A000001, 0x0A000002, Initiator::Local, Initiator::Remote, s)),
              CollisionDecision::NoCollision);
}

TEST(Collision, EqualIdentifiersLargerAsKeepsItsConnection) {
  auto in = input(0x0A000001, 0x0A000001, Initiator::Local, Initiator::Remote);
  in.local_as = w::Asn{65001};
  in.remote_as = w::Asn{65002};  // the peer's AS is larger: its connection stays
  EXPECT_EQ(f::resolve_collision(in), CollisionDecision::CloseExisting);
  in.local_as = w::Asn{65003};
  EXPECT_EQ(f::resolve_collision(in), CollisionDecision::CloseNew);
}

TEST(Collision, SameInitiatorKeepsTheOlderConnection) {
  EXPECT_EQ(f::resolve_collision(input(0x0A000001, 0x0A000002, Initiator::Remote, Initiator::Remote)),
            CollisionDecision::CloseNew);
}

// The dump event sends Cease / Connection Collision Resolution from OpenSent too.
TEST(Collision, DumpEventSendsCeaseSeven) {
  const auto cfg = config();
  const auto t = run({}, {f::ManualStart{}, f::TcpCrAcked{}, f::collision_dump_event()}, cfg);
  EXPECT_EQ(t.next.state, State::Idle);
  ASSERT_FALSE(t.actions.empty());
  EXPECT_EQ(t.actions.front(), (f::Action{f::SendNotification{{6, 7, {}}}}));
  EXPECT_EQ(f::to_string(CollisionDecision::CloseExisting), "CloseExisting");
}

}  // namespace
}  // namespace evpnd::test::fsm
