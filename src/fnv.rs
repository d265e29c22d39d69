//! FNV-1a over byte strings: a hash that stays the same across runs and
//! builds, for what the history cache keys on.

/// A stable 64-bit FNV-1a hash (file names must not change between builds).
pub(crate) fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
