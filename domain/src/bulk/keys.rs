//! Keys seen in a file, to find duplicates once the whole file is read.
//! While rows are checked, each key is only appended to a list (one
//! sequential write); at the end the list is split by hash into small
//! buckets, and each bucket's repeats are found in a table that stays in
//! the fastest cache. Looking each key up in one large table as it comes
//! costs a cache miss per row, which was a quarter of a 100,000-row check.

/// One key, the row it was on, and what the caller keeps with it.
#[derive(Debug, Clone, Copy)]
struct Sighting<T> {
    key: u128,
    row: u32,
    with: T,
}

/// Keys in the order they were seen: CPR digits, UUID bits or e-mail
/// fingerprints.
#[derive(Debug)]
pub struct Sightings<T> {
    seen: Vec<Sighting<T>>,
}

impl<T> Default for Sightings<T> {
    fn default() -> Self {
        Sightings { seen: Vec::new() }
    }
}

/// A key seen again: what was kept with it, its row, and the first row it
/// was seen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat<T> {
    pub with: T,
    pub row: u64,
    pub first_row: u64,
}

/// Keys per bucket: a bucket's table (about twice as many u32 slots) and
/// its hashes stay within a few KiB.
const BUCKET_KEYS: usize = 256;

impl<T: Copy> Sightings<T> {
    /// Room for `expected` keys without growing.
    pub fn reserve(&mut self, expected: usize) {
        self.seen.reserve(expected);
    }

    /// Notes `key` on `row`. Rows are counted in a `u32`: a file within
    /// the size limit has far fewer lines.
    pub fn see(&mut self, key: u128, row: u64, with: T) {
        self.seen.push(Sighting { key, row: row as u32, with });
    }

