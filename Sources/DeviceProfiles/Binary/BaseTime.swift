/// The Bluetooth Date Time field (7 bytes: year uint16, month, day, hours, minutes, seconds),
/// a local time without a zone: read in the station's time zone (PROTOCOL.md §2, Clocks).
enum BaseTime {
    /// The field as ms since the Unix epoch, or nil when the device says its clock is unknown
    /// (year, month or day 0). A date that cannot exist is refused.
    static func read(_ r: inout ByteReader, field: StaticString, utcOffsetMinutes: Int) throws(Rejection) -> Int64? {
        let b = try r.bytes(7, "\(field)")
        let year = Int(b[0]) | Int(b[1]) << 8
        let month = Int(b[2])
        let day = Int(b[3])
        let hours = Int(b[4])
        let minutes = Int(b[5])
        let seconds = Int(b[6])
        if year == 0 || month == 0 || day == 0 { return nil }
        guard (1582...9999).contains(year), month <= 12, day <= daysIn(month: month, year: year),
              hours < 24, minutes < 60, seconds < 60 else {
            throw Rejection(.outOfRange, "\(field) is not a valid date and time")
        }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let local = ((days * 24 + Int64(hours)) * 60 + Int64(minutes)) * 60 + Int64(seconds)
        return (local - Int64(utcOffsetMinutes) * 60) * 1000
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
