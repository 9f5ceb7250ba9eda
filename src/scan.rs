//! Finding the first byte of a kind, eight bytes at a time: the loop the fast path (end of a
//! printable run, end of an OSC string) and the JSON writer (next byte to escape) share.

/// `0x01` in every byte of a word.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// Index of the first byte at or after `from` for which `hit` holds, or `b.len()`.
///
/// `flags(x)` takes eight bytes as a little-endian word and must set the high bit of every
/// byte for which `hit` holds; it may also set it in bytes above such a byte (where a borrow
/// or carry reaches) but in no byte below the first one, so the lowest flag is the answer.
#[inline(always)]
pub(crate) fn first(
    b: &[u8],
    from: usize,
    flags: impl Fn(u64) -> u64,
    hit: impl Fn(u8) -> bool,
) -> usize {
    let mut n = from;
    while let Some(word) = b.get(n..n + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let found = flags(u64::from_le_bytes(w));
        if found != 0 {
            return n + (found.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    let left = b.len() - n;
    if left > 0
        && let Some(last) = b.last_chunk::<8>()
    {
        // The last word again, overlapping what was read: its top `left` bytes are new. They
        // are shifted down; the zeros shifted in above them are masked off (a borrow only
        // goes up, so they cannot flag a byte below them).
        let shift = 8 * (8 - left) as u32;
        let found = (flags(u64::from_le_bytes(*last) >> shift)) & (u64::MAX >> shift);
        return n + if found == 0 {
            left
        } else {
            (found.trailing_zeros() / 8) as usize
        };
    }
    n + b[n..].iter().position(|&c| hit(c)).unwrap_or(left)
}

/// Flags the bytes of `x` below 0x20 (C0 controls): there the subtraction wraps, and the
/// byte's own high bit was clear.
#[inline(always)]
pub(crate) fn controls(x: u64) -> u64 {
    x.wrapping_sub(0x20 * ONES) & !x & HIGH
}

/// Flags the bytes of `x` equal to `c`.
#[inline(always)]
pub(crate) fn equal(x: u64, c: u8) -> u64 {
    let v = x ^ (u64::from(c) * ONES);
    v.wrapping_sub(ONES) & !v & HIGH
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Word at a time, with the overlapping last word, finds what a byte loop finds.
        #[test]
        fn first_is_the_first_hit(
            b in proptest::collection::vec(prop_oneof![12 => 0x20u8..0x7f, 1 => any::<u8>()], 0..40),
            from in 0usize..40,
        ) {
            let from = from.min(b.len());
            let naive = |hit: &dyn Fn(u8) -> bool| {
                b[from..].iter().position(|&c| hit(c)).map_or(b.len(), |i| from + i)
            };
            let control = |c: u8| c < 0x20;
            prop_assert_eq!(first(&b, from, controls, control), naive(&control));
            let quote = |c: u8| c == b'"';
            prop_assert_eq!(first(&b, from, |x| equal(x, b'"'), quote), naive(&quote));
        }
    }
}
