// PooledAllocator: a standard allocator for node-based containers
// (std::map, std::set, std::unordered_map, ...) whose single-object
// allocations (the nodes) come from free lists of the container's own
// NodePool instead of the heap. A container that inserts and erases
// an element per operation (the driver stack's and the scoreboard's
// per-request tables) then reuses the same few nodes: no malloc/free per
// operation. Arrays (hash buckets, a deque's blocks) still go to the heap.
//
// Each default-constructed allocator owns a new pool; copies (and rebinds:
// the node and bucket allocators a container makes of it) share it, so a
// container's nodes always return to the pool they came from, also after a
// move or swap (the allocator travels with them). A copied container gets a
// pool of its own. The pool keeps its memory until the last container using
// it is destroyed: its size is the container's peak, not its current one.
// Iteration order, hashing and every other container behaviour are the
// standard ones: only where the bytes come from changes.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chimney {

class NodePool {
 public:
  static constexpr std::size_t kGranule = 16;  // every block size is a multiple
  static constexpr std::size_t kMaxBlock = 256;
  static constexpr std::size_t kChunkBytes = 4096;

  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;

  // Whether a block of `bytes` aligned to `align` comes from the pool. Not
  // under AddressSanitizer: there every node stays a heap block of its own,
  // so a use after free is still caught.
  static constexpr bool pooled(std::size_t bytes, std::size_t align) {
#if defined(__SANITIZE_ADDRESS__)
    (void)bytes;
    (void)align;
    return false;
#else
    return bytes <= kMaxBlock && align <= kGranule;
#endif
  }

  void* take(std::size_t bytes) {
    const std::size_t cls = classOf(bytes);
    if (FreeBlock* b = free_[cls]) {
      free_[cls] = b->next;
      return b;
    }
    return carve((cls + 1) * kGranule);
  }
  void give(void* p, std::size_t bytes) {
    const std::size_t cls = classOf(bytes);
    FreeBlock* b = ::new (p) FreeBlock{free_[cls]};
    free_[cls] = b;
  }
  // Bytes obtained from the heap so far (chunks).
  std::size_t reservedBytes() const {
    return chunks_.size() * kChunkBytes;
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr std::size_t kClasses = kMaxBlock / kGranule;
  static std::size_t classOf(std::size_t bytes) {
    return (bytes == 0 ? 0 : bytes - 1) / kGranule;
  }
  void* carve(std::size_t size) {
    if (chunks_.empty() || used_ + size > kChunkBytes) {
      chunks_.push_back(std::make_unique<std::byte[]>(kChunkBytes));
      used_ = 0;
    }
    void* p = chunks_.back().get() + used_;
    used_ += size;
    return p;
  }

  std::array<FreeBlock*, kClasses> free_{};
  std::vector<std::unique_ptr<std::byte[]>> chunks_;  // new[] aligns to 16 at least
  std::size_t used_ = 0;                              // of the last chunk
};

template <typename T>
class PooledAllocator {
 public:
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  PooledAllocator() : pool_(std::make_shared<NodePool>()) {}
  // Copy only (a move copies too): a moved-from container keeps its pool.
  PooledAllocator(const PooledAllocator&) noexcept = default;
  PooledAllocator& operator=(const PooledAllocator&) noexcept = default;
  template <typename U>
  PooledAllocator(const PooledAllocator<U>& other) noexcept : pool_(other.pool_) {}

  // A copied container starts a pool of its own.
  PooledAllocator select_on_container_copy_construction() const { return PooledAllocator(); }

  T* allocate(std::size_t n) {
    if (n == 1 && NodePool::pooled(sizeof(T), alignof(T)))
      return static_cast<T*>(pool_->take(sizeof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1 && NodePool::pooled(sizeof(T), alignof(T))) {
      pool_->give(p, sizeof(T));
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }

  const NodePool& pool() const { return *pool_; }

  template <typename U>
  bool operator==(const PooledAllocator<U>& other) const {
    return pool_ == other.pool_;
  }
  template <typename U>
  bool operator!=(const PooledAllocator<U>& other) const {
    return pool_ != other.pool_;
  }

 private:
  template <typename U>
  friend class PooledAllocator;
  std::shared_ptr<NodePool> pool_;
};

template <typename K, typename V, typename Hash = std::hash<K>, typename Eq = std::equal_to<K>>
using PooledUnorderedMap =
    std::unordered_map<K, V, Hash, Eq, PooledAllocator<std::pair<const K, V>>>;
template <typename K, typename V, typename Hash = std::hash<K>, typename Eq = std::equal_to<K>>
using PooledUnorderedMultimap =
    std::unordered_multimap<K, V, Hash, Eq, PooledAllocator<std::pair<const K, V>>>;
template <typename K, typename Hash = std::hash<K>, typename Eq = std::equal_to<K>>
using PooledUnorderedSet = std::unordered_set<K, Hash, Eq, PooledAllocator<K>>;
template <typename K, typename V, typename Less = std::less<K>>
using PooledMap = std::map<K, V, Less, PooledAllocator<std::pair<const K, V>>>;

// Spares<T>: objects kept for reuse by code that needs a scratch object per
// call (buffers whose capacity should survive the call) and may be entered
// again while one is in use: take() hands out a spare, or a new one, for
// the lifetime of the returned lease, which gives it back.
template <typename T>
class Spares {
 public:
  class Lease {
   public:
    Lease(Spares& owner, std::unique_ptr<T> object) : owner_(owner), object_(std::move(object)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { owner_.spare_.push_back(std::move(object_)); }
    T& operator*() const { return *object_; }
    T* operator->() const { return object_.get(); }

   private:
    Spares& owner_;
    std::unique_ptr<T> object_;
  };

  Lease take() {
    if (spare_.empty()) return Lease(*this, std::make_unique<T>());
    std::unique_ptr<T> object = std::move(spare_.back());
    spare_.pop_back();
    return Lease(*this, std::move(object));
  }
  std::size_t spare() const { return spare_.size(); }

 private:
  std::vector<std::unique_ptr<T>> spare_;
};

}  // namespace chimney
