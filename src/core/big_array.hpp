#pragma once
// A fixed-size array of many megabytes that threads fill: its elements are not initialised
// (the threads' first writes bring its pages in, in parallel, instead of one thread zeroing
// them all first), and on Linux it asks for transparent huge pages, so that filling 30 MB
// takes 15 page faults instead of 7,500 (a fault costs ~12 us on a virtual machine).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace careforce {

template <typename T>
class BigArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  BigArray() = default;
  /// `n` elements, not initialised.
  explicit BigArray(size_t n) : data_(allocate(n)), size_(n) {}
  BigArray(BigArray&& other) noexcept
      : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  BigArray& operator=(BigArray&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  std::span<T> span() { return {data(), size_}; }
  std::span<const T> span() const { return {data(), size_}; }

 private:
  static constexpr size_t kHugePage = size_t{2} << 20;
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };

  static T* allocate(size_t n) {
    if (n == 0) return nullptr;
    if (n > (SIZE_MAX - kHugePage) / sizeof(T)) throw std::bad_alloc();
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) {
      void* p = std::malloc(bytes);
      if (!p) throw std::bad_alloc();
      return static_cast<T*>(p);
    }
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (!p) throw std::bad_alloc();
#if defined(MADV_HUGEPAGE)
    (void)madvise(p, rounded, MADV_HUGEPAGE);  // advice only: ignored where unsupported
#endif
    return static_cast<T*>(p);
  }

  std::unique_ptr<T[], Free> data_;
  size_t size_ = 0;
};

}  // namespace careforce
