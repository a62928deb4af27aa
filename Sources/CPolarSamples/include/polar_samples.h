#ifndef CAREGATE_POLAR_SAMPLES_H
#define CAREGATE_POLAR_SAMPLES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Writes the `count` 3-byte little-endian signed samples at `raw` (3 × count bytes) into `out`
/// as 16 bits, and says whether every one fit 16 bits (its top byte only repeats the sign of
/// the byte below it). With SSSE3 (checked once), eight samples a step; otherwise one.
bool caregate_polar_samples(const void *raw, int16_t *out, size_t count);

/// The same, one sample a step on any CPU: the reference the vector path is tested against.
bool caregate_polar_samples_portable(const void *raw, int16_t *out, size_t count);

/// Whether `caregate_polar_samples` takes the SSSE3 path on this CPU.
bool caregate_polar_samples_uses_ssse3(void);

#endif
