// EVPN value types: text forms as FRR prints them, parsing (FRR's grammar, with range
// checks FRR lacks), the checked VNI, and the label's VNI / MPLS readings.
#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

#include "evpn/types.hpp"

using namespace evpnd::evpn;

TEST(RouteDistinguisher, TextFormsOfTheThreeTypes) {
  auto t1 = RouteDistinguisher::make_type1(0x0a000001, 2);
  EXPECT_EQ(t1.type, 1);
  EXPECT_EQ(t1.value, (std::array<std::uint8_t, 6>{10, 0, 0, 1, 0, 2}));
  EXPECT_EQ(t1.to_string(), "10.0.0.1:2");
  auto t0 = RouteDistinguisher::make_type0(65001, 100);
  EXPECT_EQ(t0.value, (std::array<std::uint8_t, 6>{0xfd, 0xe9, 0, 0, 0, 100}));
  EXPECT_EQ(t0.to_string(), "65001:100");
  EXPECT_EQ(RouteDistinguisher::make_type0(1, 4294967295u).to_string(), "1:4294967295");
  auto t2 = RouteDistinguisher::make_type2(4200000000u, 5);
  EXPECT_EQ(t2.value, (std::array<std::uint8_t, 6>{0xfa, 0x56, 0xea, 0x00, 0, 5}));
  EXPECT_EQ(t2.to_string(), "4200000000:5");
  EXPECT_EQ((RouteDistinguisher{3, {}}).to_string(), "Unknown Type: 3");
}

TEST(RouteDistinguisher, ParseChoosesTheTypeLikeFrr) {
  EXPECT_EQ(RouteDistinguisher::parse("10.0.0.1:2"), RouteDistinguisher::make_type1(0x0a000001, 2));
  EXPECT_EQ(RouteDistinguisher::parse("65001:100"), RouteDistinguisher::make_type0(65001, 100));
  EXPECT_EQ(RouteDistinguisher::parse("65535:4294967295"), RouteDistinguisher::make_type0(65535, 4294967295u));
  EXPECT_EQ(RouteDistinguisher::parse("65536:1"), RouteDistinguisher::make_type2(65536, 1));
  EXPECT_EQ(RouteDistinguisher::parse("4200000000:5"), RouteDistinguisher::make_type2(4200000000u, 5));
  for (const char* bad : {"", ":", "65001", "65001:", ":5", "4200000000:65536", "65001:4294967296",
                          "10.0.0.1:65536", "10.0.0.256:1", "10.0.0:1", "10.0.0.1.1:1", "a:1", "1:a", "1:-1",
                          "-1:1", "1:1:1", " 1:1", "4294967296:1", "10.1:5"}) {
    EXPECT_FALSE(RouteDistinguisher::parse(bad).has_value()) << bad;
  }
  for (const char* text : {"10.0.0.1:2", "65001:100", "4200000000:5", "0:0", "255.255.255.255:65535"})
    EXPECT_EQ(RouteDistinguisher::parse(text)->to_string(), text);
}

TEST(RouteDistinguisher, OrderedAndHashable) {
  std::set<RouteDistinguisher> s{RouteDistinguisher::make_type1(1, 1), RouteDistinguisher::make_type0(1, 1),
                                 RouteDistinguisher::make_type1(1, 1)};
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.begin()->type, 0);
  std::unordered_set<RouteDistinguisher> u{RouteDistinguisher::make_type1(1, 1), RouteDistinguisher::make_type1(1, 2)};
  EXPECT_EQ(u.size(), 2u);
  EXPECT_EQ(u.count(RouteDistinguisher::make_type1(1, 2)), 1u);
}

