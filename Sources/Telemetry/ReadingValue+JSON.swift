extension ReadingValue {
    /// Writes the stream's fields (stored units) into the object being written, as
    /// `caregate query readings` and the alert event's `value` show them.
    public func writeFields(into json: inout JSONWriter) {
        switch self {
        case .bloodPressure(let bp):
            json.field("systolic", bp.systolic)
            json.field("diastolic", bp.diastolic)
            json.field("pulse", bp.pulse)
        case .glucose(let g):
            json.field("mg_dl", g.mgdl)
            json.field("context", g.context?.rawValue)
        case .ecg(let chunk):
            json.field("hz", chunk.hz)
            json.field("lead", chunk.lead)
            json.field("uv_per_lsb", chunk.microvoltsPerLSB)
            json.key("samples")
            json.array { a in
                for s in chunk.samples { a.value(Int(s)) }
            }
        case .sos(let call):
            json.field("cause", call.cause.rawValue)
            json.field("cancel", call.cancel)
        case .status(let status):
            json.field("battery", status.battery)
            json.field("rssi", status.rssi)
        }
    }
}

extension Reading {
    /// The reading as `caregate query readings --format jsonl` shows it (PROTOCOL.md §5):
    /// station, device, stream, resident, ts, seq and the stream's fields; then `notes` (what
    /// the device said about it: its status, the specimen, a time of arrival) when there are any.
    public func json() -> JSONWriter {
        var json = JSONWriter()
        json.object { o in
            o.field("station", source.station)
            o.field("device", source.device)
            o.field("stream", stream.name)
            o.field("resident", resident)
            o.field("ts", ts)
            o.field("seq", seq)
            value.writeFields(into: &o)
            if !notes.isEmpty {
                o.key("notes")
                o.array { a in
                    for note in notes { a.value(note.word) }
                }
            }
        }
        return json
    }
}

extension AlertEvent {
    /// The event as PROTOCOL.md §3 publishes it.
    public func json() -> JSONWriter {
        var json = JSONWriter(capacity: 320)
        json.object { o in
            o.field("id", alertID)
            o.field("event", kind.rawValue)
            o.field("rule", rule)
            o.field("priority", priority.name)
            o.field("station", source.station)
            o.field("device", source.device)
            o.field("stream", stream.name)
            o.field("resident", resident)
            o.key("value")
            if let value {
                o.object { value.writeFields(into: &$0) }
            } else {
                o.value(nil as String?)
            }
            o.field("reading_ts", readingTS)
            o.field("reading_seq", readingSeq)
            o.field("at", at)
            o.field("count", count)
            o.field("by", by)
            o.field("tier", tier)
        }
        return json
    }
}
