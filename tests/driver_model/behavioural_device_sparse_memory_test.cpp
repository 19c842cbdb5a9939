// SparseMemory: windows, stray DMA, sparse storage.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "sparse_memory.h"

namespace chimney {
namespace {

TEST(SparseMemory, AllocationIsAlignedZeroedAndMapped) {
  SparseMemory m;
  const uint64_t a = m.allocate(100, 4096);
  EXPECT_EQ(a % 4096, 0u);
  EXPECT_GE(a, SparseMemory::kDefaultAllocBase);
  uint8_t buf[100];
  std::memset(buf, 0xAA, sizeof buf);
  EXPECT_TRUE(m.dmaRead(a, buf, sizeof buf));
  for (uint8_t b : buf) EXPECT_EQ(b, 0);
  EXPECT_EQ(m.strayDmaCount(), 0u);
}

TEST(SparseMemory, DmaOutsideEveryWindowIsRefusedAndCounted) {
  SparseMemory m;
  const uint64_t a = m.allocate(64, 64);
  uint8_t buf[16] = {1};
  EXPECT_FALSE(m.dmaWrite(a + 56, buf, 16));  // straddles the end
  EXPECT_FALSE(m.dmaRead(0x1000, buf, 16));
  EXPECT_EQ(m.strayDmaCount(), 2u);
  EXPECT_EQ(m.lastStrayAddress(), 0x1000u);
  EXPECT_EQ(m.read64(a + 56), 0u);  // the refused write changed nothing
}

TEST(SparseMemory, WindowBytesNamesTheWindowStartingAtAnAddressUntilItIsReleased) {
  SparseMemory m;
  const uint64_t a = m.allocate(100, 4096);
  m.mapWindow(0x2000, 48);
  EXPECT_EQ(m.windowBytes(a), 100u);
  EXPECT_EQ(m.windowBytes(0x2000), 48u);
  EXPECT_EQ(m.windowBytes(a + 8), 0u);  // inside a window, not its start
  m.release(a);
  EXPECT_EQ(m.windowBytes(a), 0u);
}

TEST(SparseMemory, ConsecutiveAllocationsAreSeparatedByAnUnmappedGuard) {
  SparseMemory m;
  const uint64_t a = m.allocate(4096, 4096);
  const uint64_t b = m.allocate(4096, 4096);
  EXPECT_GE(b, a + uint64_t{2} * 4096);
  EXPECT_FALSE(m.isMapped(a + 4096, 8));
}

TEST(SparseMemory, CpuAccessIsUncheckedAndSpansPages) {
  SparseMemory m;
  uint8_t in[10];
  for (int i = 0; i < 10; ++i) in[i] = uint8_t(i + 1);
  m.write(0x2FFB, in, sizeof in);
  uint8_t out[10] = {};
  m.read(0x2FFB, out, sizeof out);
  EXPECT_EQ(std::memcmp(in, out, sizeof in), 0);
  EXPECT_EQ(m.residentPages(), 2u);
  EXPECT_EQ(m.strayDmaCount(), 0u);
}

TEST(SparseMemory, ReleaseUnmapsAndZeroes) {
  SparseMemory m;
  const uint64_t a = m.allocate(64, 64);
  m.write64(a, 0x1122334455667788ull);
  m.release(a);
  EXPECT_FALSE(m.isMapped(a, 8));
  EXPECT_EQ(m.read64(a), 0u);
  uint64_t v = 0;
  EXPECT_FALSE(m.dmaRead(a, &v, 8));
}

TEST(SparseMemory, ExplicitWindowsCanBeMappedAndUnmapped) {
  SparseMemory m;
  m.mapWindow(0x8000, 0x100);
  uint64_t v = 7;
  EXPECT_TRUE(m.dmaWrite(0x80F8, &v, 8));
  m.unmapWindow(0x8000);
  EXPECT_FALSE(m.dmaWrite(0x80F8, &v, 8));
}

}  // namespace
}  // namespace chimney
