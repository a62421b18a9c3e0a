//! The execution's only source of randomness: a splitmix64 generator keyed by the seed in
//! `ExecutionOptions`, used for `JitterStrategy: FULL`, `States.UUID` and `States.MathRandom`.
//!
//! It must never read OS randomness; the same seed gives the same numbers on every platform.
//! Jitter does not draw from the shared stream: each retry delay is keyed by (seed, state path,
//! retry number), so adding a `States.UUID` elsewhere does not change retry timings.

/// splitmix64's mixing function (Steele, Lea, Flood 2014).
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a text, to key numbers by state names.
pub fn hash_text(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A sequential generator: the seed, and how many numbers were drawn.
#[derive(Debug, Clone)]
pub struct Generator {
    key: u64,
    drawn: u64,
}

impl Generator {
    pub fn new(seed: u64, name: &str) -> Generator {
        Generator {
            key: mix(seed ^ hash_text(name)),
            drawn: 0,
        }
    }

    pub fn next(&mut self) -> u64 {
        self.drawn += 1;
        mix(self.key ^ mix(self.drawn))
    }

    /// A version-4-shaped UUID from two draws.
    pub fn uuid(&mut self) -> String {
        let high = self.next();
        let low = self.next();
        let time_high = (high & 0x0fff) | 0x4000;
        let clock = ((low >> 48) & 0x3fff) | 0x8000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            high >> 32,
            (high >> 16) & 0xffff,
            time_high,
            clock,
            low & 0xffff_ffff_ffff
        )
    }
}

/// The jitter fraction draw for one retry: uniform over u64, keyed by seed, state and retry.
pub fn jitter_draw(seed: u64, state_path: &str, retry_number: u32) -> u64 {
    mix(mix(seed ^ hash_text(state_path)) ^ u64::from(retry_number))
}
