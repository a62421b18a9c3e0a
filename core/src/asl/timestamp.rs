//! RFC 3339 timestamps as Step Functions reads them (Choice `Timestamp…` operators, Wait
//! `Timestamp`/`TimestampPath`) and writes them (context object times).
//!
//! It must never read a clock: times are virtual milliseconds since the Unix epoch, passed in.

/// An instant with nanosecond precision, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

impl Instant {
    /// Milliseconds since the epoch, floored; negative instants clamp to 0.
    pub fn epoch_ms(self) -> u64 {
        let ms = i128::from(self.seconds) * 1000 + i128::from(self.nanos / 1_000_000);
        u64::try_from(ms.max(0)).unwrap_or(u64::MAX)
    }
}

fn digits(text: &[u8], from: usize, count: usize) -> Option<i64> {
    let part = text.get(from..from + count)?;
    part.iter().try_fold(0i64, |total, b| {
        b.is_ascii_digit().then(|| total * 10 + i64::from(b - b'0'))
    })
}

/// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, with the uppercase `T` and `Z` AWS
/// requires; anything else is not a timestamp.
pub fn parse(text: &str) -> Option<Instant> {
    let bytes = text.as_bytes();
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|(at, c)| bytes.get(*at) != Some(c)) {
        return None;
    }
    let year = digits(bytes, 0, 4)?;
    let month = digits(bytes, 5, 2)?;
    let day = digits(bytes, 8, 2)?;
    let hour = digits(bytes, 11, 2)?;
    let minute = digits(bytes, 14, 2)?;
    let second = digits(bytes, 17, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut at = 19;
    let mut nanos: u32 = 0;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(bytes[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        for _ in (at - start)..9 {
            nanos *= 10;
        }
    }
    let offset_seconds = match bytes.get(at)? {
        b'Z' if at + 1 == bytes.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == bytes.len() && bytes[at + 3] == b':' => {
            let hours = digits(bytes, at + 1, 2)?;
            let minutes = digits(bytes, at + 4, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'+' {
                offset
            } else {
                -offset
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Some(Instant { seconds, nanos })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Formats virtual milliseconds as `YYYY-MM-DDThh:mm:ss.mmmZ`, the form of `$$` times.
pub fn format_ms(epoch_ms: u64) -> String {
    let total_seconds = i64::try_from(epoch_ms / 1000).unwrap_or(i64::MAX / 2);
    let (year, month, day) = civil_from_days(total_seconds.div_euclid(86_400));
    let second_of_day = total_seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        epoch_ms % 1000
    )
}
