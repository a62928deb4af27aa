// How far glibc's malloc grows a heap at a time. Each growth of a thread's heap is an mprotect
// of the process's memory map; while SQLite's page cache fills, the store writer made about 140
// a second, each a trip into the kernel that this kernel does not preempt (BENCHMARKS.md).
#include "heap_growth.h"
#include <malloc.h>

int caregate_heap_growth_step(int bytes) { return mallopt(M_TOP_PAD, bytes); }
