#ifndef CAREGATE_BROKER_SOCKET_H
#define CAREGATE_BROKER_SOCKET_H
#include <stddef.h>

/// Batches the system calls libmosquitto makes on the broker's socket.
///
/// It reads ahead: libmosquitto's small reads of a packet (its first byte, its length, its body:
/// three system calls a message) are served from memory that one read of the socket fills. And
/// it writes behind on request: while held, what libmosquitto writes (the PUBACKs of a backlog)
/// waits in memory and leaves in one write. One per client, used by its network thread.
typedef struct caregate_broker_socket caregate_broker_socket;

/// A new one, attached to no socket; NULL when out of memory.
caregate_broker_socket *caregate_broker_socket_create(void);

/// Detaches it from its socket, if any, and frees it.
void caregate_broker_socket_destroy(caregate_broker_socket *socket);

/// Reads and writes of `fd` go through `socket` from now on, until `fd` is closed or another
/// socket is attached; whatever it held for an earlier socket is dropped. Returns 0, or -1 when
/// `fd` is out of range (reads and writes then stay direct).
int caregate_broker_socket_attach(caregate_broker_socket *socket, int fd);

/// Bytes read from the socket and not yet handed to a reader (0 once it is closed): the socket
/// may be empty while these wait, so the network thread asks here before it waits in `poll`.
size_t caregate_broker_socket_unread(caregate_broker_socket *socket);

/// While `hold` is set, writes to `fd` are kept in memory; clearing it writes them, in order, in
/// one write(2), as far as the socket takes them. This is TCP_CORK without a system call a
/// message. Returns -1, changing nothing, when `fd` is not attached.
int caregate_broker_socket_hold(int fd, int hold);

/// Bytes written by libmosquitto that the socket has not taken yet (it was full when they were
/// let go): the network thread waits for room (POLLOUT) and lets them go again.
size_t caregate_broker_socket_unsent(caregate_broker_socket *socket);

/// The write(2) calls made to the socket it is attached to, over every socket it has been
/// attached to: how well the PUBACKs are batched. Safe from any thread.
unsigned long caregate_broker_socket_writes(caregate_broker_socket *socket);

/// Bytes read from the sockets it has been attached to, through the read-ahead buffer: the
/// network thread compares this between two waits to see a backlog streaming in. Safe from any
/// thread.
unsigned long caregate_broker_socket_bytes_read(caregate_broker_socket *socket);

/// While set, socketpair(2) on the calling thread fails (EMFILE): set around mosquitto_new and
/// connecting, so that libmosquitto opens no self-wake pipe and writes no byte to it a packet.
void caregate_broker_socket_refuse_socket_pairs(int refuse);

/// Socket pairs refused so far, in the whole process.
unsigned long caregate_broker_socket_refused_socket_pairs(void);

#endif
