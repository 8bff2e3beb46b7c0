//! Who a participant can reach for help (an addition to PROTOCOL.md; see
//! README.md "Reaching help"): their peer workers, with a number and the hours
//! they usually answer, and the program's on-call line. The server sends it to
//! a participant's devices with the last page of every pull, so a phone that
//! cannot reach the server still knows whom to offer.

use chrono::{DateTime, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Longest phone number, as typed (digits, spaces, `+ - ( ) .`).
pub const MAX_PHONE_CHARS: usize = 32;
/// Longest name of an on-call line.
pub const MAX_ON_CALL_NAME_CHARS: usize = 100;

/// What a participant's device is told about reaching help.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Care {
    /// Everyone with the participant on their caseload; empty when nobody is
    /// assigned yet.
    pub peer_workers: Vec<PeerWorkerCard>,
    /// The program's on-call line, set by an admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_call: Option<OnCall>,
}

/// A peer worker as their participants see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeerWorkerCard {
    pub id: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
}

/// The program's on-call line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnCall {
    pub name: String,
    pub phone: String,
}

/// When someone usually answers: on these days, from `from` to `to` (local
/// `HH:MM` in `time_zone`; `to` before `from` runs past midnight into the
/// next day, for a night shift).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hours {
    pub time_zone: String,
    /// `mon` … `sun`.
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

/// `PUT /v1/me/contact`: a peer worker's own number and hours; `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub hours: Option<Hours>,
}

/// `PUT /v1/admin/program`: the program's on-call line; `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramRequest {
    #[serde(default)]
    pub on_call: Option<OnCall>,
}

/// Why a number, a name or hours were refused, with the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct CareError {
    pub field: &'static str,
    pub reason: String,
}

fn refuse(field: &'static str, reason: impl Into<String>) -> CareError {
    CareError { field, reason: reason.into() }
}

/// A phone number someone can dial: digits with the usual separators, at
/// least three digits (crisis lines such as 988 are short).
pub fn check_phone(field: &'static str, phone: &str) -> Result<(), CareError> {
    if phone.chars().count() > MAX_PHONE_CHARS {
        return Err(refuse(field, format!("at most {MAX_PHONE_CHARS} characters")));
    }
    if !phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        return Err(refuse(field, "digits, spaces and + - ( ) . only"));
    }
    if phone.chars().filter(char::is_ascii_digit).count() < 3 {
        return Err(refuse(field, "at least three digits"));
    }
    Ok(())
}

impl OnCall {
    pub fn check(&self) -> Result<(), CareError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_ON_CALL_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(refuse("on_call.name", format!("1 to {MAX_ON_CALL_NAME_CHARS} characters, no control characters")));
        }
        check_phone("on_call.phone", &self.phone)
    }
}

impl ContactRequest {
    pub fn check(&self) -> Result<(), CareError> {
        if let Some(phone) = &self.phone {
            check_phone("phone", phone)?;
        }
        if let Some(hours) = &self.hours {
            hours.check()?;
        }
        Ok(())
    }
}

impl Hours {
    /// Checks every part; the days must be distinct and at least one.
    pub fn check(&self) -> Result<(), CareError> {
        self.zone()?;
        let days = self.weekdays()?;
        if days.is_empty() || days.len() > 7 {
            return Err(refuse("hours.days", "one to seven days"));
        }
        if (1..days.len()).any(|i| days[..i].contains(&days[i])) {
            return Err(refuse("hours.days", "each day once"));
        }
        let (from, to) = (time("hours.from", &self.from)?, time("hours.to", &self.to)?);
        if from == to {
            return Err(refuse("hours.to", "must differ from hours.from"));
        }
        Ok(())
    }

