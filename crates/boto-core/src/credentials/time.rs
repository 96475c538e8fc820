//! RFC 3339 instants for credential expirations (`2024-05-01T12:00:00Z`), as [`SystemTime`]s.
//! The calendar work is [`Timestamp`]'s; this adds the stricter rules expirations follow.

use crate::document::Timestamp;
use std::time::SystemTime;

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` (a space may replace `T`; no zone
/// means UTC). Returns `None` for anything else, including instants before 1970.
pub fn parse_rfc3339(input: &str) -> Option<SystemTime> {
    let s = input.trim();
    // Seconds are required here, though ISO 8601 lets them go.
    if !s.is_ascii() || s.len() < 19 || s.as_bytes()[16] != b':' {
        return None;
    }
    let t = Timestamp::parse_iso8601(s).ok()?;
    (t.secs() >= 0).then(|| t.into())
}

/// Formats as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, UTC).
pub fn format_rfc3339(t: SystemTime) -> String {
    Timestamp::from_secs(Timestamp::from(t).secs()).to_iso8601()
}
