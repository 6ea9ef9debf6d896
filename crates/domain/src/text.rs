//! Free text from users: trimmed, bounded in characters (not bytes), and free of NUL and other
//! control characters (newlines and tabs are allowed in long text). A minimum length counts only
//! characters that show: twenty zero-width spaces are not a description.

use crate::i18n::Msg;

/// Checks a single-line value: no control characters at all.
pub fn single_line(value: &str, min: usize, max: usize) -> Result<String, Msg> {
    let value = value.trim();
    if value.chars().any(char::is_control) {
        return Err(Msg::ControlCharacters);
    }
    bounded(value, min, max)
}

/// Checks multi-line text: newlines and tabs pass, every other control character is refused.
pub fn multi_line(value: &str, min: usize, max: usize) -> Result<String, Msg> {
    let value = value.trim();
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Msg::ControlCharacters);
    }
    bounded(value, min, max)
}

/// Characters that print as nothing: the soft hyphen, the Mongolian vowel separator, zero-width
/// spaces and joiners, bidirectional controls, the word-joiner family and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn bounded(value: &str, min: usize, max: usize) -> Result<String, Msg> {
    let visible = value.chars().filter(|c| !is_invisible(*c)).count();
    let length = value.chars().count();
    if visible < min {
        return Err(if visible == 0 {
            Msg::Required
        } else {
            Msg::TooShort { min }
        });
    }
    if length > max {
        return Err(Msg::TooLong { max });
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds_by_characters() {
        assert_eq!(single_line("  Budi  ", 1, 4), Ok("Budi".to_owned()));
        assert_eq!(single_line("ééééé", 1, 5), Ok("ééééé".to_owned()));
        assert_eq!(single_line("", 1, 5), Err(Msg::Required));
        assert_eq!(single_line("ab", 3, 5), Err(Msg::TooShort { min: 3 }));
        assert_eq!(single_line("abcdef", 1, 5), Err(Msg::TooLong { max: 5 }));
    }

    #[test]
    fn refuses_control_characters() {
        assert_eq!(single_line("a\0b", 1, 5), Err(Msg::ControlCharacters));
        assert_eq!(single_line("a\nb", 1, 5), Err(Msg::ControlCharacters));
        assert_eq!(multi_line("a\nb", 1, 5), Ok("a\nb".to_owned()));
        assert_eq!(multi_line("a\u{7}b", 1, 5), Err(Msg::ControlCharacters));
    }
}
