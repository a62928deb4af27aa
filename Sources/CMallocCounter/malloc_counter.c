// Counts heap allocations for the benchmarks: the executable's definitions of malloc and friends
// interpose glibc's for the whole process (the Swift runtime included) and forward to glibc's
// own entry points. Linked into the benchmark binary only, never into caregate.
#define _GNU_SOURCE
#include "malloc_counter.h"
#include <errno.h>
#include <malloc.h>
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static uint64_t allocations;

static inline void counted(void) { __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED); }

void *malloc(size_t size) { counted(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { counted(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { counted(); return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    counted();
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

uint64_t caregate_malloc_count(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }

uint64_t caregate_heap_in_use(void) { return (uint64_t)mallinfo2().uordblks; }
