//! Dates and quarters.
//!
//! A roadmap is cut into quarters (`2026-Q1`). With `fiscal_year_start = m`,
//! Q1 of fiscal year Y starts on the first day of month m of calendar year Y (a
//! fiscal year is named after the calendar year in which it starts). History is
//! bucketed into the same quarters by committer time in UTC.

use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

/// Number of days in `month` of `year`.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, or `None` when it does not exist (Feb 30, month 13).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            month,
            day,
        }
    }

    /// The UTC date of a Unix timestamp in seconds.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date::from_days_since_epoch(seconds.div_euclid(86_400))
    }

    /// Seconds since the epoch at 00:00 UTC of this date.
    pub fn unix_seconds(self) -> i64 {
        self.days_since_epoch().saturating_mul(86_400)
    }

    /// The date `n` days later.
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + n)
    }

    /// Today's date in UTC from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_unix_seconds(secs)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date serializes as `YYYY-MM-DD`, as the JSON report writes it.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date of the form YYYY-MM-DD")]
pub struct BadDate(pub String);

/// An unsigned decimal number of exactly `len` ASCII digits (no sign, no
/// space: `str::parse` alone would take `+001`).
fn digits<T: FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A year as roadmaps write it: four digits, 0001–9999.
fn year(s: &str) -> Option<i32> {
    digits::<i32>(s, 4).filter(|y| *y >= 1)
}

impl FromStr for Date {
    type Err = BadDate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate(s.to_owned());
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next(), parts.next(), parts.next());
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            return Err(bad());
        };
        let year = year(y).ok_or_else(bad)?;
        let month = digits(m, 2).ok_or_else(bad)?;
        let day = digits(d, 2).ok_or_else(bad)?;
        Date::new(year, month, day).ok_or_else(bad)
    }
}

/// A quarter of a (fiscal) year, e.g. `2026-Q1`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Quarter {
    /// The (fiscal) year.
    pub year: i32,
    /// 1–4.
    pub q: u8,
}

/// Why a quarter string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a quarter of the form YYYY-Qn (n = 1..4)")]
pub struct BadQuarter(pub String);

impl FromStr for Quarter {
    type Err = BadQuarter;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadQuarter(s.to_owned());
        let (y, q) = s.split_once("-Q").ok_or_else(bad)?;
        let year = year(y).ok_or_else(bad)?;
        let q: u8 = digits(q, 1).ok_or_else(bad)?;
        if !(1..=4).contains(&q) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.q)
    }
}

impl Quarter {
    /// First day of the quarter when fiscal years start in `fy_start` (1–12).
    pub fn start(self, fy_start: u8) -> Date {
        let months = i64::from(self.year) * 12 + i64::from(fy_start.clamp(1, 12)) - 1
            + 3 * i64::from(self.q - 1);
        Date {
            year: months.div_euclid(12) as i32,
            month: (months.rem_euclid(12) + 1) as u8,
            day: 1,
        }
    }

    /// First day of the next quarter (the exclusive end of this one).
    pub fn end_exclusive(self, fy_start: u8) -> Date {
        self.next().start(fy_start)
    }

    /// Last day of the quarter.
    pub fn last_day(self, fy_start: u8) -> Date {
        self.end_exclusive(fy_start).add_days(-1)
    }

    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// The quarter before this one.
    pub fn previous(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// The quarter containing `date`.
    pub fn containing(date: Date, fy_start: u8) -> Quarter {
        let fy = i64::from(fy_start.clamp(1, 12)) - 1;
        let months = i64::from(date.year) * 12 + i64::from(date.month) - 1 - fy;
        Quarter {
            year: months.div_euclid(12) as i32,
            q: (months.rem_euclid(12) / 3 + 1) as u8,
        }
    }

    /// The quarter containing a Unix timestamp (UTC).
    pub fn of_unix_seconds(seconds: i64, fy_start: u8) -> Quarter {
        Quarter::containing(Date::from_unix_seconds(seconds), fy_start)
    }
}

/// A date reads back from `YYYY-MM-DD`.
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_have_four_digits_and_no_sign() {
        for bad in [
            "+001-Q1", "-001-Q1", "0000-Q1", " 001-Q1", "2026-Q+1", "20260-Q1",
        ] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
        let q: Quarter = "0001-Q1".parse().unwrap();
        assert_eq!(q.to_string(), "0001-Q1");
        for bad in [
            "+026-01-01",
            "-026-01-01",
            "2026-+1-01",
            "2026-01-+1",
            "0000-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            "0001-02-03".parse::<Date>().unwrap().to_string(),
            "0001-02-03"
        );
    }

    #[test]
    fn dates_validate_and_round_trip() {
        assert!(Date::new(2026, 2, 30).is_none());
        assert!(Date::new(2026, 13, 1).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        for days in [-800_000, -1, 0, 1, 19_000, 20_500, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
        assert_eq!(
            "2026-01-09".parse::<Date>().unwrap().to_string(),
            "2026-01-09"
        );
        assert!("2026-1-9".parse::<Date>().is_err());
    }

    #[test]
    fn calendar_quarters() {
        let q: Quarter = "2026-Q1".parse().unwrap();
        assert_eq!(q.start(1).to_string(), "2026-01-01");
        assert_eq!(q.last_day(1).to_string(), "2026-03-31");
        assert_eq!(
            Quarter::containing(Date::new(2026, 12, 31).unwrap(), 1).to_string(),
            "2026-Q4"
        );
        assert!("2026-Q5".parse::<Quarter>().is_err());
        assert!("26-Q1".parse::<Quarter>().is_err());
    }

    #[test]
    fn fiscal_quarters_are_named_after_the_starting_year() {
        // FY starting in October: 2026-Q1 is Oct–Dec 2026.
        let q: Quarter = "2026-Q1".parse().unwrap();
        assert_eq!(q.start(10).to_string(), "2026-10-01");
        assert_eq!(q.last_day(10).to_string(), "2026-12-31");
        assert_eq!(
            Quarter::containing(Date::new(2027, 2, 1).unwrap(), 10).to_string(),
            "2026-Q2"
        );
        assert_eq!(
            Quarter::containing(Date::new(2026, 9, 30).unwrap(), 10).to_string(),
            "2025-Q4"
        );
        for m in 1..=12 {
            for d in [
                Date::new(2026, 1, 1).unwrap(),
                Date::new(2027, 7, 15).unwrap(),
            ] {
                let q = Quarter::containing(d, m);
                assert!(
                    q.start(m) <= d && d < q.end_exclusive(m),
                    "{d} in {q} for fy {m}"
                );
            }
        }
    }
}
