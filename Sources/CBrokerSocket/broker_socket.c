// Batches the system calls under libmosquitto on the broker's socket.
//
// libmosquitto 2.0 reads a packet with three calls to read(2) (its first byte, its remaining
// length, its body) and writes each PUBACK with a write(2) of its own. On this VM a system call
// is most of what a message costs the network thread, and nothing in libmosquitto's API lets a
// client hand it bytes another way. So the executable defines read(2), write(2) and close(2),
// which interpose glibc's for the whole process (libmosquitto and OpenSSL's socket BIO included),
// and forwards every call to glibc's own entry points, except on a socket a client has attached:
// - a read is served from a buffer that one read of the socket fills with whatever has arrived,
//   up to 64 KiB;
// - while the client holds writes, a write is appended to a buffer of 16 KiB, which leaves in
//   one write(2) when the hold ends; a write that finds unsent bytes goes behind them, in order;
//   and when neither the buffer nor the socket has room, the write fails with EAGAIN, as a full
//   socket's would, so libmosquitto keeps the packet and tries again.
// close(2) of an attached socket sends what is held and detaches it first, so a later file that
// reuses the number is read and written directly.
//
// socketpair(2) is interposed too, to refuse the one libmosquitto opens in mosquitto_new (and,
// in later versions, when connecting) for waking its own loop: it writes a byte to it for every packet it queues (a PUBACK a message),
// and without it, it simply does not. The client wakes its network thread through a pipe of its
// own. Only a thread that asked is refused, and only while it asks.
//
// An attached socket belongs to one client's network thread, the only thread that reads or
// writes it (libmosquitto's threaded mode queues other threads' packets for that thread) and the
// only one that asks what is buffered. The table from descriptor to socket is atomic because
// close(2) and attach may come from other threads.
#define _GNU_SOURCE
#include "broker_socket.h"
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern ssize_t __read(int fd, void *buffer, size_t count);
extern ssize_t __write(int fd, const void *buffer, size_t count);
extern int __close(int fd);

enum { readCapacity = 64 * 1024, heldCapacity = 16 * 1024, maxDescriptors = 4096 };

struct caregate_broker_socket {
    _Atomic int fd;
    // Read ahead: bytes[start..<end] have arrived and are not read yet.
    size_t start, end;
    // Write behind: heldBytes[0..<held] are written and not sent yet.
    int holding;
    size_t held;
    // write(2) calls made to the socket, and bytes read from it, for as long as this exists:
    // read by other threads.
    _Atomic unsigned long writes;
    _Atomic unsigned long bytesRead;
    unsigned char bytes[readCapacity];
    unsigned char heldBytes[heldCapacity];
};

static _Atomic(caregate_broker_socket *) attached[maxDescriptors];

static caregate_broker_socket *lookup(int fd) {
    if (fd < 0 || fd >= maxDescriptors) return NULL;
    return atomic_load_explicit(&attached[fd], memory_order_acquire);
}

static void detach(caregate_broker_socket *socket) {
    int fd = atomic_exchange_explicit(&socket->fd, -1, memory_order_acq_rel);
    if (fd < 0) return;
    caregate_broker_socket *expected = socket;
    atomic_compare_exchange_strong_explicit(&attached[fd], &expected, NULL, memory_order_acq_rel, memory_order_relaxed);
}

static void empty(caregate_broker_socket *socket) {
    socket->start = socket->end = 0;
    socket->holding = 0;
    socket->held = 0;
}

caregate_broker_socket *caregate_broker_socket_create(void) {
    caregate_broker_socket *socket = malloc(sizeof *socket);
    if (!socket) return NULL;
    atomic_init(&socket->fd, -1);
    atomic_init(&socket->writes, 0);
    atomic_init(&socket->bytesRead, 0);
    empty(socket);
    return socket;
}

void caregate_broker_socket_destroy(caregate_broker_socket *socket) {
    if (!socket) return;
    detach(socket);
    free(socket);
}

int caregate_broker_socket_attach(caregate_broker_socket *socket, int fd) {
    detach(socket);
    empty(socket);
    if (fd < 0 || fd >= maxDescriptors) return -1;
    atomic_store_explicit(&socket->fd, fd, memory_order_release);
    atomic_store_explicit(&attached[fd], socket, memory_order_release);
    return 0;
}

// What a closed socket left behind will never be read or sent.
static int isAttached(caregate_broker_socket *socket) {
    return atomic_load_explicit(&socket->fd, memory_order_acquire) >= 0;
}

size_t caregate_broker_socket_unread(caregate_broker_socket *socket) {
    return isAttached(socket) ? socket->end - socket->start : 0;
}

size_t caregate_broker_socket_unsent(caregate_broker_socket *socket) {
    return isAttached(socket) ? socket->held : 0;
}

