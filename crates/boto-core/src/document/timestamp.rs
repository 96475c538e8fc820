//! A UTC instant with the wire formats AWS models use: ISO 8601, RFC 822 (HTTP date) and epoch seconds.
//!
//! Calendar arithmetic uses the proleptic Gregorian "days from civil" conversion, so no date crate is
//! needed and every conversion is total over the years 0..=9999 (anything else is a parse error).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, UTC, with nanosecond precision.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// Why a timestamp string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    input: String,
    expected: &'static str,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid {} timestamp",
            self.input, self.expected
        )
    }
}

impl std::error::Error for TimestampError {}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// The broken-down civil fields of a timestamp.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Timestamp {
    /// The Unix epoch.
    pub const UNIX_EPOCH: Timestamp = Timestamp { secs: 0, nanos: 0 };

    /// From whole seconds and nanoseconds since the Unix epoch (nanos are clamped below 1e9).
    pub fn from_secs_nanos(secs: i64, nanos: u32) -> Self {
        Timestamp {
            secs,
            nanos: nanos.min(999_999_999),
        }
    }

    /// From whole seconds since the Unix epoch.
    pub fn from_secs(secs: i64) -> Self {
        Timestamp { secs, nanos: 0 }
    }

    /// From fractional seconds since the Unix epoch; `None` for NaN or out-of-range values.
    pub fn from_epoch_f64(value: f64) -> Option<Self> {
        if !value.is_finite() || value.abs() > 1e15 {
            return None;
        }
        let secs = value.floor();
        let nanos = ((value - secs) * 1e9).round() as u32;
        if nanos >= 1_000_000_000 {
            return Some(Timestamp::from_secs(secs as i64 + 1));
        }
        Some(Timestamp {
            secs: secs as i64,
            nanos,
        })
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// Seconds since the Unix epoch.
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// Sub-second nanoseconds.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the Unix epoch as a float (the `unixTimestamp` wire format).
    pub fn as_epoch_f64(&self) -> f64 {
        self.secs as f64 + self.nanos as f64 / 1e9
    }

    fn civil(&self) -> Civil {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// ISO 8601 with millisecond precision when there is a fraction: `2015-01-25T08:00:00.123Z`.
    pub fn to_iso8601(&self) -> String {
        let c = self.civil();
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        );
        if self.nanos != 0 {
            let millis = self.nanos / 1_000_000;
            let micros = self.nanos / 1000;
            if micros % 1000 == 0 {
                out.push_str(&format!(".{millis:03}"));
            } else {
                out.push_str(&format!(".{micros:06}"));
            }
        }
        out.push('Z');
        out
    }

    /// The compact form SigV4 uses: `20150830T123600Z`.
    pub fn to_amz_date(&self) -> String {
        let c = self.civil();
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// RFC 822 / HTTP date: `Sun, 25 Jan 2015 08:00:00 GMT`.
    pub fn to_rfc822(&self) -> String {
        let c = self.civil();
        let weekday = WEEKDAYS[self.secs.div_euclid(86_400).rem_euclid(7) as usize];
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            weekday,
            c.day,
            MONTHS[(c.month - 1) as usize],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// Epoch seconds as the wire shows them: an integer when whole, else up to millisecond fraction.
    pub fn to_epoch_string(&self) -> String {
        if self.nanos == 0 {
            self.secs.to_string()
        } else {
            let s = format!("{:.3}", self.as_epoch_f64());
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }

    fn from_civil(c: &Civil, nanos: u32) -> Option<Self> {
        if !(1..=12).contains(&c.month)
            || c.day == 0
            || c.day > days_in_month(c.year, c.month)
            || c.hour > 23
            || c.minute > 59
            || c.second > 60
        {
            return None;
        }
        let days = days_from_civil(c.year, c.month, c.day);
        let secs = days * 86_400 + (c.hour * 3600 + c.minute * 60 + c.second.min(59)) as i64;
        Some(Timestamp { secs, nanos })
    }

    /// Parses ISO 8601 as AWS services send it: `2015-01-25T08:00:00Z`, with an optional fraction,
    /// a `+hh:mm` offset instead of `Z`, a space or lowercase `t` separator, or a date only.
    pub fn parse_iso8601(input: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError {
            input: input.to_string(),
            expected: "ISO 8601",
        };
        let s = input.trim();
        let b = s.as_bytes();
        // Fixed-width digit fields, summed by hand (`str::parse` costs more than the rest of
        // the parse, and listings carry a timestamp per item).
        let num = |from: usize, len: usize| -> Option<u32> {
            let part = b.get(from..from + len)?;
            part.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let year = num(0, 4).ok_or_else(err)? as i64;
        let month = num(5, 2).ok_or_else(err)?;
        let day = num(8, 2).ok_or_else(err)?;
        let mut civil = Civil {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        };
        let mut nanos = 0u32;
        let mut offset_secs = 0i64;
        if b.len() > 10 {
            if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 16 || b[13] != b':' {
                return Err(err());
            }
            civil.hour = num(11, 2).ok_or_else(err)?;
            civil.minute = num(14, 2).ok_or_else(err)?;
            let mut i = 16;
            if b.get(16) == Some(&b':') {
                civil.second = num(17, 2).ok_or_else(err)?;
                i = 19;
            }
            if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
                i += 1;
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == start {
                    return Err(err());
                }
                let digits = i.min(start + 9) - start;
                let mut n = num(start, digits).ok_or_else(err)?;
                for _ in digits..9 {
                    n *= 10;
                }
                nanos = n;
            }
            match &s[i..] {
                "" | "Z" | "z" => {}
                tz if (tz.starts_with('+') || tz.starts_with('-')) && tz.len() >= 3 => {
                    let sign = if tz.starts_with('-') { -1 } else { 1 };
                    let rest = tz[1..].replace(':', "");
                    if rest.len() != 4 && rest.len() != 2
                        || !rest.bytes().all(|c| c.is_ascii_digit())
                    {
                        return Err(err());
                    }
                    let h: i64 = rest[..2].parse().map_err(|_| err())?;
                    let m: i64 = if rest.len() == 4 {
                        rest[2..].parse().map_err(|_| err())?
                    } else {
                        0
                    };
                    if h > 23 || m > 59 {
                        return Err(err());
                    }
                    offset_secs = sign * (h * 3600 + m * 60);
                }
                _ => return Err(err()),
            }
        }
        let t = Self::from_civil(&civil, nanos).ok_or_else(err)?;
        Ok(Timestamp {
            secs: t.secs - offset_secs,
            nanos: t.nanos,
        })
    }

    /// Parses an RFC 822 / RFC 7231 HTTP date: `Sun, 25 Jan 2015 08:00:00 GMT` (the weekday is
    /// optional and not checked; a fraction of a second is accepted).
    pub fn parse_rfc822(input: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError {
            input: input.to_string(),
            expected: "RFC 822",
        };
        let s = input.trim();
        let s = match s.find(',') {
            Some(i) => s[i + 1..].trim_start(),
            None => s,
        };
        let mut parts = s.split_ascii_whitespace();
        let day: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let month_name = parts.next().ok_or_else(err)?;
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(month_name))
            .ok_or_else(err)? as u32
            + 1;
        let year: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let time = parts.next().ok_or_else(err)?;
        match parts.next() {
            None | Some("GMT") | Some("UTC") | Some("Z") | Some("+0000") => {}
            Some(_) => return Err(err()),
        }
        let (hms, frac) = match time.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (time, None),
        };
        let mut fields = hms.split(':').map(|p| p.parse::<u32>().ok());
        let hour = fields.next().flatten().ok_or_else(err)?;
        let minute = fields.next().flatten().ok_or_else(err)?;
        let second = fields.next().flatten().ok_or_else(err)?;
        let nanos = match frac {
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|c| c.is_ascii_digit()) => {
                f.parse::<u32>().map_err(|_| err())? * 10u32.pow(9 - f.len() as u32)
            }
            Some(_) => return Err(err()),
            None => 0,
        };
        let civil = Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        };
        Self::from_civil(&civil, nanos).ok_or_else(err)
    }

    /// Parses epoch seconds, integer or fractional (`1422172800`, `1422172800.123`).
    pub fn parse_epoch(input: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError {
            input: input.to_string(),
            expected: "epoch seconds",
        };
        let s = input.trim();
        if let Ok(secs) = s.parse::<i64>() {
            return Ok(Timestamp::from_secs(secs));
        }
        s.parse::<f64>()
            .ok()
            .and_then(Timestamp::from_epoch_f64)
            .ok_or_else(err)
    }

    /// Parses whichever of the three formats the text is in (what botocore's default parser does for
    /// timestamps whose format the model does not pin).
    pub fn parse_any(input: &str) -> Result<Self, TimestampError> {
        Self::parse_iso8601(input)
            .or_else(|_| Self::parse_epoch(input))
            .or_else(|_| Self::parse_rfc822(input))
            .map_err(|_| TimestampError {
                input: input.to_string(),
                expected: "ISO 8601, RFC 822 or epoch",
            })
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let mut secs = -(d.as_secs() as i64);
                let mut nanos = d.subsec_nanos();
                if nanos > 0 {
                    secs -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                Timestamp { secs, nanos }
            }
        }
    }
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        if t.secs >= 0 {
            UNIX_EPOCH + Duration::new(t.secs as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.secs.unsigned_abs())
                + Duration::from_nanos(t.nanos as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let t = Timestamp::from_secs(1_422_172_800);
        assert_eq!(t.to_iso8601(), "2015-01-25T08:00:00Z");
        assert_eq!(t.to_rfc822(), "Sun, 25 Jan 2015 08:00:00 GMT");
        assert_eq!(t.to_epoch_string(), "1422172800");
        assert_eq!(t.to_amz_date(), "20150125T080000Z");
        assert_eq!(Timestamp::parse_iso8601("2015-01-25T08:00:00Z").unwrap(), t);
        assert_eq!(
            Timestamp::parse_rfc822("Sun, 25 Jan 2015 08:00:00 GMT").unwrap(),
            t
        );
        assert_eq!(Timestamp::parse_epoch("1422172800").unwrap(), t);
        assert_eq!(Timestamp::parse_any("1422172800").unwrap(), t);
    }

    #[test]
    fn fractions_and_offsets() {
        let t = Timestamp::parse_iso8601("2015-01-25T08:00:00.123Z").unwrap();
        assert_eq!(t.subsec_nanos(), 123_000_000);
        assert_eq!(t.to_iso8601(), "2015-01-25T08:00:00.123Z");
        assert_eq!(t.to_epoch_string(), "1422172800.123");
        let o = Timestamp::parse_iso8601("2015-01-25T10:00:00+02:00").unwrap();
        assert_eq!(o.secs(), 1_422_172_800);
        assert_eq!(
            Timestamp::parse_epoch("1422172800.5")
                .unwrap()
                .subsec_nanos(),
            500_000_000
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "2015-01",
            "2015-13-01T00:00:00Z",
            "2015-02-30",
            "Sun, 99 Foo 2015",
            "x",
            "2015-01-25T08:00:00Q",
            "1e400",
        ] {
            assert!(Timestamp::parse_any(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_conversion_is_consistent() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
