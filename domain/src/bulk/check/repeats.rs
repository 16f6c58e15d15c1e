//! Repeated values pass without a new look: the plan's passed tail, each column's last value.

use super::duplicates::is_key;
use crate::bulk::template::{Column, Rule};

/// A short value that passed, kept inline: the usual repeated values
/// (Ja/Nej, a P-number, "password") are short, and comparing or keeping
/// them needs no call to copy memory.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PassedValue {
    bytes: [u8; 23],
    /// 0 when nothing is kept (an empty value is never checked).
    len: u8,
}

impl PassedValue {
    pub(super) fn is(&self, value: &str) -> bool {
        let (value, len) = (value.as_bytes(), usize::from(self.len));
        value.len() == len && over_windows(len, |at, width| self.bytes[at..at + width] == value[at..at + width])
    }

    pub(super) fn remember(&mut self, value: &str) {
        let value = value.as_bytes();
        self.len = 0;
        if value.len() <= self.bytes.len() {
            over_windows(value.len(), |at, width| {
                self.bytes[at..at + width].copy_from_slice(&value[at..at + width]);
                true
            });
            self.len = value.len() as u8;
        }
    }
}

/// Calls `window` with overlapping windows that together cover `len` bytes,
/// at most 24 (eight bytes from each end and, past sixteen, the middle eight; four
/// from each end; or byte by byte) until it answers false. Each window has
/// a fixed width, so copying or comparing it needs no call to copy memory,
/// which in WebAssembly costs more than the few bytes.
#[inline(always)]
fn over_windows(len: usize, mut window: impl FnMut(usize, usize) -> bool) -> bool {
    debug_assert!(len <= 24);
    match len {
        0..4 => (0..len).all(|at| window(at, 1)),
        4..8 => window(0, 4) && window(len - 4, 4),
        _ => window(0, 8) && window(len - 8, 8) && (len <= 16 || window(8, 8)),
    }
}

/// The plan's last columns whose checks depend on their own value alone
/// (no keys, no CPR number or birth date, which count for the row), when
/// they are also the file's last columns of the plan: where they start in
/// the plan, and the file position of the first of them.
pub(super) fn plan_tail(plan: &[(Column, Rule, usize)]) -> Option<(usize, usize)> {
    let on_its_own = |(column, rule, _): &(Column, Rule, usize)| !is_key(*column) && *rule != Rule::Key && !matches!(column, Column::Cpr | Column::BirthDate);
    let start = plan.len() - plan.iter().rev().take_while(|entry| on_its_own(entry)).count();
    let first_position = plan[start..].iter().map(|(_, _, position)| *position).min()?;
    plan[..start].iter().all(|(_, _, position)| *position < first_position).then_some((start, first_position))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_value_is_exactly_the_value_kept() {
        for len in 1..=24 {
            let kept: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let mut passed = PassedValue::default();
            passed.remember(&kept);
            // Values past 23 bytes are not kept, so never taken for passed.
            assert_eq!(passed.is(&kept), len <= 23, "{kept}");
            for at in 0..len {
                let mut other = kept.clone().into_bytes();
                other[at] = b'Z';
                assert!(!passed.is(std::str::from_utf8(&other).unwrap()), "{kept} differs at {at}");
            }
            assert!(!passed.is(&kept[..len - 1]) && !passed.is(&format!("{kept}a")), "{kept} is not a shorter or longer value");
        }
    }
}
