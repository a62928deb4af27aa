#ifndef CAREGATE_READ_AHEAD_H
#define CAREGATE_READ_AHEAD_H
#include <stddef.h>

/// A buffer that reads ahead on one socket, so that libmosquitto's small reads of a packet (its
/// first byte, its length, its body: three system calls a message) are served from memory, and
/// the socket is read once for hundreds of messages. One per client, used by its network thread.
typedef struct caregate_read_ahead caregate_read_ahead;

/// A new read-ahead, attached to no socket; NULL when out of memory.
caregate_read_ahead *caregate_read_ahead_create(void);

/// Detaches it from its socket, if any, and frees it.
void caregate_read_ahead_destroy(caregate_read_ahead *ahead);

/// Reads on `fd` go through `ahead` from now on, until `fd` is closed or another socket is
/// attached; whatever it held from an earlier socket is dropped. Returns 0, or -1 when `fd` is
/// out of range (reads then stay direct).
int caregate_read_ahead_attach(caregate_read_ahead *ahead, int fd);

/// Bytes read from the socket and not yet handed to a reader (0 once it is closed): the socket
/// may be empty while these wait, so the network thread asks here before it waits in `poll`.
size_t caregate_read_ahead_buffered(caregate_read_ahead *ahead);

#endif
