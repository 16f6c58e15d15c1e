//! Small text helpers shared by the field rules and the bulk check.

/// `str::trim`, quicker for the usual value: ASCII whitespace is cut byte by
/// byte, and only a value that then starts or ends with a non-ASCII byte
/// (which may be Unicode whitespace) takes the full rule. Always inlined:
/// the bulk check trims every cell.
#[inline(always)]
pub fn trim(value: &str) -> &str {
    let bytes = value.as_bytes();
    // Most values start and end with a visible ASCII character.
    let visible = |b: &u8| (b'!'..=b'~').contains(b);
    if bytes.first().is_none_or(visible) && bytes.last().is_none_or(visible) {
        return value;
    }
    let start = bytes.iter().position(|b| !is_ascii_space(*b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !is_ascii_space(*b)).map_or(start, |last| last + 1);
    let inner = &value[start..end];
    if inner.as_bytes().first().is_some_and(|b| !b.is_ascii()) || inner.as_bytes().last().is_some_and(|b| !b.is_ascii()) {
        inner.trim()
    } else {
        inner
    }
}

/// Whether `a` and `b` are the same text, compared eight bytes at a time:
/// in WebAssembly, `==` on text calls a `memcmp` that compares byte by byte.
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.len() < 8 {
        return a == b;
    }
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().expect("eight bytes"));
    // Whole words from the start, then the last eight bytes (which may
    // overlap the last whole word).
    a.as_chunks::<8>().0.iter().zip(b.as_chunks::<8>().0).all(|(x, y)| u64::from_le_bytes(*x) == u64::from_le_bytes(*y)) && word(a) == word(b)
}

/// Whether an ASCII byte is whitespace as `char::is_whitespace` sees it.
pub fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn values_are_trimmed_as_str_trim(value in "[ \t\u{a0}\u{2003}\u{85}a-zæ]{0,8}") {
            prop_assert_eq!(trim(&value), value.trim());
        }

        /// Texts of every length up to 40, equal or differing at any one
        /// byte, or in length.
        #[test]
        fn same_text_is_equality(text in "[a-c;]{0,40}", at in any::<prop::sample::Index>(), other in "[a-d;]", longer in any::<bool>()) {
            let mut changed = text.clone();
            if !text.is_empty() {
                let at = at.index(text.len());
                changed.replace_range(at..=at, &other);
            }
            if longer {
                changed.push('a');
            }
            prop_assert_eq!(same_text(&text, &changed), text == changed, "{:?} {:?}", text, changed);
            prop_assert!(same_text(&text, &text.clone()));
        }
    }

    #[test]
    fn ascii_space_is_char_whitespace() {
        for byte in 0..128u8 {
            assert_eq!(is_ascii_space(byte), char::from(byte).is_whitespace(), "{byte}");
        }
    }
}
