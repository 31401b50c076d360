//! How long a claim stays fresh: `6mo`, `2y`, `90d`, `3w` or `never`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use jiff::Span;
use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How long a claim stays fresh after it was last checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShelfLife {
    /// The claim never goes stale.
    Never,
    /// The claim goes stale this long after it was last checked.
    For(Period),
}

/// A whole number of days, weeks, months or years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// How many units.
    pub amount: u16,
    /// Which unit.
    pub unit: PeriodUnit,
}

/// The unit of a [`Period`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodUnit {
    /// `d`
    Day,
    /// `w`
    Week,
    /// `mo`
    Month,
    /// `y`
    Year,
}

/// Why a text is not a shelf life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShelfLifeError(String);

impl fmt::Display for ShelfLifeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShelfLifeError {}

impl Period {
    /// The period as a calendar span.
    pub fn span(&self) -> Span {
        let amount = i64::from(self.amount);
        match self.unit {
            PeriodUnit::Day => Span::new().days(amount),
            PeriodUnit::Week => Span::new().weeks(amount),
            PeriodUnit::Month => Span::new().months(amount),
            PeriodUnit::Year => Span::new().years(amount),
        }
    }

    /// `date` plus this period, saturating at the end of the calendar.
    pub fn after(&self, date: Date) -> Date {
        date.checked_add(self.span()).unwrap_or(Date::MAX)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            PeriodUnit::Day => "d",
            PeriodUnit::Week => "w",
            PeriodUnit::Month => "mo",
            PeriodUnit::Year => "y",
        };
        write!(f, "{}{unit}", self.amount)
    }
}

impl ShelfLife {
    /// Words a person reads at a glance: "3 years", "6 months", "never".
    pub fn describe(&self) -> String {
        match self {
            ShelfLife::Never => "never".to_owned(),
            ShelfLife::For(period) => {
                let (one, many) = match period.unit {
                    PeriodUnit::Day => ("day", "days"),
                    PeriodUnit::Week => ("week", "weeks"),
                    PeriodUnit::Month => ("month", "months"),
                    PeriodUnit::Year => ("year", "years"),
                };
                let unit = if period.amount == 1 { one } else { many };
                format!("{} {unit}", period.amount)
            }
        }
    }
}

impl FromStr for ShelfLife {
    type Err = ShelfLifeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "never" {
            return Ok(ShelfLife::Never);
        }
        let invalid = || {
            ShelfLifeError(format!(
                "`{text}` is not a shelf life: write a number and a unit (90d, 6w, 6mo, 2y) or `never`"
            ))
        };
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (amount, unit) = text.split_at(digits);
        // As the schema's pattern: one to four digits, no leading zero.
        if digits > 4 || (digits > 1 && amount.starts_with('0')) {
            return Err(invalid());
        }
        let amount: u16 = amount.parse().map_err(|_| invalid())?;
        let unit = match unit {
            "d" => PeriodUnit::Day,
            "w" => PeriodUnit::Week,
            "mo" => PeriodUnit::Month,
            "y" => PeriodUnit::Year,
            _ => return Err(invalid()),
        };
        if amount == 0 {
            return Err(ShelfLifeError(format!(
                "`{text}` is an empty shelf life: use at least 1, or `never`"
            )));
        }
        Ok(ShelfLife::For(Period { amount, unit }))
    }
}

impl fmt::Display for ShelfLife {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShelfLife::Never => f.write_str("never"),
            ShelfLife::For(period) => period.fmt(f),
        }
    }
}

impl Serialize for ShelfLife {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ShelfLife {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for ShelfLife {
    fn schema_name() -> Cow<'static, str> {
        "ShelfLife".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How long a claim stays fresh after it was last checked: a number and a unit (d, w, mo, y), or `never`.",
            "type": "string",
            "pattern": "^(never|[1-9][0-9]{0,3}(d|w|mo|y))$",
            "errorMessage": "Not a shelf life: write a number and a unit (90d, 6w, 6mo, 2y), or `never`.",
            "patternErrorMessage": "Not a shelf life: write a number and a unit (90d, 6w, 6mo, 2y), or `never`.",
            "examples": ["6mo", "2y", "90d", "never"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_never() {
        for text in ["6mo", "2y", "90d", "3w", "never"] {
            let life: ShelfLife = text.parse().expect(text);
            assert_eq!(life.to_string(), text);
        }
        for text in ["", "6", "mo", "0y", "2 y", "2yr", "-1d", "1.5y"] {
            assert!(text.parse::<ShelfLife>().is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn adds_calendar_periods() {
        let life: ShelfLife = "3y".parse().unwrap();
        let ShelfLife::For(period) = life else {
            panic!("3y is a period")
        };
        assert_eq!(
            period.after(jiff::civil::date(2022, 5, 1)),
            jiff::civil::date(2025, 5, 1)
        );
        assert_eq!(life.describe(), "3 years");
    }
}
