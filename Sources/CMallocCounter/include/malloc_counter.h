#ifndef CAREGATE_MALLOC_COUNTER_H
#define CAREGATE_MALLOC_COUNTER_H
#include <stdint.h>

/// Heap allocations made by the process so far (malloc, calloc, realloc, posix_memalign,
/// aligned_alloc, memalign), counted by interposing glibc's allocator in the benchmark binary.
uint64_t caregate_malloc_count(void);

/// Bytes the allocator has handed out and not taken back (glibc's mallinfo2 uordblks).
uint64_t caregate_heap_in_use(void);

#endif