TEST(EthernetSegmentId, TextTypeAndZero) {
  EthernetSegmentId zero;
  EXPECT_TRUE(zero.is_zero());
  EXPECT_EQ(zero.to_string(), "00:00:00:00:00:00:00:00:00:00");
  auto e = EthernetSegmentId::parse("03:00:11:22:33:44:55:00:00:0A");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->is_zero());
  EXPECT_EQ(e->type(), 3);
  EXPECT_EQ(e->bytes[9], 0x0a);
  EXPECT_EQ(e->to_string(), "03:00:11:22:33:44:55:00:00:0a");
  for (const char* bad : {"", "00:11:22:33:44:55:66:77:88", "00:11:22:33:44:55:66:77:88:99:aa",
                          "00:11:22:33:44:55:66:77:88:9g", "00-11-22-33-44-55-66-77-88-99", "000:11:22:33:44:55:66:77:88:99"})
    EXPECT_FALSE(EthernetSegmentId::parse(bad)) << bad;
  std::unordered_set<EthernetSegmentId> u{zero, *e};
  EXPECT_EQ(u.size(), 2u);
}

TEST(MacAddress, TextIsLowerCaseAndParseIsLenient) {
  auto m = MacAddress::parse("02:00:00:00:01:01");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to_string(), "02:00:00:00:01:01");
  EXPECT_EQ(MacAddress::parse("AA:BB:CC:DD:EE:FF")->to_string(), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(MacAddress::parse("aa-bb-cc-dd-ee-0f")->to_string(), "aa:bb:cc:dd:ee:0f");
  EXPECT_EQ(MacAddress::parse("2:0:0:0:1:1")->to_string(), "02:00:00:00:01:01");
  for (const char* bad : {"", "02:00:00:00:01", "02:00:00:00:01:01:01", "02:00:00:00:01:0g", "02:00-00:00:01:01",
                          "020000000101", "02:00:00:00:01:"})
    EXPECT_FALSE(MacAddress::parse(bad)) << bad;
  EXPECT_TRUE(MacAddress{}.is_zero());
  EXPECT_TRUE(MacAddress::parse("ff:ff:ff:ff:ff:ff")->is_broadcast());
  EXPECT_TRUE(MacAddress::parse("01:00:5e:00:00:01")->is_multicast());
  EXPECT_FALSE(m->is_multicast());
  EXPECT_LT(*m, *MacAddress::parse("02:00:00:00:01:02"));
}

TEST(Vni, IsAChecked24BitValue) {
  EXPECT_EQ(Vni::make(0)->value(), 0u);
  EXPECT_EQ(Vni::make(100)->value(), 100u);
  EXPECT_EQ(Vni::make(0xFFFFFF)->value(), 0xFFFFFFu);
  EXPECT_FALSE(Vni::make(0x1000000));
  EXPECT_FALSE(Vni::make(0xFFFFFFFF));
  static_assert(Vni::make(5)->value() == 5);
}

TEST(Label, VniAndMplsReadingsOfTheSameField) {
  // FRR/GoBGP: raw VNI 100 in the field (00 00 64).
  Label raw{100};
  EXPECT_EQ(raw.vni().value(), 100u);
  EXPECT_EQ(raw.mpls_label(), 6u);
  EXPECT_FALSE(raw.looks_mpls_shifted());
  // ExaBGP/BaGPipe style: label 100 << 4 | BoS = 1601 (INTEROP.md §1).
  Label shifted = Label::from_mpls(100);
  EXPECT_EQ(shifted.raw, 1601u);
  EXPECT_EQ(shifted.mpls_label(), 100u);
  EXPECT_EQ(shifted.vni().value(), 1601u);
  EXPECT_TRUE(shifted.looks_mpls_shifted());
  EXPECT_EQ(Label::from_mpls(100, false).raw, 1600u);
  EXPECT_FALSE(Label::from_mpls(100, false).looks_mpls_shifted());
  // gobgp#2631: 20000 read as MPLS is 1250.
  EXPECT_EQ(Label{20000}.mpls_label(), 1250u);
  EXPECT_EQ(Label::from_vni(*Vni::make(0xFFFFFF)).raw, 0xFFFFFFu);
  // The whole 24 bits, never more.
  EXPECT_EQ(Label{0xFFFFFFFF}.vni().value(), 0xFFFFFFu);
  EXPECT_EQ(Label{0xFFFFFFFF}.mpls_label(), 0xFFFFFu);
}