    /// How many keys were seen.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Every sighting in the order seen: key, row, and what was kept.
    pub fn iter(&self) -> impl Iterator<Item = (u128, u64, T)> + '_ {
        self.seen.iter().map(|sighting| (sighting.key, u64::from(sighting.row), sighting.with))
    }

    /// Every sighting of a key seen on an earlier row, in no particular
    /// order, over the parts of one file read one after the other, each with
    /// the rows before it (added to its rows), with the index of its part. A
    /// whole file is one part; the parts are not copied into one.
    pub fn repeats_across(parts: &[(&Sightings<T>, u64)]) -> Vec<(usize, Repeat<T>)> {
        let count: usize = parts.iter().map(|(part, _)| part.seen.len()).sum();
        if count < 2 {
            return Vec::new();
        }
        let bits = (count / BUCKET_KEYS).max(1).next_power_of_two().trailing_zeros();
        let bucket_of = |hash: u64| if bits == 0 { 0 } else { (hash >> (64 - bits)) as usize };

        // Split by the hash's top bits, keeping the order seen within each
        // bucket, so that a bucket's first sighting of a key is its first row.
        let hashes: Vec<u64> = parts.iter().flat_map(|(part, _)| part.seen.iter().map(|sighting| spread(sighting.key))).collect();
        let mut starts = vec![0usize; (1 << bits) + 1];
        for hash in &hashes {
            starts[bucket_of(*hash) + 1] += 1;
        }
        for bucket in 1..starts.len() {
            starts[bucket] += starts[bucket - 1];
        }
        let mut next = starts.clone();
        // Each sighting as its hash, its part and its index in the part.
        let mut split = vec![(0u64, 0u32, 0u32); count];
        let places = parts.iter().enumerate().flat_map(|(part, (sightings, _))| (0..sightings.seen.len()).map(move |index| (part as u32, index as u32)));
        for (hash, (part, index)) in hashes.iter().zip(places) {
            let bucket = bucket_of(*hash);
            split[next[bucket]] = (*hash, part, index);
            next[bucket] += 1;
        }
        let sighting = |part: u32, index: u32| {
            let (sightings, rows_before) = parts[part as usize];
            let sighting = &sightings.seen[index as usize];
            (sighting, u64::from(sighting.row) + rows_before)
        };

        let mut repeats = Vec::new();
        // Slots hold a position in the bucket plus one; 0 is empty.
        let mut table: Vec<u32> = Vec::new();
        for bucket in starts.windows(2) {
            let members = &split[bucket[0]..bucket[1]];
            let size = (members.len() * 2).next_power_of_two().max(8);
            table.clear();
            table.resize(size, 0);
            let mask = size - 1;
            for (position, (hash, part, index)) in members.iter().enumerate() {
                let mut slot = *hash as usize & mask;
                loop {
                    let held = table[slot] as usize;
                    if held == 0 {
                        table[slot] = position as u32 + 1;
                        break;
                    }
                    let (held_hash, held_part, held_index) = members[held - 1];
                    let (first, first_row) = sighting(held_part, held_index);
                    let (this, row) = sighting(*part, *index);
                    // Equal hashes of different keys are possible, only unlikely.
                    if held_hash == *hash && first.key == this.key {
                        repeats.push((*part as usize, Repeat { with: this.with, row, first_row }));
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
        }
        repeats
    }
}

/// A well-mixed hash of any key: CPR digits and UUIDs are not random, and
/// both the top bits (the bucket) and the low bits (the slot) are used.
fn spread(key: u128) -> u64 {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    let mixed = folded.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mixed = (mixed ^ (mixed >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    mixed ^ (mixed >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeats_of(keys: &[(u128, u64)]) -> Vec<(u64, u64)> {
        let mut seen = Sightings::default();
        for (key, row) in keys {
            seen.see(*key, *row, ());
        }
        let mut found: Vec<(u64, u64)> = Sightings::repeats_across(&[(&seen, 0)]).iter().map(|(_, r)| (r.row, r.first_row)).collect();
        found.sort();
        found
    }

    #[test]
    fn each_repeat_names_the_first_row_of_its_key() {
        assert_eq!(repeats_of(&[(42, 2), (7, 3), (42, 9), (0, 10), (42, 11), (0, 12), (1, 13)]), vec![(9, 2), (11, 2), (12, 10)]);
        assert_eq!(repeats_of(&[]), vec![]);
        assert_eq!(repeats_of(&[(5, 2)]), vec![]);
    }

    #[test]
    fn repeats_across_parts_count_rows_from_each_parts_start() {
        let (mut first, mut second) = (Sightings::default(), Sightings::default());
        first.see(42, 2, 'a');
        first.see(7, 3, 'b');
        second.see(7, 2, 'c');
        second.see(42, 4, 'd');
        second.see(42, 5, 'e');
        let mut found = Sightings::repeats_across(&[(&first, 0), (&second, 10)]);
        found.sort_by_key(|(_, repeat)| repeat.row);
        assert_eq!(
            found,
            vec![
                (1, Repeat { with: 'c', row: 12, first_row: 3 }),
                (1, Repeat { with: 'd', row: 14, first_row: 2 }),
                (1, Repeat { with: 'e', row: 15, first_row: 2 }),
            ]
        );
    }

    #[test]
    fn many_keys_in_many_buckets_are_all_found() {
        // 20,000 distinct keys that differ only in their high or low half,
        // then each again: every second sighting is a repeat of the first.
        let keys: Vec<u128> = (0..10_000u128).flat_map(|k| [k << 64, k * 1_000_003 + 1]).collect();
        let mut sightings: Vec<(u128, u64)> = keys.iter().enumerate().map(|(i, k)| (*k, i as u64 + 2)).collect();
        let again: Vec<(u128, u64)> = keys.iter().enumerate().map(|(i, k)| (*k, (keys.len() + i) as u64 + 2)).collect();
        sightings.extend(again);
        let found = repeats_of(&sightings);
        assert_eq!(found.len(), keys.len());
        assert!(found.iter().enumerate().all(|(i, (row, first))| *row == (keys.len() + i) as u64 + 2 && *first == i as u64 + 2));
    }
}
