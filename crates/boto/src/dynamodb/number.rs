//! [`Number`]: a DynamoDB number, kept digit for digit (boto3 uses `Decimal` for the same reason).
//!
//! DynamoDB numbers have up to 38 significant digits and a magnitude from 1E-130 to just under
//! 1E+126; an `f64` holds about 17 digits and an `i64` 19, so neither may stand in for one. A
//! `Number` is parsed once into sign, digits and exponent, with leading and trailing zeros trimmed
//! as DynamoDB trims them; text outside DynamoDB's range is a [`ValueError`], never rounded.

use super::ValueError;
use boto_core::document::Document;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The most significant digits DynamoDB keeps.
const MAX_DIGITS: usize = 38;
/// The adjusted exponent (of the first significant digit) of the smallest magnitude, 1E-130.
const MIN_ADJUSTED: i64 = -130;
/// The adjusted exponent of the largest magnitude, 9.99…E+125.
const MAX_ADJUSTED: i64 = 125;

/// A DynamoDB number: exact, within DynamoDB's range.
///
/// ```
/// use boto::dynamodb::Number;
/// let n: Number = "0.1000000000000000000000000000000000001".parse().unwrap();
/// assert_eq!(n.to_string(), "0.1000000000000000000000000000000000001");
/// let big = Number::from(u64::MAX);
/// assert_eq!(big.to_u64(), Some(u64::MAX));
/// assert!("1E+126".parse::<Number>().is_err()); // beyond DynamoDB's range
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// Significant digits without leading or trailing zeros; empty for zero.
    digits: String,
    /// The value is `digits × 10^exponent`.
    exponent: i64,
}

impl Number {
    /// Zero.
    pub fn zero() -> Number {
        Number {
            negative: false,
            digits: String::new(),
            exponent: 0,
        }
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Whether this has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.exponent >= 0
    }

    /// The value as an `i64`, when it is an integer that fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.to_i128().and_then(|v| i64::try_from(v).ok())
    }

    /// The value as a `u64`, when it is a non-negative integer that fits.
    pub fn to_u64(&self) -> Option<u64> {
        self.to_i128().and_then(|v| u64::try_from(v).ok())
    }

    /// The value as an `i128`, when it is an integer that fits.
    pub fn to_i128(&self) -> Option<i128> {
        if !self.is_integer() || self.adjusted() > 38 {
            return None;
        }
        let mut v: i128 = 0;
        for d in self.digits.bytes() {
            v = v.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
        }
        for _ in 0..self.exponent {
            v = v.checked_mul(10)?;
        }
        Some(if self.negative { -v } else { v })
    }

    /// The nearest `f64`. This may lose digits: use it for arithmetic, not to store back.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The `f64` that is exactly this number's shortest form (`0.1`, `1.5`), when there is one.
    pub fn to_f64_exact(&self) -> Option<f64> {
        let f = self.to_f64();
        (f.is_finite() && Number::try_from(f).ok().as_ref() == Some(self)).then_some(f)
    }

    /// The exponent of the first significant digit (`123.4` → 2).
    fn adjusted(&self) -> i64 {
        self.exponent + self.digits.len() as i64 - 1
    }

    fn check_range(self, text: &dyn fmt::Display) -> Result<Number, ValueError> {
        if self.digits.len() > MAX_DIGITS {
            return Err(ValueError::range(format!(
                "{text} has {} significant digits; DynamoDB keeps at most {MAX_DIGITS}",
                self.digits.len()
            )));
        }
        if !self.is_zero() && !(MIN_ADJUSTED..=MAX_ADJUSTED).contains(&self.adjusted()) {
            return Err(ValueError::range(format!(
                "{text} is outside DynamoDB's number range (magnitude 1E-130 to 9.9…9E+125)"
            )));
        }
        Ok(self)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl fmt::Display for Number {
    /// Plain notation (`-12.5`, `18446744073709551615`) while it stays short, otherwise
    /// scientific (`1.5E+100`, `1E-130`), as DynamoDB accepts either.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let len = self.digits.len() as i64;
        let adjusted = self.adjusted();
        if (-20..=40).contains(&adjusted) {
            if self.exponent >= 0 {
                f.write_str(&self.digits)?;
                for _ in 0..self.exponent {
                    f.write_str("0")?;
                }
            } else if adjusted >= 0 {
                let (int, frac) = self.digits.split_at((adjusted + 1) as usize);
                write!(f, "{int}.{frac}")?;
            } else {
                f.write_str("0.")?;
                for _ in 0..(-adjusted - 1) {
                    f.write_str("0")?;
                }
                f.write_str(&self.digits)?;
            }
            Ok(())
        } else {
            let (first, rest) = self.digits.split_at(1);
            f.write_str(first)?;
            if len > 1 {
                write!(f, ".{rest}")?;
            }
            write!(f, "E{}{adjusted}", if adjusted >= 0 { "+" } else { "" })
        }
    }
}

