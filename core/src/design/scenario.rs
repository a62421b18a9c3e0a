//! The scenario: seed, faults and bounds of a run. It belongs to the document (shared with the
//! design; changing it is an undoable edit), and in exercise mode it comes from the exercise.

use serde::{Deserialize, Serialize};

/// Seed, random and scripted faults, and the bounds every run stops at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub faults: Faults,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripted: Vec<ScriptedFault>,
    #[serde(default)]
    pub bounds: Bounds,
}

fn default_seed() -> u64 {
    1
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario {
            seed: default_seed(),
            faults: Faults::default(),
            scripted: Vec::new(),
            bounds: Bounds::default(),
        }
    }
}

/// Random faults, as integer rates in parts per million and delays in milliseconds, so that
/// every platform draws the same decisions from the same seed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Faults {
    /// Each delivery (bus → target, queue receive, stream record) is delivered twice.
    #[serde(default)]
    pub duplicate_rate_ppm: u32,
    /// Each delivery waits an extra 0..=this, uniformly: enough to reorder deliveries.
    #[serde(default)]
    pub delivery_delay_ms_max: u32,
    /// Each attempt to deliver to a rule target is rejected (throttled), so EventBridge retries.
    #[serde(default)]
    pub target_error_rate_ppm: u32,
    /// Each handler step crashes the invocation before it runs.
    #[serde(default)]
    pub crash_before_step_rate_ppm: u32,
    /// Each handler step crashes the invocation after it took effect.
    #[serde(default)]
    pub crash_after_step_rate_ppm: u32,
    /// Each external call fails with an error and no effect.
    #[serde(default)]
    pub api_error_rate_ppm: u32,
    /// Each external call takes effect, then times out for the caller.
    #[serde(default)]
    pub api_timeout_after_success_rate_ppm: u32,
}

/// A fault placed by hand: for exercises and for reproducing a bug. Read by hand in `tagged`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ScriptedFault {
    /// Deliver the `nth` (1-based) event of a type twice, both copies at the same instant.
    #[serde(rename_all = "camelCase")]
    Duplicate { event_type: String, nth: u32 },
    /// Delay every delivery of the `nth` event of a type by `delayMs`.
    #[serde(rename_all = "camelCase")]
    Delay {
        event_type: String,
        nth: u32,
        delay_ms: u32,
    },
    /// Crash a function's invocation after step `afterStep` (1-based) took effect, on the
    /// given attempt (1-based; 0 means every attempt).
    #[serde(rename_all = "camelCase")]
    Crash {
        function: String,
        after_step: u32,
        #[serde(default)]
        attempt: u32,
    },
}

/// Bounds of one run: hitting one ends the run with a reason, never a hang.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bounds {
    #[serde(default = "default_max_events")]
    pub max_events: u32,
    /// Virtual time; the default (48 hours) covers EventBridge's 24-hour retry window.
    #[serde(default = "default_max_time_ms")]
    pub max_time_ms: u64,
}

fn default_max_events() -> u32 {
    200_000
}
fn default_max_time_ms() -> u64 {
    48 * 3_600_000
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            max_events: default_max_events(),
            max_time_ms: default_max_time_ms(),
        }
    }
}
