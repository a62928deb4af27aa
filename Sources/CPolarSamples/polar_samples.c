// The hot loop of a Polar PMD ECG frame (DeviceProfiles' PolarECGFrame): 3-byte samples to 16
// bits. Byte arithmetic in Swift vectorises to about a nanosecond a sample on x86-64's SSE2
// baseline; gathering bytes takes a shuffle (SSSE3's pshufb), which Swift cannot ask for.
#include "polar_samples.h"

bool caregate_polar_samples_portable(const void *bytes, int16_t *out, size_t count) {
    const uint8_t *raw = bytes;
    uint8_t misfit = 0;
    for (size_t k = 0; k < count; k++) {
        uint8_t low = raw[3 * k], middle = raw[3 * k + 1], high = raw[3 * k + 2];
        out[k] = (int16_t)(uint16_t)(middle << 8 | low);
        misfit |= high ^ (uint8_t)((int8_t)middle >> 7);
    }
    return misfit == 0;
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// Eight samples (24 bytes) a step, from two 16-byte loads at 0 and 12, each giving four.
__attribute__((target("ssse3")))
static bool samples_ssse3(const void *bytes, int16_t *out, size_t count) {
    const uint8_t *raw = bytes;
    // Each sample's low and middle bytes into a 16-bit lane: the first load's four into
    // lanes 0–3, the second's into lanes 4–7 (-1 gives a zero byte).
    const __m128i lowFirst = _mm_setr_epi8(0, 1, 3, 4, 6, 7, 9, 10, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i lowSecond = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 3, 4, 6, 7, 9, 10);
    // Each top byte twice in its lane: 0x0000 or 0xFFFF when the sample fits.
    const __m128i highFirst = _mm_setr_epi8(2, 2, 5, 5, 8, 8, 11, 11, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i highSecond = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, 2, 2, 5, 5, 8, 8, 11, 11);
    __m128i misfit = _mm_setzero_si128();
    size_t k = 0;
    // The second load reads 16 bytes from 3k + 12, four past the eighth sample: a step needs
    // 28 bytes left (so the last few samples, at least two, always go to the portable loop).
    for (; 3 * k + 28 <= 3 * count; k += 8) {
        __m128i a = _mm_loadu_si128((const __m128i *)(raw + 3 * k));
        __m128i b = _mm_loadu_si128((const __m128i *)(raw + 3 * k + 12));
        __m128i value = _mm_or_si128(_mm_shuffle_epi8(a, lowFirst), _mm_shuffle_epi8(b, lowSecond));
        __m128i high = _mm_or_si128(_mm_shuffle_epi8(a, highFirst), _mm_shuffle_epi8(b, highSecond));
        misfit = _mm_or_si128(misfit, _mm_xor_si128(high, _mm_srai_epi16(value, 15)));
        _mm_storeu_si128((__m128i *)(out + k), value);
    }
    bool tailFits = caregate_polar_samples_portable(raw + 3 * k, out + k, count - k);
    return tailFits && _mm_movemask_epi8(_mm_cmpeq_epi8(misfit, _mm_setzero_si128())) == 0xFFFF;
}

static bool hasSSSE3(void) {
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3);
}
#endif

bool caregate_polar_samples_uses_ssse3(void) {
#if defined(__x86_64__)
    // 0 not yet asked, 1 yes, 2 no; threads that race to ask store the same answer.
    static int ssse3 = 0;
    int known = __atomic_load_n(&ssse3, __ATOMIC_RELAXED);
    if (known == 0) {
        known = hasSSSE3() ? 1 : 2;
        __atomic_store_n(&ssse3, known, __ATOMIC_RELAXED);
    }
    return known == 1;
#else
    return false;
#endif
}

bool caregate_polar_samples(const void *raw, int16_t *out, size_t count) {
#if defined(__x86_64__)
    if (caregate_polar_samples_uses_ssse3()) return samples_ssse3(raw, out, count);
#endif
    return caregate_polar_samples_portable(raw, out, count);
}
