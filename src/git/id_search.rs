//! Finding object ids in a pack index (its ids sorted), with as few reads
//! of the index as can be: each read of a large index is likely a cache
//! miss, and a history pass looks up an id for every tree it reads.
//!
//! Object ids are hashes, spread evenly over their range, so an id's place
//! among `n` sorted ids is close to `n` times its share of the range: a
//! search that guesses there (interpolation) reads about six places of
//! 65,536 ids (the two ends included) where halving reads sixteen, each
//! guess nearer the last. Whoever writes the objects chooses the ids,
//! though, so guesses stop after as many steps as halving would take, and
//! halving finishes: never more than about twice the reads of a binary
//! search.

use gix::odb::pack::index::File;

/// The first eight bytes of an object id (every hash has more), as a
/// number that orders as the ids do.
pub(crate) fn prefix(id: &gix::oid) -> u64 {
    let bytes = id.as_bytes();
    // A fixed-size read (a copy of a length known only at run time is a
    // call to memcpy, and this runs for every comparison of a search).
    if let Some(first) = bytes.first_chunk::<8>() {
        return u64::from_be_bytes(*first);
    }
    let mut first = [0u8; 8];
    first[..bytes.len()].copy_from_slice(bytes);
    u64::from_be_bytes(first)
}

/// Whether `other` orders before `id` (whose [`prefix`] is `head`): most
/// are told apart by their first eight bytes.
fn before(other: &gix::oid, id: &gix::oid, head: u64) -> bool {
    match prefix(other).cmp(&head) {
        std::cmp::Ordering::Equal => other < id,
        order => order.is_lt(),
    }
}

/// The first number at or after `from` whose id in `index` is not less
/// than `id`, for ids looked up in their sorted order (see [`after`]).
pub(crate) fn lower_bound(index: &File, from: u32, id: &gix::oid) -> u32 {
    after(index.num_objects(), from, id, |i| index.oid_at_index(i))
}