unsigned long caregate_broker_socket_writes(caregate_broker_socket *socket) {
    return atomic_load_explicit(&socket->writes, memory_order_relaxed);
}

unsigned long caregate_broker_socket_bytes_read(caregate_broker_socket *socket) {
    return atomic_load_explicit(&socket->bytesRead, memory_order_relaxed);
}

// Only the network thread reads and writes the socket, so it counts without a locked instruction.
static void addTo(_Atomic unsigned long *counter, unsigned long amount) {
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + amount, memory_order_relaxed);
}

static ssize_t writeCounted(caregate_broker_socket *socket, int fd, const void *data, size_t count) {
    addTo(&socket->writes, 1);
    return __write(fd, data, count);
}

ssize_t read(int fd, void *out, size_t count) {
    caregate_broker_socket *socket = lookup(fd);
    if (!socket || count == 0) return __read(fd, out, count);
    if (socket->start == socket->end) {
        // A read at least as large as the buffer gains nothing from it.
        if (count >= readCapacity) return __read(fd, out, count);
        // Empty, closed or failed: as the socket says, errno included.
        ssize_t got = __read(fd, socket->bytes, readCapacity);
        if (got <= 0) return got;
        addTo(&socket->bytesRead, (unsigned long)got);
        socket->start = 0;
        socket->end = (size_t)got;
    }
    size_t n = socket->end - socket->start;
    if (n > count) n = count;
    memcpy(out, socket->bytes + socket->start, n);
    socket->start += n;
    return (ssize_t)n;
}

// Sends what is held, as far as the socket takes it, and keeps the rest: 0, or -1 with errno
// (EAGAIN when the socket is full).
static int sendHeld(caregate_broker_socket *socket, int fd) {
    size_t sent = 0;
    int rc = 0;
    while (sent < socket->held) {
        ssize_t n = writeCounted(socket, fd, socket->heldBytes + sent, socket->held - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { rc = -1; break; }
        sent += (size_t)n;
    }
    memmove(socket->heldBytes, socket->heldBytes + sent, socket->held - sent);
    socket->held -= sent;
    return rc;
}

int caregate_broker_socket_hold(int fd, int hold) {
    caregate_broker_socket *socket = lookup(fd);
    if (!socket) return -1;
    socket->holding = hold;
    if (!hold && socket->held > 0) {
        // A failure shows on the next read or write of the socket, where libmosquitto sees it.
        int saved = errno;
        (void)sendHeld(socket, fd);
        errno = saved;
    }
    return 0;
}

ssize_t write(int fd, const void *data, size_t count) {
    caregate_broker_socket *socket = lookup(fd);
    if (!socket || count == 0) return __write(fd, data, count);
    int saved = errno;
    // Not held any more, or no room left: what waits goes first.
    if (socket->held > 0 && (!socket->holding || socket->held + count > heldCapacity)) {
        if (sendHeld(socket, fd) < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        errno = saved;
    }
    // Nothing to go behind, and nothing to hold (or too much to): straight to the socket.
    if (socket->held == 0 && (!socket->holding || count > heldCapacity)) return writeCounted(socket, fd, data, count);
    if (socket->held + count > heldCapacity) {
        errno = EAGAIN;
        return -1;
    }
    memcpy(socket->heldBytes + socket->held, data, count);
    socket->held += count;
    return (ssize_t)count;
}

static _Thread_local int refusingSocketPairs;
static _Atomic unsigned long refusedSocketPairs;

void caregate_broker_socket_refuse_socket_pairs(int refuse) {
    refusingSocketPairs = refuse;
}

unsigned long caregate_broker_socket_refused_socket_pairs(void) {
    return atomic_load_explicit(&refusedSocketPairs, memory_order_relaxed);
}

int socketpair(int domain, int type, int protocol, int fds[2]) {
    if (refusingSocketPairs) {
        atomic_fetch_add_explicit(&refusedSocketPairs, 1, memory_order_relaxed);
        errno = EMFILE;
        return -1;
    }
    // glibc's socketpair is the bare system call.
    return (int)syscall(SYS_socketpair, domain, type, protocol, fds);
}

int close(int fd) {
    caregate_broker_socket *socket = lookup(fd);
    if (socket) {
        // libmosquitto closes right after writing its DISCONNECT, which may sit behind held
        // PUBACKs: they leave first, as a corked socket's bytes would, waiting at most 100 ms
        // for room.
        int saved = errno;
        for (int waited = 0; socket->held > 0 && waited < 100; waited += 10) {
            if (sendHeld(socket, fd) == 0) break;
            if (errno != EAGAIN && errno != EWOULDBLOCK) break;
            struct pollfd entry = {.fd = fd, .events = POLLOUT};
            poll(&entry, 1, 10);
        }
        errno = saved;
        detach(socket);
    }
    return __close(fd);
}
