//! The signing time as SigV4 writes it (`yyyymmddThhmmssZ`, and its first eight digits as the
//! scope date), computed from the caller's clock value without reading one.

use std::time::{SystemTime, UNIX_EPOCH};

use super::SigningError;

/// The signing time as `yyyymmddThhmmssZ` (the `X-Amz-Date` format).
///
/// # Errors
///
/// [`SigningError::TimeBeforeEpoch`] or [`SigningError::TimeOutOfRange`] for times outside
/// 1970..=9999.
pub fn format_amz_date(time: SystemTime) -> Result<String, SigningError> {
    let stamp = AmzDate::from_system_time(time)?;
    Ok(stamp.datetime_string())
}

/// A validated signing time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct AmzDate {
    /// `yyyymmddThhmmssZ` as ASCII.
    datetime: [u8; 16],
}

impl AmzDate {
    pub(super) fn from_system_time(time: SystemTime) -> Result<Self, SigningError> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::TimeBeforeEpoch)?
            .as_secs();
        Self::from_unix_secs(secs)
    }

    pub(super) fn from_unix_secs(secs: u64) -> Result<Self, SigningError> {
        let days = secs / 86_400;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        if year > 9999 {
            return Err(SigningError::TimeOutOfRange);
        }
        let (hour, minute, second) = (rem / 3600, (rem % 3600) / 60, rem % 60);
        let mut datetime = [0u8; 16];
        let mut put = |start: usize, value: u64, width: usize| {
            let mut v = value;
            for i in (start..start + width).rev() {
                if let Some(slot) = datetime.get_mut(i) {
                    // `v % 10` is a single digit, so the cast cannot truncate.
                    *slot = b'0' + (v % 10) as u8;
                }
                v /= 10;
            }
        };
        put(0, year, 4);
        put(4, month, 2);
        put(6, day, 2);
        put(9, hour, 2);
        put(11, minute, 2);
        put(13, second, 2);
        datetime[8] = b'T';
        datetime[15] = b'Z';
        Ok(Self { datetime })
    }

    pub(super) fn datetime_str(&self) -> &str {
        // Only ASCII digits, 'T' and 'Z' are ever written.
        std::str::from_utf8(&self.datetime).unwrap_or("")
    }

    pub(super) fn datetime_string(&self) -> String {
        self.datetime_str().to_owned()
    }

    pub(super) fn date(&self) -> [u8; 8] {
        let [y0, y1, y2, y3, m0, m1, d0, d1, ..] = self.datetime;
        [y0, y1, y2, y3, m0, m1, d0, d1]
    }

    pub(super) fn date_str(&self) -> &str {
        std::str::from_utf8(&self.datetime[..8]).unwrap_or("")
    }
}

/// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01 (the calendar
/// arithmetic is [`crate::document::Timestamp`]'s).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let (y, m, d) = crate::document::civil_from_days(i64::try_from(days).unwrap_or(i64::MAX / 2));
    (
        u64::try_from(y).unwrap_or(u64::MAX),
        u64::from(m),
        u64::from(d),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::at;
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_dates() {
        let cases = [
            (0, "19700101T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (1_369_353_600, "20130524T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (951_868_799, "20000229T235959Z"),
            (4_107_542_400, "21000301T000000Z"),
            (253_402_300_799, "99991231T235959Z"),
        ];
        for (secs, expected) in cases {
            assert_eq!(format_amz_date(at(secs)).unwrap(), expected, "{secs}");
        }
        assert_eq!(
            format_amz_date(at(253_402_300_800)),
            Err(SigningError::TimeOutOfRange)
        );
        assert_eq!(
            AmzDate::from_unix_secs(u64::MAX).map(|d| d.datetime_string()),
            Err(SigningError::TimeOutOfRange)
        );
        assert_eq!(
            format_amz_date(UNIX_EPOCH - Duration::from_secs(1)),
            Err(SigningError::TimeBeforeEpoch)
        );
    }

    #[test]
    fn civil_dates_match_day_counting() {
        // Walk day by day for 1000 years and check the calendar increments correctly.
        let (mut y, mut m, mut d) = (1970u64, 1u64, 1u64);
        for days in 0..366_000u64 {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }
}
