import Logging
import Storage
import Synchronization
import Telemetry

/// Looks at the registry's change counter on every tick and hands a changed registry to the
/// pipeline, so that `caregate devices assign` takes effect within a tick, without a restart.
/// A tick without a change costs one indexed read.
final class RegistryWatcher: Sendable {
    private let reader: Mutex<StoreReader>
    private let version: Atomic<Int64>
    private let pipeline: Pipeline
    private let logger: Logger

    /// Watches through `reader`, from which the registry at `version` was read.
    init(reader: consuming sending StoreReader, version: Int64, pipeline: Pipeline, logger: Logger) {
        self.reader = Mutex(reader)
        self.version = Atomic(version)
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Takes the registry if it changed since the last look; runs on the ticker's thread.
    func check() {
        do {
            let changed: Registry? = try reader.withLock { reader throws(SQLiteError) in
                let now = try reader.registryVersion()
                guard now != version.load(ordering: .relaxed) else { return nil }
                version.store(now, ordering: .relaxed)
                return try reader.registry()
            }
            guard let registry = changed else { return }
            let warnings = pipeline.replaceRegistry(registry)
            logger.notice("the registry changed: \(registry.residents.count) residents, \(registry.devices.count) devices")
            for warning in warnings { logger.warning("\(warning)") }
        } catch {
            logger.error("could not read the registry, the one in use stays: \(error)")
        }
    }
}
