//! Pinned, keyed randomness. Every random decision is drawn from a sub-stream keyed by what it
//! decides (purpose, entity id, attempt), never from one shared sequence, so suppressing one
//! fault changes no other draw. The algorithm is ours and pinned (FNV-1a over the key, then
//! the SplitMix64 finaliser): the same seed gives the same decisions on every platform and in
//! every future version, which a share link and a regression seed rely on.

/// A draw source for one run.
#[derive(Debug, Clone, Copy)]
pub struct Randomness {
    seed: u64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Randomness {
    pub fn new(seed: u64) -> Randomness {
        Randomness { seed }
    }

    /// A 64-bit value for the decision named by `purpose` about `entity` on `attempt`.
    pub fn draw(&self, purpose: &str, entity: &str, attempt: u32) -> u64 {
        // The bytes are hashed part by part (a chain of iterators cost several times more per
        // byte): seed, purpose, 0xff, entity, 0xfe, attempt.
        let mut hash = fnv(FNV_OFFSET, &self.seed.to_le_bytes());
        hash = fnv(hash, purpose.as_bytes());
        hash = fnv(hash, &[0xff]);
        hash = fnv(hash, entity.as_bytes());
        hash = fnv(hash, &[0xfe]);
        hash = fnv(hash, &attempt.to_le_bytes());
        splitmix64(hash)
    }

    pub fn chance(&self, rate_ppm: u32, purpose: &str, entity: &str, attempt: u32) -> bool {
        rate_ppm > 0 && self.draw(purpose, entity, attempt) % 1_000_000 < u64::from(rate_ppm)
    }

    /// A value in `0..=max`, uniformly (up to a negligible modulo bias).
    pub fn up_to(&self, max: u64, purpose: &str, entity: &str, attempt: u32) -> u64 {
        if max == 0 {
            return 0;
        }
        self.draw(purpose, entity, attempt) % (max + 1)
    }
}

/// FNV-1a over `bytes`, from `hash`.
fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A pinned 64-bit hash of a text (FNV-1a then SplitMix64), as 16 hex digits: used for the
/// trace hash and for deriving stable ids from causal origins.
pub fn hash_text(text: &str) -> String {
    format!("{:016x}", hash_u64(text))
}

/// The pinned hash computed incrementally over bytes written to it (the same value as
/// `hash_u64` of the concatenated text), so a long text never has to be built in memory.
#[derive(Debug, Clone, Copy)]
pub struct TextHasher {
    state: u64,
}

impl Default for TextHasher {
    fn default() -> TextHasher {
        TextHasher { state: FNV_OFFSET }
    }
}

impl TextHasher {
    pub fn finish_hex(self) -> String {
        format!("{:016x}", self.finish_u64())
    }

    /// The same value `hash_u64` gives for the text written so far.
    pub fn finish_u64(self) -> u64 {
        splitmix64(self.state)
    }
}

impl TextHasher {
    /// Hashes a text, as writing it would.
    pub fn text(mut self, text: &str) -> TextHasher {
        self.state = fnv(self.state, text.as_bytes());
        self
    }

    /// Hashes a number's decimal digits, as writing `{number}` would.
    pub fn number(mut self, number: u64) -> TextHasher {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = number;
        loop {
            start -= 1;
            if let Some(digit) = digits.get_mut(start) {
                *digit = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || start == 0 {
                break;
            }
        }
        self.state = fnv(self.state, digits.get(start..).unwrap_or_default());
        self
    }
}

impl std::io::Write for TextHasher {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.state = fnv(self.state, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The pinned 64-bit hash of a text.
pub fn hash_u64(text: &str) -> u64 {
    let mut hash = FNV_OFFSET;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    splitmix64(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The algorithm is pinned: these values must never change, or old seeds replay differently.
    #[test]
    fn draws_are_pinned() {
        let random = Randomness::new(42);
        assert_eq!(
            random.draw("duplicate", "delivery/1", 1),
            random.draw("duplicate", "delivery/1", 1)
        );
        assert_ne!(
            random.draw("duplicate", "delivery/1", 1),
            random.draw("duplicate", "delivery/2", 1)
        );
        assert_eq!(hash_text(""), format!("{:016x}", splitmix64(FNV_OFFSET)));
        assert_eq!(hash_text("eventlab"), "9cb4589c3678cac5");
    }

    // A rate in parts per million is honoured within a loose statistical margin.
    #[test]
    fn hashed_parts_are_hashed_text() {
        use std::io::Write;
        for number in [0u64, 7, 10, 1234, u64::MAX] {
            let mut written = TextHasher::default();
            let _ = write!(written, "a-{number}/b");
            let parts = TextHasher::default().text("a-").number(number).text("/b");
            assert_eq!(parts.finish_u64(), written.finish_u64(), "{number}");
        }
    }

    #[test]
    fn chance_follows_the_rate() {
        let random = Randomness::new(7);
        let hits = (0..100_000)
            .filter(|i| random.chance(250_000, "p", &i.to_string(), 1))
            .count();
        assert!((24_000..26_000).contains(&hits), "{hits}");
    }
}
