//! Tracking codes: what a reporter reads aloud over the phone to follow a complaint, e.g.
//! `LL-7K3M-Q9XP`. Eight symbols of Crockford's base32 (no I, L, O or U, so nothing is mistaken for
//! a 1, 0 or V) carry 40 random bits from the operating system's CSPRNG. Parsing forgives case,
//! spaces, missing dashes and the look-alike letters Crockford decodes (O→0, I/L→1).

use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "LL";
const SYMBOLS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackingCode(String);

impl TrackingCode {
    /// A fresh random code. Uniqueness is the database's to enforce (a unique index, and a retry).
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 5];
        getrandom::fill(&mut bytes)?;
        let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let symbols: String = (0..SYMBOLS)
            .rev()
            .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 0x1f) as usize]))
            .collect();
        Ok(Self::from_symbols(&symbols))
    }

    pub fn parse(input: &str) -> Option<Self> {
        if input.len() > 32 {
            return None;
        }
        let mut compact: String = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.starts_with(PREFIX) && compact.len() == SYMBOLS + PREFIX.len() {
            compact.drain(..PREFIX.len());
        }
        if compact.chars().count() != SYMBOLS {
            return None;
        }
        let symbols: Option<String> = compact
            .chars()
            .map(|c| match c {
                'O' => Some('0'),
                'I' | 'L' => Some('1'),
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
                _ => None,
            })
            .collect();
        symbols.map(|s| Self::from_symbols(&s))
    }

    fn from_symbols(symbols: &str) -> Self {
        let (first, second) = symbols.split_at(SYMBOLS / 2);
        Self(format!("{PREFIX}-{first}-{second}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_have_the_spoken_shape() -> Result<(), getrandom::Error> {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let code = TrackingCode::generate()?;
            let text = code.as_str();
            assert_eq!(text.len(), 12);
            assert!(text.starts_with("LL-"));
            assert_eq!(&text[7..8], "-");
            assert!(
                text[3..]
                    .chars()
                    .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
            );
            assert_eq!(TrackingCode::parse(text), Some(code.clone()));
            seen.insert(code);
        }
        assert_eq!(seen.len(), 1000);
        Ok(())
    }

    #[test]
    fn parsing_forgives_what_people_type() {
        let expected = TrackingCode("LL-7K3M-Q9XP".to_owned());
        for typed in [
            "LL-7K3M-Q9XP",
            "ll-7k3m-q9xp",
            "LL 7K3M Q9XP",
            "7K3MQ9XP",
            " 7k3m-q9xp ",
        ] {
            assert_eq!(
                TrackingCode::parse(typed),
                Some(expected.clone()),
                "{typed}"
            );
        }
        assert_eq!(
            TrackingCode::parse("LL-10O0-ILXP"),
            Some(TrackingCode("LL-1000-11XP".to_owned()))
        );
        for bad in ["", "LL-7K3M", "LL-7K3M-Q9XU", "LL-7K3M-Q9XP-1", "ÄÄÄÄÄÄÄÄ"] {
            assert_eq!(TrackingCode::parse(bad), None, "{bad}");
        }
    }
}
