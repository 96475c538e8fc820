//! Sizes and times as aws-cli prints them.

use boto::Timestamp;

/// aws-cli's `human_readable_size`: `1 Byte`, `10 Bytes`, `1.0 KiB`, `3.5 MiB`, ...
pub fn human_size(bytes: u64) -> String {
    const SUFFIXES: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes == 1 {
        return "1 Byte".into();
    }
    if bytes < 1024 {
        return format!("{bytes} Bytes");
    }
    let value = bytes as f64;
    for (i, suffix) in SUFFIXES.iter().enumerate() {
        let unit = 1024f64.powi(i as i32 + 2);
        if ((value / unit) * 1024.0).round() < 1024.0 {
            return format!("{:.1} {suffix}", 1024.0 * value / unit);
        }
    }
    format!("{:.1} EiB", value / 1024f64.powi(6))
}

/// `YYYY-MM-DD HH:MM:SS` of a timestamp, as `ls` prints it. aws-cli converts to the local
/// time zone; this prints UTC (the zone of servers and CI), so the two agree where TZ is UTC.
pub fn listing_time(t: Timestamp) -> String {
    let iso = t.to_iso8601();
    // `2026-12-02T14:16:47Z` or with fractional seconds: the first 19 characters.
    iso.get(..19).unwrap_or(&iso).replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_aws_cli() {
        assert_eq!(human_size(0), "0 Bytes");
        assert_eq!(human_size(1), "1 Byte");
        assert_eq!(human_size(1023), "1023 Bytes");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(1024 * 1024), "1.0 MiB");
        assert_eq!(human_size(1536 * 1024), "1.5 MiB");
        // Rounds up into the next unit as Python's round() does.
        assert_eq!(human_size(1024 * 1024 - 1), "1.0 MiB");
    }

    #[test]
    fn times_drop_the_zone_and_fraction() {
        let t = Timestamp::from_secs(1_764_684_000);
        assert_eq!(listing_time(t), "2025-12-02 14:00:00");
    }
}