/// The first number at or after `from` among the `len` sorted ids
/// `at(0)..at(len)` whose id is not less than `id`.
///
/// A sweep looks up sorted ids, each from the place of the one before:
/// the next is as many places on as its share of the range left says
/// (for ids spread evenly, within a few places), so the search starts
/// there, doubling its steps away from the guess until it brackets the
/// place, then halving. A guess far off (ids a writer chose) costs about
/// twice the reads of a binary search.
fn after<'a>(len: u32, from: u32, id: &gix::oid, at: impl Fn(u32) -> &'a gix::oid) -> u32 {
    let head = prefix(id);
    if from >= len || !before(at(from), id, head) {
        return from.min(len);
    }
    // at(from) < id: the place is in (from, len].
    let last = len - 1;
    let (floor, ceil) = (prefix(at(from)), prefix(at(last)));
    if from == last {
        return len;
    }
    let guess = if head <= ceil && ceil > floor {
        let share = u128::from(head - floor) * u128::from(last - from) / u128::from(ceil - floor);
        from + u32::try_from(share)
            .unwrap_or(last - from)
            .clamp(1, last - from)
    } else {
        last
    };
    let mut step = 1u32;
    let (mut low, mut high);
    if before(at(guess), id, head) {
        // Forward from the guess.
        low = guess + 1;
        let mut probe = guess;
        loop {
            probe = probe.saturating_add(step).min(len);
            if probe == len || !before(at(probe), id, head) {
                high = probe;
                break;
            }
            low = probe + 1;
            step = step.saturating_mul(2);
        }
    } else {
        // Back from the guess.
        (low, high) = (from + 1, guess);
        while high - low > step {
            let probe = high - step;
            if before(at(probe), id, head) {
                low = probe + 1;
                break;
            }
            high = probe;
            step = step.saturating_mul(2);
        }
    }
    while low < high {
        let mid = low + (high - low) / 2;
        if before(at(mid), id, head) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// The number of `id` in `index`, if it lists it (what
/// [`File::lookup`] answers, in fewer reads).
pub(crate) fn position(index: &File, id: &gix::oid) -> Option<u32> {
    interpolate(index.num_objects(), id, |i| index.oid_at_index(i))
}

/// The number of `id` among the `len` sorted ids `at(0)..at(len)`, if it
/// is one of them: by interpolation for as many steps as halving would
/// take, then by halving. One id is read a step.
fn interpolate<'a>(len: u32, id: &gix::oid, at: impl Fn(u32) -> &'a gix::oid) -> Option<u32> {
    let want = prefix(id);
    let last = len.checked_sub(1)?;
    // The ids left are at(low..high); `floor` and `ceil` bound their
    // prefixes and `want` (read at the ends, then at the last guesses).
    let (mut low, mut high) = (0u32, len);
    let (mut floor, mut ceil) = (prefix(at(0)), prefix(at(last)));
    if want < floor || want > ceil {
        return None;
    }
    let mut guesses = u32::BITS - len.leading_zeros();
    while low < high {
        let span = high - low;
        let mid = match ceil - floor {
            range if guesses > 0 && range > 0 => {
                guesses -= 1;
                let share = u128::from(want - floor) * u128::from(span) / u128::from(range);
                low + u32::try_from(share).unwrap_or(span).min(span - 1)
            }
            _ => low + span / 2,
        };
        let found = at(mid);
        match found.cmp(id) {
            std::cmp::Ordering::Equal => return Some(mid),
            std::cmp::Ordering::Less => (low, floor) = (mid + 1, prefix(found)),
            std::cmp::Ordering::Greater => (high, ceil) = (mid, prefix(found)),
        }
    }
    None
}

/// An index's sorted ids by their first two bytes: where each of the
/// 65,536 runs of ids that share them begins. A search for one id then
/// reads this table (256 KiB, mostly in the processor's caches) and a few
/// neighbouring ids of its run, where interpolation reads some five places
/// spread over the whole index, each likely a cache miss: on the generated
/// monorepo, searching the index for each commit's `src` tree was two
/// thirds of attribution. Built in one pass over the ids, so only for an
/// index searched often (see `chains::PackFiles`).
pub(crate) struct Runs {
    /// Where the run of each two-byte prefix begins, and the number of ids
    /// last.
    starts: Box<[u32]>,
}

impl Runs {
    /// The runs of `index`.
    pub(crate) fn of(index: &File) -> Self {
        Self::over(index.num_objects(), |i| index.oid_at_index(i))
    }

    /// The runs of the `len` sorted ids `at(0)..at(len)`.
    fn over<'a>(len: u32, at: impl Fn(u32) -> &'a gix::oid) -> Self {
        let mut starts = vec![0u32; (1 << 16) + 1];
        for i in 0..len {
            starts[usize::from(run_of(at(i))) + 1] += 1;
        }
        for run in 1..starts.len() {
            starts[run] += starts[run - 1];
        }
        Runs {
            starts: starts.into_boxed_slice(),
        }
    }

    /// The number of `id` in `index` (whose runs these are), if it lists
    /// it.
    pub(crate) fn position(&self, index: &File, id: &gix::oid) -> Option<u32> {
        self.find(id, |i| index.oid_at_index(i))
    }

    /// The number of `id` among the sorted ids these are the runs of.
    fn find<'a>(&self, id: &gix::oid, at: impl Fn(u32) -> &'a gix::oid) -> Option<u32> {
        let run = usize::from(run_of(id));
        let (mut low, mut high) = (self.starts[run], self.starts[run + 1]);
        while low < high {
            let mid = low + (high - low) / 2;
            match at(mid).cmp(id) {
                std::cmp::Ordering::Equal => return Some(mid),
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
            }
        }
        None
    }
}

