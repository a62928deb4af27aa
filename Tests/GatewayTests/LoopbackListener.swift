import Glibc

/// A TCP socket listening on 127.0.0.1, on a port the kernel picked.
struct LoopbackListener {
    let fd: Int32
    private var address = sockaddr_in()

    var port: Int { Int(UInt16(bigEndian: address.sin_port)) }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.setup(errno) }
        self.fd = fd
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                guard bind(fd, a, length) == 0, listen(fd, 1) == 0, getsockname(fd, a, &length) == 0 else {
                    close(fd)
                    throw LoopbackError.setup(errno)
                }
            }
        }
    }

    /// A new socket connected to it.
    func connectClient() throws -> Int32 {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var target = address
        try withUnsafePointer(to: &target) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                guard connect(client, a, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 else { throw LoopbackError.setup(errno) }
            }
        }
        return client
    }
}

/// A socket the test set up failed, with its errno.
enum LoopbackError: Error {
    case setup(Int32)
}
