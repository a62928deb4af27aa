#ifndef CAREGATE_HEAP_GROWTH_H
#define CAREGATE_HEAP_GROWTH_H

/// Has glibc's malloc take at least `bytes` more than it needs whenever it grows a heap
/// (mallopt M_TOP_PAD, which Swift's Glibc module does not export). Returns whether it was set.
int caregate_heap_growth_step(int bytes);

#endif