    /// Whether `now` falls within these hours. Hours that do not check out
    /// are never "now": the phone then offers the on-call line too.
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        let (Ok(zone), Ok(days), Ok(from), Ok(to)) =
            (self.zone(), self.weekdays(), time("hours.from", &self.from), time("hours.to", &self.to))
        else {
            return false;
        };
        let local = now.with_timezone(&zone);
        let minute = local.hour() * 60 + local.minute();
        let (from, to) = (from.hour() * 60 + from.minute(), to.hour() * 60 + to.minute());
        let today = chrono::Datelike::weekday(&local);
        if from < to {
            days.contains(&today) && (from..to).contains(&minute)
        } else {
            // A night shift: the evening of a listed day, or the small hours
            // after it.
            (days.contains(&today) && minute >= from) || (days.contains(&today.pred()) && minute < to)
        }
    }

    fn zone(&self) -> Result<Tz, CareError> {
        self.time_zone.parse().map_err(|_| refuse("hours.time_zone", "an IANA time zone, such as America/New_York"))
    }

    fn weekdays(&self) -> Result<Vec<Weekday>, CareError> {
        self.days
            .iter()
            .map(|day| match day.as_str() {
                "mon" => Ok(Weekday::Mon),
                "tue" => Ok(Weekday::Tue),
                "wed" => Ok(Weekday::Wed),
                "thu" => Ok(Weekday::Thu),
                "fri" => Ok(Weekday::Fri),
                "sat" => Ok(Weekday::Sat),
                "sun" => Ok(Weekday::Sun),
                _ => Err(refuse("hours.days", "mon, tue, wed, thu, fri, sat or sun")),
            })
            .collect()
    }
}

fn time(field: &'static str, text: &str) -> Result<NaiveTime, CareError> {
    if text.len() != 5 {
        return Err(refuse(field, "HH:MM"));
    }
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| refuse(field, "HH:MM"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(days: &[&str], from: &str, to: &str) -> Hours {
        Hours {
            time_zone: "America/New_York".into(),
            days: days.iter().map(|d| (*d).to_owned()).collect(),
            from: from.into(),
            to: to.into(),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.to_utc()).unwrap_or_default()
    }

    #[test]
    fn office_hours_in_the_workers_own_zone() {
        let week = hours(&["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00");
        assert_eq!(week.check(), Ok(()));
        // Thursday 2026-12-03, 10:00 in New York is 15:00Z.
        assert!(week.contains(at("2026-12-03T15:00:00Z")));
        // 17:00 there: the day is over.
        assert!(!week.contains(at("2026-12-03T22:00:00Z")));
        // 08:59 there.
        assert!(!week.contains(at("2026-12-03T13:59:00Z")));
        // Saturday noon.
        assert!(!week.contains(at("2026-12-05T17:00:00Z")));
    }

    #[test]
    fn a_night_shift_runs_past_midnight_into_the_next_day() {
        let friday_night = hours(&["fri"], "22:00", "06:00");
        assert_eq!(friday_night.check(), Ok(()));
        // Friday 23:00 and Saturday 05:00 in New York.
        assert!(friday_night.contains(at("2026-12-05T04:00:00Z")));
        assert!(friday_night.contains(at("2026-12-05T10:00:00Z")));
        // Saturday 23:00 is not Friday's shift.
        assert!(!friday_night.contains(at("2026-12-06T04:00:00Z")));
    }

    #[test]
    fn bad_hours_numbers_and_names_are_refused_with_their_field() {
        let field = |result: Result<(), CareError>| result.err().map(|e| e.field);
        assert_eq!(field(hours(&["mon"], "9:00", "17:00").check()), Some("hours.from"));
        assert_eq!(field(hours(&["mon"], "09:00", "24:00").check()), Some("hours.to"));
        assert_eq!(field(hours(&["mon"], "09:00", "09:00").check()), Some("hours.to"));
        assert_eq!(field(hours(&[], "09:00", "17:00").check()), Some("hours.days"));
        assert_eq!(field(hours(&["mon", "mon"], "09:00", "17:00").check()), Some("hours.days"));
        assert_eq!(field(hours(&["monday"], "09:00", "17:00").check()), Some("hours.days"));
        let mut elsewhere = hours(&["mon"], "09:00", "17:00");
        elsewhere.time_zone = "Mars/Olympus".into();
        assert_eq!(field(elsewhere.check()), Some("hours.time_zone"));
        assert!(!elsewhere.contains(at("2026-12-07T15:00:00Z")));
        assert_eq!(check_phone("phone", "+1 (555) 010-2030"), Ok(()));
        assert_eq!(check_phone("phone", "988"), Ok(()));
        assert_eq!(field(check_phone("phone", "call me")), Some("phone"));
        assert_eq!(field(check_phone("phone", "12")), Some("phone"));
        assert_eq!(field(check_phone("phone", &"1".repeat(33))), Some("phone"));
        let line = |name: &str| OnCall { name: name.into(), phone: "555 0100".into() };
        assert_eq!(line("Program on-call").check(), Ok(()));
        assert_eq!(field(line(" ").check()), Some("on_call.name"));
        assert_eq!(field(line("a\u{7}b").check()), Some("on_call.name"));
    }
}