impl FromStr for Number {
    type Err = ValueError;

    /// Decimal text: an optional sign, digits with an optional point, an optional exponent
    /// (`-1.50`, `1e-130`, `+7`). NaN and infinities are refused, as DynamoDB refuses them.
    fn from_str(text: &str) -> Result<Number, ValueError> {
        let bad = || ValueError::new(format!("{text:?} is not a number"));
        let s = text.trim();
        let (negative, s) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exp) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let exp: i64 = match exp {
            Some(e) if !e.is_empty() && e.len() <= 12 => e.parse().map_err(|_| bad())?,
            Some(_) => return Err(bad()),
            None => 0,
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
            return Err(bad());
        }
        let joined = format!("{int}{frac}");
        let trimmed_start = joined.trim_start_matches('0');
        let digits = trimmed_start.trim_end_matches('0');
        let trailing = (trimmed_start.len() - digits.len()) as i64;
        let number = Number {
            negative: negative && !digits.is_empty(),
            digits: digits.to_string(),
            exponent: if digits.is_empty() {
                0
            } else {
                exp - frac.len() as i64 + trailing
            },
        };
        number.check_range(&text)
    }
}

/// Whether `text` is written as a decimal number, in range or not (`"12"`, `"1E+999"`, not `"x"`).
pub(crate) fn is_numeric_text(text: &str) -> bool {
    match text.parse::<Number>() {
        Ok(_) => true,
        Err(e) => e.is_range(),
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Number {
                // At most 20 digits: always within range.
                v.to_string().parse().unwrap_or_else(|_| Number::zero())
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl TryFrom<i128> for Number {
    type Error = ValueError;
    fn try_from(v: i128) -> Result<Number, ValueError> {
        v.to_string().parse()
    }
}

impl TryFrom<u128> for Number {
    type Error = ValueError;
    fn try_from(v: u128) -> Result<Number, ValueError> {
        v.to_string().parse()
    }
}

impl TryFrom<f64> for Number {
    type Error = ValueError;

    /// The shortest decimal that reads back as `v` (`0.1` → `0.1`, not its binary expansion).
    fn try_from(v: f64) -> Result<Number, ValueError> {
        if !v.is_finite() {
            return Err(ValueError::new(format!(
                "{v} is not a number DynamoDB can store"
            )));
        }
        format!("{v:e}").parse()
    }
}

impl TryFrom<&Document> for Number {
    type Error = ValueError;

    /// An integer, a float, numeric text, or the wire form `{"N": "…"}`.
    fn try_from(d: &Document) -> Result<Number, ValueError> {
        match d {
            Document::Int(i) => Ok(Number::from(*i)),
            Document::Float(f) => Number::try_from(*f),
            Document::String(s) => s.parse(),
            Document::Map(m) if m.len() == 1 => match m.get("N") {
                Some(Document::String(s)) => s.parse(),
                _ => Err(ValueError::new(format!("{d:?} is not a number"))),
            },
            other => Err(ValueError::new(format!(
                "a {} is not a number",
                other.kind()
            ))),
        }
    }
}

impl From<Number> for Document {
    /// An integer when it fits an `i64`, a float when one holds it exactly, else the wire form
    /// `{"N": "…"}`: never a rounded value. This is how numbers read from DynamoDB look.
    fn from(n: Number) -> Document {
        if let Some(i) = n.to_i64() {
            return Document::Int(i);
        }
        if !n.is_integer() {
            if let Some(f) = n.to_f64_exact() {
                return Document::Float(f);
            }
        }
        let mut m = boto_core::document::Map::default();
        m.insert("N".into(), Document::String(n.to_string()));
        Document::Map(m)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    /// By value.
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |n: &Number| match (n.is_zero(), n.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let magnitude = self
            .adjusted()
            .cmp(&other.adjusted())
            .then_with(|| self.digits.cmp(&other.digits));
        if self.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl serde::Serialize for Number {
    /// As its decimal text: JSON numbers would pass through `f64` in most readers.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    /// From decimal text, an integer, a float (its shortest form) or the wire form `{"N": "…"}`,
    /// so a `Number` field reads a DynamoDB item's document without loss.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        d.deserialize_any(NumberVisitor)
    }
}

struct NumberVisitor;

impl<'de> serde::de::Visitor<'de> for NumberVisitor {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB number (decimal text, an integer, a float or {\"N\": text})")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
        Ok(Number::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
        Ok(Number::from(v))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Number, E> {
        Number::try_from(v).map_err(E::custom)
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Number, E> {
        Number::try_from(v).map_err(E::custom)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
        Number::try_from(v).map_err(E::custom)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
        v.parse().map_err(E::custom)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Number, A::Error> {
        use serde::de::Error;
        let Some((key, text)) = map.next_entry::<String, String>()? else {
            return Err(A::Error::custom("an empty map is not a number"));
        };
        if key != "N" || map.next_key::<String>()?.is_some() {
            return Err(A::Error::custom("a number map is {\"N\": text}"));
        }
        text.parse().map_err(A::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        s.parse().unwrap()
    }

    #[test]
    fn every_digit_is_kept_and_zeros_are_trimmed() {
        for (text, shown) in [
            (
                "0.1000000000000000000000000000000000001",
                "0.1000000000000000000000000000000000001",
            ),
            (
                "99999999999999999999999999999999999999",
                "99999999999999999999999999999999999999",
            ),
            ("-18446744073709551616", "-18446744073709551616"),
            ("1.50", "1.5"),
            ("+007", "7"),
            ("-0.0", "0"),
            ("1e2", "100"),
            ("1E-130", "1E-130"),
            (
                "9.9999999999999999999999999999999999999E+125",
                "9.9999999999999999999999999999999999999E+125",
            ),
            ("0.000123", "0.000123"),
            ("12.5e-1", "1.25"),
        ] {
            assert_eq!(n(text).to_string(), shown, "{text}");
            assert_eq!(n(shown), n(text), "{text} reads back");
        }
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(n("18446744073709551615").to_u64(), Some(u64::MAX));
        assert_eq!(n("-9223372036854775808").to_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").to_i64(), None);
        assert_eq!(n("1.5").to_i64(), None);
    }

    #[test]
    fn what_dynamodb_cannot_hold_is_an_error_naming_it() {
        for (text, why) in [
            ("1E+126", "range"),
            ("1E-131", "range"),
            (
                "123456789012345678901234567890123456789",
                "39 significant digits",
            ),
            ("NaN", "not a number"),
            ("inf", "not a number"),
            ("1.2.3", "not a number"),
            ("", "not a number"),
            ("1e", "not a number"),
            ("0x10", "not a number"),
        ] {
            let err = text.parse::<Number>().unwrap_err().to_string();
            assert!(err.contains(why), "{text}: {err}");
        }
        assert!(Number::try_from(f64::NAN).is_err());
        assert!(Number::try_from(1e300).is_err());
        assert!(Number::try_from(u128::MAX).is_err(), "39 digits");
        assert_eq!(
            n("10000000000000000000000000000000000000000").to_string(),
            "10000000000000000000000000000000000000000"
        );
    }

    #[test]
    fn floats_become_their_shortest_form() {
        assert_eq!(Number::try_from(0.1).unwrap().to_string(), "0.1");
        assert_eq!(
            Number::try_from(-2.5e-7).unwrap().to_string(),
            "-0.00000025"
        );
        assert_eq!(n("0.1").to_f64_exact(), Some(0.1));
        assert_eq!(
            n("0.1000000000000000000000000000000000001").to_f64_exact(),
            None
        );
    }

    #[test]
    fn documents_hold_numbers_exactly() {
        assert_eq!(Document::from(n("42")), Document::Int(42));
        assert_eq!(Document::from(n("1.5")), Document::Float(1.5));
        let big = Document::from(n("18446744073709551616"));
        assert_eq!(big["N"].as_str(), Some("18446744073709551616"));
        assert_eq!(Number::try_from(&big).unwrap(), n("18446744073709551616"));
        assert_eq!(
            Number::try_from(&Document::from("7.25")).unwrap(),
            n("7.25")
        );
        assert!(Number::try_from(&Document::Bool(true)).is_err());
    }

    #[test]
    fn ordering_is_by_value() {
        let mut v: Vec<Number> = ["10", "-1", "0", "9.99", "-10.5", "1E+100", "1E-100"]
            .iter()
            .map(|s| n(s))
            .collect();
        v.sort();
        let shown: Vec<String> = v.iter().map(Number::to_string).collect();
        assert_eq!(
            shown,
            ["-10.5", "-1", "0", "1E-100", "9.99", "10", "1E+100"]
        );
    }

    #[test]
    fn serde_keeps_the_text() {
        use serde::Deserialize;
        let x = n("123456789012345678901234567890.5");
        let json = serde_json::to_string(&x).unwrap();
        assert_eq!(json, "\"123456789012345678901234567890.5\"");
        assert_eq!(serde_json::from_str::<Number>(&json).unwrap(), x);
        assert_eq!(serde_json::from_str::<Number>("12").unwrap(), n("12"));
        assert_eq!(serde_json::from_str::<Number>("0.25").unwrap(), n("0.25"));
        // A typed struct reads the wire-form number out of an item document.
        #[derive(serde::Deserialize)]
        struct Row {
            n: Number,
            small: Number,
        }
        let doc = boto_core::doc! {"n": {"N": "123456789012345678901234567890.5"}, "small": 3};
        let row = Row::deserialize(&doc).unwrap();
        assert_eq!(row.n, x);
        assert_eq!(row.small, n("3"));
    }
}
