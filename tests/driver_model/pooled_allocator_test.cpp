// PooledAllocator / NodePool (prm/pooled_allocator.h): nodes are reused,
// containers behave exactly like their standard-allocator twins.
#include "pooled_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chimney {
namespace {

constexpr bool kPooling = NodePool::pooled(32, alignof(std::max_align_t));

TEST(NodePool, AFreedBlockIsHandedOutAgainBeforeNewMemory) {
  NodePool pool;
  void* a = pool.take(24);
  void* b = pool.take(24);
  EXPECT_NE(a, b);
  const std::size_t reserved = pool.reservedBytes();
  pool.give(a, 24);
  EXPECT_EQ(pool.take(20), a);  // same size class (17..32 bytes)
  EXPECT_EQ(pool.reservedBytes(), reserved);
  void* c = pool.take(48);  // another class: not the freed block of 24
  EXPECT_NE(c, b);
  pool.give(b, 24);
  EXPECT_NE(pool.take(48), b);
}

// Nine nodes live at most: one chunk, however many operations. Under
// AddressSanitizer the pool hands every node to the global allocator instead
// (so a use after free is still caught) and reserves nothing.
TEST(PooledAllocator, InsertEraseChurnStaysInTheFirstNodes) {
  PooledUnorderedMap<uint64_t, uint64_t> m;
  for (uint64_t i = 0; i < 100000; ++i) {
    m.emplace(i, i);
    if (m.size() > 8) m.erase(i - 8);
  }
  EXPECT_EQ(m.size(), 8u);
  EXPECT_EQ(m.get_allocator().pool().reservedBytes(), kPooling ? NodePool::kChunkBytes : 0u);
}

TEST(PooledAllocator, SameIterationOrderAsTheStandardAllocator) {
  std::unordered_map<const void*, int> plain;
  PooledUnorderedMap<const void*, int> pooled;
  std::vector<int> storage(5000);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < storage.size(); i += 1 + std::size_t(round)) {
      plain[&storage[i]] = round;
      pooled[&storage[i]] = round;
    }
    for (std::size_t i = 0; i < storage.size(); i += 3 + std::size_t(round)) {
      plain.erase(&storage[i]);
      pooled.erase(&storage[i]);
    }
    std::vector<std::pair<const void*, int>> a(plain.begin(), plain.end());
    std::vector<std::pair<const void*, int>> b(pooled.begin(), pooled.end());
    ASSERT_EQ(a, b);
  }
}

TEST(PooledAllocator, MovedFromAndCopiedContainersStayUsable) {
  PooledMap<int, int> a;
  for (int i = 0; i < 100; ++i) a[i] = i;
  PooledMap<int, int> b = std::move(a);
  a.clear();
  a[1] = 1;  // the moved-from map still has a pool
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.size(), 100u);
  PooledMap<int, int> c = b;  // a pool of its own
  EXPECT_NE(c.get_allocator(), b.get_allocator());
  b.clear();
  EXPECT_EQ(c.size(), 100u);
  EXPECT_EQ(c.at(42), 42);
  c.swap(a);
  EXPECT_EQ(a.size(), 100u);
  EXPECT_EQ(c.at(1), 1);
  a = c;
  EXPECT_EQ(a.size(), 1u);
}

TEST(Spares, ALeaseGivesItsObjectBackAndNestedLeasesGetTheirOwn) {
  Spares<std::vector<int>> spares;
  const std::vector<int>* first = nullptr;
  {
    const Spares<std::vector<int>>::Lease outer = spares.take();
    outer->assign(100, 1);
    first = &*outer;
    {
      const Spares<std::vector<int>>::Lease inner = spares.take();  // nested: another object
      EXPECT_NE(&*inner, first);
      EXPECT_TRUE(inner->empty());
    }
    EXPECT_EQ(spares.spare(), 1u);
    EXPECT_EQ(outer->size(), 100u);  // untouched by the nested lease
  }
  EXPECT_EQ(spares.spare(), 2u);
  const Spares<std::vector<int>>::Lease again = spares.take();
  EXPECT_GE(again->capacity(), 100u);  // a spare comes back with its room
}

}  // namespace
}  // namespace chimney
