//! Keys seen in a file, to find duplicates once the whole file is read.
//! While rows are checked, each key is only appended to a list (one
//! sequential write); at the end the list is put in buckets by hash, and
//! each bucket's repeats are found in a table that stays in the fastest
//! cache. Looking each key up in one large table as it comes costs a cache
//! miss per row, which was a quarter of a 100,000-row check. A file checked
//! in parts puts each part's keys in buckets where the part is checked (in
//! its own Web Worker), so that only the tables are left for the merge.

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

/// Keys are put in buckets by the top bits of their hash. The number is
/// fixed, so that the buckets of parts filled apart line up; a bucket of
/// the keys of a file at the row limit (about 800) and its table stay
/// within a few KiB.
const BUCKET_BITS: u32 = 8;
const BUCKETS: usize = 1 << BUCKET_BITS;

fn bucket_of(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
}

/// Where each bucket starts when `hashes` are put in bucket order, and
/// where the last ends.
fn bucket_starts(hashes: &[u64]) -> Vec<u32> {
    let mut starts = vec![0u32; BUCKETS + 1];
    for hash in hashes {
        starts[bucket_of(*hash) + 1] += 1;
    }
    for bucket in 1..starts.len() {
        starts[bucket] += starts[bucket - 1];
    }
    starts
}

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

    /// The sightings in buckets, each bucket in the order seen. Only their
    /// hashes and places move (the sightings are three times the size).
    pub fn into_buckets(self) -> Buckets<T> {
        let hashes: Vec<u64> = self.seen.iter().map(|sighting| spread(sighting.key)).collect();
        let starts = bucket_starts(&hashes);
        let mut next = starts.clone();
        let mut order = vec![(0, 0); hashes.len()];
        for (index, hash) in hashes.into_iter().enumerate() {
            let at = &mut next[bucket_of(hash)];
            order[*at as usize] = (hash, index as u32);
            *at += 1;
        }
        Buckets { seen: self.seen, order, starts }
    }
}

/// Sightings put in buckets by hash, each bucket in the order seen.
#[derive(Debug)]
pub struct Buckets<T> {
    seen: Vec<Sighting<T>>,
    /// Each sighting's hash and place in `seen`, in bucket order.
    order: Vec<(u64, u32)>,
    /// Bucket `b` is `order[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
}

impl<T> Default for Buckets<T> {
    fn default() -> Self {
        Buckets { seen: Vec::new(), order: Vec::new(), starts: vec![0; BUCKETS + 1] }
    }
}

impl<T: Copy> Buckets<T> {
    /// Sightings already in bucket order, as `iter` gives them; `None` when
    /// they are not.
    pub fn from_ordered(sightings: impl IntoIterator<Item = (u128, u64, T)>) -> Option<Buckets<T>> {
        let seen: Vec<Sighting<T>> = sightings.into_iter().map(|(key, row, with)| Sighting { key, row: row as u32, with }).collect();
        let hashes: Vec<u64> = seen.iter().map(|sighting| spread(sighting.key)).collect();
        if !hashes.windows(2).all(|pair| bucket_of(pair[0]) <= bucket_of(pair[1])) {
            return None;
        }
        let starts = bucket_starts(&hashes);
        let order = hashes.into_iter().zip(0..).collect();
        Some(Buckets { seen, order, starts })
    }

    /// How many keys were seen.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Every sighting in bucket order: key, row, and what was kept.
    pub fn iter(&self) -> impl Iterator<Item = (u128, u64, T)> + '_ {
        self.order.iter().map(|(_, index)| {
            let sighting = &self.seen[*index as usize];
            (sighting.key, u64::from(sighting.row), sighting.with)
        })
    }

    /// Every sighting of a key seen on an earlier row, in no particular
    /// order, over the parts of one file read one after the other, each with
    /// the rows before it (added to its rows), with the index of its part. A
    /// whole file is one part; the parts are not copied into one.
    pub fn repeats_across(parts: &[(&Buckets<T>, u64)]) -> Vec<(usize, Repeat<T>)> {
        let mut repeats = Vec::new();
        // A bucket's sightings over all parts, in order: hash, part, and
        // place in the part.
        let mut members: Vec<(u64, u32, u32)> = Vec::new();
        // Slots hold a position in `members` plus one; 0 is empty.
        let mut table: Vec<u32> = Vec::new();
        for bucket in 0..BUCKETS {
            members.clear();
            for (part, (buckets, _)) in parts.iter().enumerate() {
                let in_bucket = &buckets.order[buckets.starts[bucket] as usize..buckets.starts[bucket + 1] as usize];
                members.extend(in_bucket.iter().map(|(hash, index)| (*hash, part as u32, *index)));
            }
            if members.len() < 2 {
                continue;
            }
            let size = (members.len() * 2).next_power_of_two();
            table.clear();
            table.resize(size, 0);
            let mask = size - 1;
            let sighting = |part: u32, index: u32| {
                let (buckets, rows_before) = parts[part as usize];
                let sighting = &buckets.seen[index as usize];
                (sighting, u64::from(sighting.row) + rows_before)
            };
            for (position, (hash, part, index)) in members.iter().enumerate() {
                let mut slot = *hash as usize & mask;
                loop {
                    let held = table[slot] as usize;
                    if held == 0 {
                        table[slot] = position as u32 + 1;
                        break;
                    }
                    let (held_hash, held_part, held_index) = members[held - 1];
                    // Equal hashes of different keys are possible, only unlikely.
                    if held_hash == *hash {
                        let ((first, first_row), (this, row)) = (sighting(held_part, held_index), sighting(*part, *index));
                        if first.key == this.key {
                            repeats.push((*part as usize, Repeat { with: this.with, row, first_row }));
                            break;
                        }
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
        let mut found: Vec<(u64, u64)> = Buckets::repeats_across(&[(&seen.into_buckets(), 0)]).iter().map(|(_, r)| (r.row, r.first_row)).collect();
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
        let mut found = Buckets::repeats_across(&[(&first.into_buckets(), 0), (&second.into_buckets(), 10)]);
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
    fn buckets_read_back_only_in_bucket_order() {
        let mut seen = Sightings::default();
        for key in 0..1_000u128 {
            seen.see(key % 700, key as u64 + 2, ());
        }
        let buckets = seen.into_buckets();
        let repeats = |buckets: &Buckets<()>| {
            let mut found: Vec<(u64, u64)> = Buckets::repeats_across(&[(buckets, 0)]).iter().map(|(_, r)| (r.row, r.first_row)).collect();
            found.sort();
            found
        };
        let again = Buckets::from_ordered(buckets.iter()).expect("sightings in bucket order");
        assert_eq!(repeats(&again), repeats(&buckets));
        assert_eq!(repeats(&buckets).len(), 300);
        let mut reversed: Vec<_> = buckets.iter().collect();
        reversed.reverse();
        assert!(Buckets::from_ordered(reversed).is_none(), "sightings out of bucket order");
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
