//! The first row of each key seen in a file, to find duplicates: an
//! open-addressing table of 128-bit keys and their rows, probed linearly.
//! Sized for the file up front, it answers "seen before, and where?" with
//! one probe into two flat arrays, which is most of what a check of 100,000
//! rows does with its keys.

/// Keys are CPR digits, UUID bits or e-mail fingerprints. 0 marks an empty
/// slot, so the key 0 (a nil UUID) is kept beside the table.
#[derive(Debug, Default)]
pub struct FirstRows {
    /// Key (high, low) and row side by side, so that a probe touches one
    /// place in memory; plain zeroed integers, so that a new table is
    /// allocated zeroed rather than written.
    slots: Vec<[u64; 3]>,
    len: usize,
    zero: Option<u64>,
}

fn key_of(slot: &[u64; 3]) -> u128 {
    (u128::from(slot[0]) << 64) | u128::from(slot[1])
}

impl FirstRows {
    /// Room for `expected` keys without growing.
    pub fn reserve(&mut self, expected: usize) {
        let wanted = (expected.max(12) * 4 / 3).next_power_of_two();
        if wanted > self.slots.len() {
            self.rebuild(wanted);
        }
    }

    /// The row `key` was first seen on, remembering `row` if it is new.
    pub fn first_row(&mut self, key: u128, row: u64) -> u64 {
        if key == 0 {
            return *self.zero.get_or_insert(row);
        }
        // At most three quarters full, so that a probe ends soon.
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.rebuild((self.slots.len() * 2).max(16));
        }
        let mask = self.slots.len() - 1;
        let mut index = spread(key) & mask;
        loop {
            let slot = &mut self.slots[index];
            match key_of(slot) {
                0 => {
                    *slot = [(key >> 64) as u64, key as u64, row];
                    self.len += 1;
                    return row;
                }
                found if found == key => return slot[2],
                _ => index = (index + 1) & mask,
            }
        }
    }

    fn rebuild(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![[0; 3]; slots]);
        self.len = 0;
        for slot in old.iter().filter(|slot| key_of(slot) != 0) {
            self.first_row(key_of(slot), slot[2]);
        }
    }
}

/// A slot index from any key: CPR digits and UUIDs are not random, so the
/// bits are mixed.
fn spread(key: u128) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    let mixed = folded.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed ^ (mixed >> 32)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_key_is_kept() {
        let mut seen = FirstRows::default();
        assert_eq!(seen.first_row(42, 2), 2);
        assert_eq!(seen.first_row(7, 3), 3);
        assert_eq!(seen.first_row(42, 9), 2);
        // Growing keeps everything.
        for key in 100..10_000u128 {
            assert_eq!(seen.first_row(key << 64, key as u64), key as u64);
        }
        for key in 100..10_000u128 {
            assert_eq!(seen.first_row(key << 64, 1), key as u64);
        }
        assert_eq!(seen.first_row(7, 99), 3);
        assert_eq!(seen.first_row(0, 5), 5);
        assert_eq!(seen.first_row(0, 6), 5);
        assert_eq!(seen.first_row(1, 8), 8, "0 and 1 are different keys");
    }

    #[test]
    fn reserving_first_changes_nothing_but_room() {
        let mut seen = FirstRows::default();
        seen.reserve(1000);
        let slots = seen.slots.len();
        for key in 0..1000u128 {
            seen.first_row(key * 1_000_003, key as u64);
        }
        assert_eq!(seen.slots.len(), slots, "no growth within the reservation");
        assert_eq!(seen.first_row(5 * 1_000_003, 0), 5);
    }
}