/// The run of `id`: its first two bytes (every hash has more).
fn run_of(id: &gix::oid) -> u16 {
    match id.as_bytes() {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::ObjectId;

    /// Ids from the first eight bytes `heads` (the rest from a counter), sorted.
    fn ids(heads: impl Iterator<Item = u64>) -> Vec<ObjectId> {
        let mut out: Vec<ObjectId> = heads
            .enumerate()
            .map(|(n, head)| {
                let mut bytes = [0u8; 20];
                bytes[..8].copy_from_slice(&head.to_be_bytes());
                bytes[8..16].copy_from_slice(&(n as u64).to_be_bytes());
                ObjectId::from_bytes_or_panic(&bytes)
            })
            .collect();
        out.sort();
        out
    }

    /// `n` sorted ids of each spread the tests search: evenly spread, and
    /// as a writer might choose them to defeat guessing (one shared prefix,
    /// two clusters, a geometric spread).
    fn spreads(n: u64) -> [(&'static str, Vec<ObjectId>); 4] {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        [
            ("even", ids((0..n).map(|_| next()))),
            ("one prefix", ids((0..n).map(|_| 7))),
            (
                "two clusters",
                ids((0..n).map(|i| if i % 2 == 0 { i } else { u64::MAX - i })),
            ),
            ("geometric", ids((0..n).map(|i| 1u64 << (i % 64)))),
        ]
    }

    /// Every id is found at its place and ids between them are not, on
    /// evenly spread ids and on ids a writer chose to defeat guessing (one
    /// shared prefix, two clusters, a geometric spread), within about twice
    /// the reads of a binary search.
    #[test]
    fn ids_are_found_where_they_are_and_hostile_spreads_stay_bounded() {
        let n = 4096u64;
        let spreads = spreads(n);
        let bound = 2 * (64 - u64::from(n as u32).leading_zeros()) + 4;
        for (name, sorted) in spreads {
            let reads = std::cell::Cell::new(0u32);
            let at = |i: u32| {
                reads.set(reads.get() + 1);
                sorted[i as usize].as_ref()
            };
            let mut most = 0;
            for (i, id) in sorted.iter().enumerate() {
                reads.set(0);
                assert_eq!(interpolate(n as u32, id, at), Some(i as u32), "{name}");
                // Two reads of the ends, then one a step.
                most = most.max(reads.get() - 2);
                // An id just after this one is listed only if it is the next.
                let mut bytes = id.as_bytes().to_vec();
                bytes[19] = bytes[19].wrapping_add(1);
                let after = ObjectId::from_bytes_or_panic(&bytes);
                let listed = sorted.get(i + 1) == Some(&after);
                assert_eq!(
                    interpolate(n as u32, &after, at).is_some(),
                    listed,
                    "{name}"
                );
            }
            assert!(most <= bound, "{name}: {most} steps");
        }
        assert_eq!(
            interpolate(
                0,
                &ObjectId::null(gix::hash::Kind::Sha1),
                |_| unreachable!()
            ),
            None
        );
    }

    /// The runs of the ids find every id at its place and no id between
    /// them, on every spread (a hostile one is one run, halved).
    #[test]
    fn runs_find_each_id_at_its_place() {
        for (name, sorted) in spreads(4096) {
            let at = |i: u32| sorted[i as usize].as_ref();
            let runs = Runs::over(sorted.len() as u32, at);
            for (i, id) in sorted.iter().enumerate() {
                assert_eq!(runs.find(id, at), Some(i as u32), "{name}");
                let mut bytes = id.as_bytes().to_vec();
                bytes[19] = bytes[19].wrapping_add(1);
                let after = ObjectId::from_bytes_or_panic(&bytes);
                let listed = sorted.get(i + 1) == Some(&after);
                assert_eq!(runs.find(&after, at).is_some(), listed, "{name}");
            }
            let before_all = ObjectId::null(gix::hash::Kind::Sha1);
            assert_eq!(
                runs.find(&before_all, at).is_some(),
                sorted[0] == before_all
            );
        }
        let none = Runs::over(0, |_| unreachable!());
        assert_eq!(
            none.find(&ObjectId::null(gix::hash::Kind::Sha1), |_| unreachable!()),
            None
        );
    }

    /// On evenly spread ids, guessing reads far less than halving.
    #[test]
    fn evenly_spread_ids_are_found_in_a_few_reads() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let sorted = ids((0..1 << 16).map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }));
        let reads = std::cell::Cell::new(0u32);
        let at = |i: u32| {
            reads.set(reads.get() + 1);
            sorted[i as usize].as_ref()
        };
        for id in &sorted {
            interpolate(sorted.len() as u32, id, at).expect("found");
        }
        let mean = f64::from(reads.get()) / sorted.len() as f64;
        // A binary search reads 16 places for each (6.1 here).
        assert!(mean < 7.0, "{mean} reads per id");
    }

    /// A sweep over sorted ids, half of them listed, finds each at the
    /// place a partition finds, on every spread; on evenly spread ids each
    /// step reads a few places, on hostile ones about twice a binary search.
    #[test]
    fn a_sweep_finds_each_id_from_the_place_of_the_one_before() {
        let n = 4096u64;
        let spreads = spreads(n);
        let bound = 2 * (64 - n.leading_zeros()) + 4;
        for (name, all) in spreads {
            // Every other id is listed; the sweep asks for all of them.
            let listed: Vec<ObjectId> = all.iter().step_by(2).copied().collect();
            let reads = std::cell::Cell::new(0u32);
            let at = |i: u32| {
                reads.set(reads.get() + 1);
                listed[i as usize].as_ref()
            };
            let len = listed.len() as u32;
            let (mut from, mut most, mut total) = (0u32, 0u32, 0u32);
            for id in &all {
                reads.set(0);
                let place = after(len, from, id, at);
                let expected = from as usize + listed[from as usize..].partition_point(|x| x < id);
                assert_eq!(place as usize, expected, "{name}: {id}");
                most = most.max(reads.get());
                total += reads.get();
                from = place;
            }
            assert!(most <= bound, "{name}: {most} reads");
            if name == "even" {
                let mean = f64::from(total) / all.len() as f64;
                assert!(mean < 6.0, "{name}: {mean} reads per id");
            }
        }
        let none: [ObjectId; 0] = [];
        let id = ObjectId::null(gix::hash::Kind::Sha1);
        assert_eq!(after(0, 0, &id, |i| none[i as usize].as_ref()), 0);
    }
}
