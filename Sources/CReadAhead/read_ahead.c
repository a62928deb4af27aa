// Reads ahead on the broker's socket under libmosquitto.
//
// libmosquitto 2.0 reads a packet with three calls to read(2): its first byte, its remaining
// length, its body. On this VM a system call is most of a message's cost to the network thread,
// and nothing in libmosquitto's API lets a client give it bytes another way. So the executable
// defines read(2) and close(2), which interpose glibc's for the whole process (libmosquitto and
// OpenSSL's socket reads included), and forwards every call to glibc's own entry points except
// reads of a socket a client has attached: those are served from a buffer that one read of the
// socket fills with whatever has arrived, up to 64 KiB. close(2) of an attached socket detaches
// it first, so a later file that reuses the number is read directly.
//
// A read-ahead belongs to one client's network thread, the only thread that reads its socket or
// asks how much is buffered. The table from socket to read-ahead is atomic because close(2) and
// attach may come from other threads.
#define _GNU_SOURCE
#include "read_ahead.h"
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern ssize_t __read(int fd, void *buffer, size_t count);
extern int __close(int fd);

enum { capacity = 64 * 1024, maxSockets = 4096 };

struct caregate_read_ahead {
    _Atomic int fd;
    size_t start, end;
    unsigned char bytes[capacity];
};

static _Atomic(caregate_read_ahead *) attached[maxSockets];

static caregate_read_ahead *lookup(int fd) {
    if (fd < 0 || fd >= maxSockets) return NULL;
    return atomic_load_explicit(&attached[fd], memory_order_acquire);
}

static void detach(caregate_read_ahead *ahead) {
    int fd = atomic_exchange_explicit(&ahead->fd, -1, memory_order_acq_rel);
    if (fd < 0) return;
    caregate_read_ahead *expected = ahead;
    atomic_compare_exchange_strong_explicit(&attached[fd], &expected, NULL, memory_order_acq_rel, memory_order_relaxed);
}

caregate_read_ahead *caregate_read_ahead_create(void) {
    caregate_read_ahead *ahead = malloc(sizeof *ahead);
    if (!ahead) return NULL;
    atomic_init(&ahead->fd, -1);
    ahead->start = ahead->end = 0;
    return ahead;
}

void caregate_read_ahead_destroy(caregate_read_ahead *ahead) {
    if (!ahead) return;
    detach(ahead);
    free(ahead);
}

int caregate_read_ahead_attach(caregate_read_ahead *ahead, int fd) {
    detach(ahead);
    ahead->start = ahead->end = 0;
    if (fd < 0 || fd >= maxSockets) return -1;
    atomic_store_explicit(&ahead->fd, fd, memory_order_release);
    atomic_store_explicit(&attached[fd], ahead, memory_order_release);
    return 0;
}

size_t caregate_read_ahead_buffered(caregate_read_ahead *ahead) {
    // What a closed socket left behind will never be read.
    if (atomic_load_explicit(&ahead->fd, memory_order_acquire) < 0) return 0;
    return ahead->end - ahead->start;
}

ssize_t read(int fd, void *out, size_t count) {
    caregate_read_ahead *ahead = lookup(fd);
    if (!ahead || count == 0) return __read(fd, out, count);
    if (ahead->start == ahead->end) {
        // A read at least as large as the buffer gains nothing from it.
        if (count >= capacity) return __read(fd, out, count);
        // Empty, closed or failed: as the socket says, errno included.
        ssize_t got = __read(fd, ahead->bytes, capacity);
        if (got <= 0) return got;
        ahead->start = 0;
        ahead->end = (size_t)got;
    }
    size_t n = ahead->end - ahead->start;
    if (n > count) n = count;
    memcpy(out, ahead->bytes + ahead->start, n);
    ahead->start += n;
    return (ssize_t)n;
}

int close(int fd) {
    caregate_read_ahead *ahead = lookup(fd);
    if (ahead) detach(ahead);
    return __close(fd);
}
