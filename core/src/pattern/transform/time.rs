//! Virtual milliseconds since the Unix epoch as ISO-8601 UTC text, for
//! `<aws.events.event.ingestion-time>`.
//!
//! Owns calendar arithmetic only. It must never read a clock.

/// Days since 1970-01-01 to a (year, month, day) civil date (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2024-05-01T12:00:00Z` for the given virtual time (whole seconds, as EventBridge's
/// `time` field is written).
pub fn iso8601_utc(time_ms: u64) -> String {
    let seconds = (time_ms / 1000) as i64;
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        (second_of_day / 60) % 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    // Proves the calendar conversion on the epoch, a leap day and a recent date.
    #[test]
    fn formats_known_instants() {
        assert_eq!(super::iso8601_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso8601_utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(
            super::iso8601_utc(1_714_564_800_123),
            "2024-05-01T12:00:00Z"
        );
    }
}
