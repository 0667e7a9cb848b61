//! Seeded random streams, one per (seed, purpose, entity, day).
//!
//! Every random draw in the simulator comes from a generator derived from the scenario
//! seed and *what is being drawn* — never from a shared generator advanced by requests.
//! So a creative's clicks on a day do not depend on the order in which other creatives
//! were simulated, or on how many API calls came in between.

use rand::SeedableRng;
use rand::rngs::StdRng;

/// What a stream is used for; keeps streams for different purposes independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Building the world: accounts, campaigns, creatives, copy.
    World = 1,
    /// A campaign's auction and supply on one day.
    CampaignDay = 2,
    /// A creative's clicks, conversions and engagement on one day.
    CreativeDay = 3,
    /// Tokens minted by the OAuth endpoints.
    Tokens = 4,
    /// Injected faults.
    Faults = 5,
    /// A creative's latent quality (CTR and conversion-rate noise).
    CreativeQuality = 6,
}

/// SplitMix64 finaliser: spreads nearby inputs over the whole 64-bit range.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-bit key for (seed, stream, a, b).
pub fn key(seed: u64, stream: Stream, a: u64, b: u64) -> u64 {
    mix(mix(mix(seed ^ mix(stream as u64)) ^ a) ^ b.wrapping_mul(0x2545_F491_4F6C_DD1D))
}

/// A generator for (seed, stream, a, b); `a` is usually an entity id, `b` a day number.
pub fn rng(seed: u64, stream: Stream, a: u64, b: u64) -> StdRng {
    StdRng::seed_from_u64(key(seed, stream, a, b))
}

/// A deterministic uniform number in [0, 1) for (seed, stream, a, b), without a generator.
pub fn unit(seed: u64, stream: Stream, a: u64, b: u64) -> f64 {
    (key(seed, stream, a, b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn same_inputs_give_the_same_stream_and_different_inputs_differ() {
        // GIVEN two generators for the same key and one for a neighbouring day
        let mut a = rng(7, Stream::CreativeDay, 42, 3);
        let mut b = rng(7, Stream::CreativeDay, 42, 3);
        let mut c = rng(7, Stream::CreativeDay, 42, 4);
        // WHEN drawing
        let (x, y, z): (u64, u64, u64) = (a.random(), b.random(), c.random());
        // THEN the same key repeats and the neighbour does not
        assert_eq!(x, y);
        assert_ne!(x, z);
        assert!((0.0..1.0).contains(&unit(1, Stream::World, 2, 3)));
    }
}
