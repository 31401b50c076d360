//! Partial calendar dates: `2022`, `2022-05` or `2022-05-09`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// The JSON Schema `format` name that marks a partial date, checked at run time.
pub const PARTIAL_DATE_FORMAT: &str = "partial-date";

/// The pattern of a partial date in the schema. It rejects impossible days too (April 31,
/// February 29 outside leap years), so validators that ignore `format` still catch them.
pub const DATE_PATTERN: &str = concat!(
    "^(",
    "[0-9]{4}(-(0[1-9]|1[0-2]))?",
    "|[0-9]{4}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])",
    "|[0-9]{4}-(0[469]|11)-(0[1-9]|[12][0-9]|30)",
    "|[0-9]{4}-02-(0[1-9]|1[0-9]|2[0-8])",
    "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29",
    ")$"
);

/// What editors say about a value that is not a partial date: what is wrong and what to write.
pub const DATE_ERROR_MESSAGE: &str = "Not a date: write YYYY, YYYY-MM or YYYY-MM-DD, such as 2022, 2022-05 or 2022-05-09 (a real month and day; not `May 2022`).";

/// A date known to the year, the month or the day.
///
/// In every comparison a partial date stands for the first day of its period:
/// `2022` is 2022-01-01 and `2022-05` is 2022-05-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i16,
    month: Option<i8>,
    day: Option<i8>,
}

/// Why a text is not a partial date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError(String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

impl PartialDate {
    /// A date known to the year only.
    pub fn year(year: i16) -> Result<Self, DateError> {
        Self::new(year, None, None)
    }

    /// A full calendar date.
    pub fn from_date(date: Date) -> Self {
        Self {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    fn new(year: i16, month: Option<i8>, day: Option<i8>) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError(format!("year {year} is out of range 1-9999")));
        }
        if let Some(month) = month {
            if !(1..=12).contains(&month) {
                return Err(DateError(format!("there is no month {month:02}")));
            }
            if let Some(day) = day {
                // jiff knows month lengths and leap years; an error here means the day does not exist.
                if Date::new(year, month, day).is_err() {
                    return Err(DateError(format!(
                        "{year:04}-{month:02} has no day {day:02}"
                    )));
                }
            }
        }
        Ok(Self { year, month, day })
    }

    /// The first day of the period this date stands for.
    pub fn first_day(&self) -> Date {
        // Every field was checked in `new`, so the date exists.
        Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)).unwrap_or(Date::MIN)
    }

    /// How precise the date is.
    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (None, _) => DatePrecision::Year,
            (Some(_), None) => DatePrecision::Month,
            (Some(_), Some(_)) => DatePrecision::Day,
        }
    }
}

/// How much of a [`PartialDate`] is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePrecision {
    /// `2022`
    Year,
    /// `2022-05`
    Month,
    /// `2022-05-09`
    Day,
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then(self.precision_rank().cmp(&other.precision_rank()))
    }
}

impl PartialDate {
    fn precision_rank(&self) -> u8 {
        match self.precision() {
            DatePrecision::Year => 0,
            DatePrecision::Month => 1,
            DatePrecision::Day => 2,
        }
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            DateError(format!(
                "`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        };
        let mut parts = text.split('-');
        let year = parts.next().ok_or_else(invalid)?;
        let month = parts.next();
        let day = parts.next();
        if parts.next().is_some() {
            return Err(invalid());
        }
        let number = |part: &str, width: usize| -> Result<i16, DateError> {
            if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            part.parse().map_err(|_| invalid())
        };
        let year = number(year, 4)?;
        let month = month.map(|m| number(m, 2)).transpose()?;
        let day = day.map(|d| number(d, 2)).transpose()?;
        // Both fit: two ASCII digits are at most 99.
        let narrow = |v: i16| i8::try_from(v).unwrap_or(i8::MAX);
        Self::new(year, month.map(narrow), day.map(narrow))
            .map_err(|reason| DateError(format!("`{text}` is not a valid date: {reason}")))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = PartialDate;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date: YYYY, YYYY-MM or YYYY-MM-DD")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                let year = i16::try_from(v).map_err(|_| E::custom("year out of range"))?;
                PartialDate::year(year).map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                let year = i16::try_from(v).map_err(|_| E::custom("year out of range"))?;
                PartialDate::year(year).map_err(E::custom)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for PartialDate {
    fn schema_name() -> Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // One schema with both types rather than an `anyOf` of an integer and a string:
        // editors then report a malformed date with `patternErrorMessage` instead of
        // "expected an integer" from the first alternative. `minimum`/`maximum` apply only
        // to integers and `pattern`/`format` only to strings, so it accepts the same values.
        json_schema!({
            "description": "A date known to the year, month or day: 2022, 2022-05 or 2022-05-09. A partial date stands for the first day of its period.",
            "markdownDescription": "A date known to the year, month or day: `2022`, `2022-05` or `2022-05-09`. A partial date stands for the first day of its period (`2022-05` is 1 May 2022).",
            "examples": ["2022-05", "2023-03-14", 2022],
            "type": ["integer", "string"],
            "minimum": 1,
            "maximum": 9999,
            "pattern": DATE_PATTERN,
            "format": PARTIAL_DATE_FORMAT,
            "errorMessage": DATE_ERROR_MESSAGE,
            "patternErrorMessage": DATE_ERROR_MESSAGE
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_year_month_and_day_precision() {
        for text in ["2022", "2022-05", "2022-05-09", "2024-02-29"] {
            let date: PartialDate = text.parse().expect(text);
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for text in [
            "2022-02-30",
            "2022-13",
            "May 2022",
            "22-05",
            "2023-02-29",
            "2022-5",
            "",
        ] {
            assert!(text.parse::<PartialDate>().is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn the_schema_pattern_agrees_with_the_parser() {
        let pattern = regex_lite_match;
        for year in [1900, 2000, 2023, 2024] {
            for month in 1..=12 {
                for day in 1..=31 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(
                        pattern(&text),
                        text.parse::<PartialDate>().is_ok(),
                        "{text}"
                    );
                }
            }
        }
    }

    /// The pattern, checked with the same engine the loader's validator uses.
    fn regex_lite_match(text: &str) -> bool {
        let schema = serde_json::json!({"type": "string", "pattern": DATE_PATTERN});
        jsonschema::is_valid(&schema, &serde_json::json!(text))
    }

    #[test]
    fn partial_dates_compare_as_their_first_day() {
        let year: PartialDate = "2022".parse().unwrap();
        let may: PartialDate = "2022-05".parse().unwrap();
        let day: PartialDate = "2022-05-01".parse().unwrap();
        assert!(year < may);
        assert_eq!(may.first_day(), day.first_day());
        assert_eq!(may.first_day(), jiff::civil::date(2022, 5, 1));
    }
}
