//! Per-partition capacity: a token bucket per partition-key value for writes and one for reads,
//! refilled at the partition ceiling (default 1,000 WCU/s and 3,000 RCU/s), holding one second of
//! capacity plus an optional burst allowance (DynamoDB banks up to 300 s of unused capacity).
//! Time is virtual milliseconds passed in by the caller; nothing here reads a clock.

/// Capacity settings of one table, per partition-key value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityConfig {
    pub write_units_per_second: u32,
    pub read_units_per_second: u32,
    /// Seconds of unused capacity a partition may bank on top of one second (0: no burst;
    /// DynamoDB's burst is 300).
    pub burst_seconds: u32,
}

impl Default for CapacityConfig {
    fn default() -> CapacityConfig {
        CapacityConfig {
            write_units_per_second: 1_000,
            read_units_per_second: 3_000,
            burst_seconds: 0,
        }
    }
}

pub const THROTTLED_MESSAGE: &str =
    "The level of configured provisioned throughput for the table was exceeded. \
Consider increasing your provisioning level with the UpdateTable API.";

/// One bucket, in thousandths of a capacity unit so that half units (eventually consistent
/// reads) stay integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    milli_units: u64,
    updated_ms: u64,
}

impl Bucket {
    /// A bucket that starts with one second of capacity (the burst allowance starts empty).
    pub fn new(units_per_second: u32, at_ms: u64) -> Bucket {
        Bucket {
            milli_units: units_per_second as u64 * 1_000,
            updated_ms: at_ms,
        }
    }

    /// Takes `cost_milli_units` if the bucket holds them; false (and nothing taken) if not.
    pub fn try_take(
        &mut self,
        cost_milli_units: u64,
        units_per_second: u32,
        burst_seconds: u32,
        at_ms: u64,
    ) -> bool {
        let elapsed_ms = at_ms.saturating_sub(self.updated_ms);
        // units/s * ms = thousandths of a unit.
        let refill = elapsed_ms.saturating_mul(units_per_second as u64);
        let ceiling = (units_per_second as u64) * 1_000 * (1 + burst_seconds as u64);
        self.milli_units = self.milli_units.saturating_add(refill).min(ceiling);
        self.updated_ms = self.updated_ms.max(at_ms);
        if self.milli_units < cost_milli_units {
            return false;
        }
        self.milli_units -= cost_milli_units;
        true
    }
}

/// Write cost of an item of `size_bytes`: one unit per started kilobyte, at least one.
pub fn write_cost_milli_units(size_bytes: usize, transactional: bool) -> u64 {
    let units = size_bytes.div_ceil(1024).max(1) as u64;
    units * 1_000 * if transactional { 2 } else { 1 }
}

/// Read cost of `size_bytes`: one unit per started 4 KB (half for eventually consistent reads).
pub fn read_cost_milli_units(size_bytes: usize, consistent: bool, transactional: bool) -> u64 {
    let units = size_bytes.div_ceil(4096).max(1) as u64 * 1_000;
    let units = if consistent { units } else { units / 2 };
    units * if transactional { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hot_key_is_throttled_after_one_second_of_capacity_and_recovers() {
        let config = CapacityConfig {
            write_units_per_second: 10,
            ..CapacityConfig::default()
        };
        let mut bucket = Bucket::new(config.write_units_per_second, 0);
        let cost = write_cost_milli_units(100, false);
        for _ in 0..10 {
            assert!(bucket.try_take(cost, 10, 0, 0));
        }
        assert!(!bucket.try_take(cost, 10, 0, 0));
        assert!(
            bucket.try_take(cost, 10, 0, 100),
            "100 ms refills one unit at 10 WCU/s"
        );
    }

    #[test]
    fn costs_round_up() {
        assert_eq!(write_cost_milli_units(0, false), 1_000);
        assert_eq!(write_cost_milli_units(1025, false), 2_000);
        assert_eq!(write_cost_milli_units(1024, true), 2_000);
        assert_eq!(read_cost_milli_units(4097, true, false), 2_000);
        assert_eq!(read_cost_milli_units(10, false, false), 500);
    }
}
