#include <gtest/gtest.h>

#include "bgp/wire/reader.hpp"
#include "bgp/wire/writer.hpp"

using namespace evpnd::bgp::wire;

TEST(Reader, FailsInsteadOfOverReading) {
  const ByteVec b{0x01, 0x02, 0x03};
  Reader r(b);
  EXPECT_EQ(r.u16(), 0x0102);
  EXPECT_FALSE(r.u16().has_value());
  EXPECT_EQ(r.remaining(), 1u);  // a failed read does not move
  EXPECT_EQ(r.u8(), 0x03);
  EXPECT_FALSE(r.u8().has_value());
}

TEST(Reader, SubReaderIsBoundedAndOffsetsCountFromTheOuterBuffer) {
  const ByteVec b{0xAA, 0x00, 0x01, 0x02, 0x03, 0xBB};
  Reader r(b, 10);
  ASSERT_TRUE(r.u8());
  auto s = r.sub(4);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->offset(), 11u);
  EXPECT_EQ(s->u32(), 0x00010203u);
  EXPECT_FALSE(s->u8());
  EXPECT_EQ(r.u8(), 0xBB);
  EXPECT_FALSE(r.sub(1));
}

TEST(Reader, U64FailureDoesNotConsume) {
  const ByteVec b{1, 2, 3, 4, 5, 6};
  Reader r(b);
  EXPECT_FALSE(r.u64());
  EXPECT_EQ(r.remaining(), 6u);
}

TEST(Writer, BackPatchesLengths) {
  Writer w;
  w.u8(0xFF);
  auto slot = w.reserve_u16();
  w.u32(0xDEADBEEF);
  auto slot8 = w.reserve_u8();
  w.u24(0x010203);
  w.patch_u8(slot8);
  w.patch_u16(slot);
  const ByteVec expect{0xFF, 0x00, 0x08, 0xDE, 0xAD, 0xBE, 0xEF, 0x03, 0x01, 0x02, 0x03};
  EXPECT_EQ(w.data(), expect);
}
