//! The scenario's faults in plain words: each random fault's label, the AWS behaviour it stands
//! for and its value as a sentence ("5% of deliveries delivered twice (1 in 20)"), a sentence
//! per scripted fault, what is wrong with one, and the parsing of what a person types.
//!
//! Pure functions over core's types, tested natively. Parts per million stay the stored unit;
//! percentages are only how they read. Nothing here changes a design.

use eventlab_core::design::{Design, Faults, NodeKind, ScriptedFault};

/// How a random fault's value is measured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unit {
    /// A rate in parts per million, shown as a percentage.
    Ppm,
    /// An upper bound in milliseconds.
    Ms,
}

/// One random fault: the field it edits, and how it reads.
pub struct Knob {
    /// A stable name for element ids.
    pub id: &'static str,
    pub label: &'static str,
    /// The AWS behaviour the fault stands for, in one line.
    pub explanation: &'static str,
    pub unit: Unit,
    /// What one hit is, after the percentage: "of deliveries delivered twice".
    pub phrase: &'static str,
    /// The slider's end; the number field takes more.
    pub slider_max: u32,
    pub get: fn(&Faults) -> u32,
    pub set: fn(&mut Faults, u32),
}

/// The slider's step for rates: a tenth of a percent.
pub const RATE_STEP_PPM: u32 = 1_000;
/// The slider's step for delays.
pub const DELAY_STEP_MS: u32 = 10;
const RATE_SLIDER_MAX_PPM: u32 = 200_000;

pub const KNOBS: [Knob; 7] = [
    Knob {
        id: "duplicate",
        label: "Duplicate deliveries",
        explanation: "At-least-once delivery: EventBridge, SQS and streams sometimes deliver the same event twice.",
        unit: Unit::Ppm,
        phrase: "of deliveries delivered twice",
        slider_max: RATE_SLIDER_MAX_PPM,
        get: |f| f.duplicate_rate_ppm,
        set: |f, v| f.duplicate_rate_ppm = v,
    },
    Knob {
        id: "delay",
        label: "Extra delivery delay",
        explanation: "Late deliveries arrive out of order: neither EventBridge nor a standard queue promises order.",
        unit: Unit::Ms,
        phrase: "extra delay per delivery",
        slider_max: 2_000,
        get: |f| f.delivery_delay_ms_max,
        set: |f, v| f.delivery_delay_ms_max = v,
    },
    Knob {
        id: "target-error",
        label: "Target throttling",
        explanation: "A rule's target is throttled and rejects the event; EventBridge retries it with backoff.",
        unit: Unit::Ppm,
        phrase: "of target deliveries throttled and retried",
        slider_max: RATE_SLIDER_MAX_PPM,
        get: |f| f.target_error_rate_ppm,
        set: |f, v| f.target_error_rate_ppm = v,
    },
    Knob {
        id: "crash-before",
        label: "Crash before a step",
        explanation: "The Lambda dies (timeout, out of memory) before its call takes effect; the event is retried.",
        unit: Unit::Ppm,
        phrase: "of handler steps crash before taking effect",
        slider_max: RATE_SLIDER_MAX_PPM,
        get: |f| f.crash_before_step_rate_ppm,
        set: |f, v| f.crash_before_step_rate_ppm = v,
    },
    Knob {
        id: "crash-after",
        label: "Crash after a step",
        explanation: "The Lambda dies after its call took effect, before it finished; the retry repeats the side effect.",
        unit: Unit::Ppm,
        phrase: "of handler steps crash after taking effect",
        slider_max: RATE_SLIDER_MAX_PPM,
        get: |f| f.crash_after_step_rate_ppm,
        set: |f, v| f.crash_after_step_rate_ppm = v,
    },
    Knob {
        id: "api-error",
        label: "SDK call errors",
        explanation: "A call to an external API fails with an error and has no effect, like a 500 from a provider.",
        unit: Unit::Ppm,
        phrase: "of external calls fail with no effect",
        slider_max: RATE_SLIDER_MAX_PPM,
        get: |f| f.api_error_rate_ppm,
        set: |f, v| f.api_error_rate_ppm = v,
    },
    Knob {
        id: "api-timeout",
        label: "Succeeded, but timed out",
        explanation: "The external call took effect, but the caller gave up waiting and sees a timeout.",
        unit: Unit::Ppm,
        phrase: "of external calls succeed but time out for the caller",
        slider_max: RATE_SLIDER_MAX_PPM,
        get: |f| f.api_timeout_after_success_rate_ppm,
        set: |f, v| f.api_timeout_after_success_rate_ppm = v,
    },
];

/// A rate as a percentage with at most four decimals: 50,000 ppm is "5%", 2,500 is "0.25%".
pub fn percent_text(ppm: u32) -> String {
    format!("{}%", percent_number(ppm))
}

/// The number a person types for a rate: "5", "0.25".
pub fn percent_number(ppm: u32) -> String {
    let (whole, fraction) = (ppm / 10_000, ppm % 10_000);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:04}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// "1 in 20" for a rate that divides a million, "about 1 in 33" otherwise; nothing for a rate
/// of zero or above one half, where "1 in 1" would say less than the percentage.
pub fn one_in_text(ppm: u32) -> Option<String> {
    if ppm == 0 || ppm > 500_000 {
        return None;
    }
    let n = (1_000_000 + ppm / 2) / ppm;
    Some(if 1_000_000 % ppm == 0 {
        format!("1 in {n}")
    } else {
        format!("about 1 in {n}")
    })
}

/// A knob's value as a sentence.
pub fn knob_words(knob: &Knob, value: u32) -> String {
    match (knob.unit, value) {
        (Unit::Ppm, 0) => "Off".to_string(),
        (Unit::Ms, 0) => "Off: deliveries take the usual latency".to_string(),
        (Unit::Ms, ms) => format!("Up to {ms} ms {}", knob.phrase),
        (Unit::Ppm, ppm) => match one_in_text(ppm) {
            Some(one_in) => format!("{} {} ({one_in})", percent_text(ppm), knob.phrase),
            None => format!("{} {}", percent_text(ppm), knob.phrase),
        },
    }
}

/// Every fault that is on, one sentence each: the Faults button counts them and shows them on
/// hover.
pub fn summary_lines(faults: &Faults, scripted: &[ScriptedFault]) -> Vec<String> {
    let random = KNOBS
        .iter()
        .filter(|k| (k.get)(faults) > 0)
        .map(|k| knob_words(k, (k.get)(faults)));
    random.chain(scripted.iter().map(scripted_words)).collect()
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ...
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A scripted fault as one sentence: "Deliver the 3rd OrderPlaced twice".
pub fn scripted_words(fault: &ScriptedFault) -> String {
    let or_blank = |text: &str, blank: &str| {
        if text.is_empty() {
            blank.to_string()
        } else {
            text.to_string()
        }
    };
    match fault {
        ScriptedFault::Duplicate { event_type, nth } => format!(
            "Deliver the {} {} twice",
            ordinal(*nth),
            or_blank(event_type, "(no event type)")
        ),
        ScriptedFault::Delay {
            event_type,
            nth,
            delay_ms,
        } => format!(
            "Delay the {} {} by {delay_ms} ms",
            ordinal(*nth),
            or_blank(event_type, "(no event type)")
        ),
        ScriptedFault::Crash {
            function,
            after_step,
            attempt,
        } => {
            let on = match attempt {
                0 => "on every attempt".to_string(),
                n => format!("on attempt {n}"),
            };
            format!(
                "Crash {} after step {after_step} {on}",
                or_blank(function, "(no function)")
            )
        }
    }
}

/// What keeps a scripted fault from ever happening in this design, in words; empty when none.
pub fn scripted_problems(fault: &ScriptedFault, design: &Design) -> Vec<String> {
    let mut problems = Vec::new();
    match fault {
        ScriptedFault::Duplicate { event_type, nth }
        | ScriptedFault::Delay {
            event_type, nth, ..
        } => event_problems(event_type, *nth, design, &mut problems),
        ScriptedFault::Crash {
            function,
            after_step,
            ..
        } => crash_problems(function, *after_step, design, &mut problems),
    }
    problems
}

fn event_problems(event_type: &str, nth: u32, design: &Design, problems: &mut Vec<String>) {
    if nth == 0 {
        problems.push("Counts start at 1: the first event is the 1st.".to_string());
    }
    if event_type.is_empty() {
        problems.push("Choose the event type it applies to.".to_string());
    } else if !design.event_types.iter().any(|t| t.type_name == event_type) {
        problems.push(format!(
            "{event_type} is not one of this design's event types, so this may never happen."
        ));
    }
}

fn crash_problems(function: &str, after_step: u32, design: &Design, problems: &mut Vec<String>) {
    let steps = design.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::Function(f) if n.id == function => Some(f.steps.len()),
        _ => None,
    });
    match steps {
        None if function.is_empty() => problems.push("Choose the function to crash.".to_string()),
        None => problems.push(format!(
            "There is no function {function} in this design: choose one."
        )),
        Some(_) if after_step == 0 => {
            problems.push("Steps count from 1: step 1 is the handler's first call.".to_string())
        }
        Some(count) if after_step as usize > count => problems.push(format!(
            "{function} has {count} {}, so step {after_step} never runs.",
            if count == 1 { "step" } else { "steps" }
        )),
        Some(_) => {}
    }
}

/// A typed percentage ("2.5", "2.5 %", "0.01") as parts per million.
pub fn parse_percent(text: &str) -> Result<u32, String> {
    const HELP: &str = "Enter a percentage from 0 to 100, such as 2.5.";
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(HELP.to_string());
    }
    if fraction.len() > 4 {
        return Err("At most four decimals: 0.0001% is one in a million.".to_string());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| HELP.to_string())?
    };
    let fraction: u32 = format!("{fraction:0<4}").parse().unwrap_or(0);
    match whole
        .checked_mul(10_000)
        .and_then(|w| w.checked_add(fraction))
    {
        Some(ppm) if ppm <= 1_000_000 => Ok(ppm),
        _ => Err(HELP.to_string()),
    }
}

/// A typed whole number of at least `minimum`, with `what` naming it in the message.
pub fn parse_whole(text: &str, minimum: u32, what: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= minimum => Ok(n),
        Ok(_) => Err(format!("{what} start at {minimum}.")),
        Err(_) => Err(format!(
            "Enter a whole number for {}.",
            what.to_ascii_lowercase()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rates read as percentages, with "1 in N" beside them while that says something.
    #[test]
    fn knob_values_read_as_sentences() {
        let check = |knob: usize, value: u32, expected: &str| {
            assert_eq!(knob_words(&KNOBS[knob], value), expected);
        };
        check(0, 0, "Off");
        check(0, 20_000, "2% of deliveries delivered twice (1 in 50)");
        check(0, 50_000, "5% of deliveries delivered twice (1 in 20)");
        check(
            0,
            30_000,
            "3% of deliveries delivered twice (about 1 in 33)",
        );
        check(0, 1_000_000, "100% of deliveries delivered twice");
        check(1, 500, "Up to 500 ms extra delay per delivery");
        check(1, 0, "Off: deliveries take the usual latency");
        check(
            4,
            20_000,
            "2% of handler steps crash after taking effect (1 in 50)",
        );
    }

    /// Percentages keep up to four decimals and drop trailing zeros.
    #[test]
    fn percentages_are_exact() {
        let check = |ppm: u32, expected: &str| assert_eq!(percent_text(ppm), expected);
        check(0, "0%");
        check(2_500, "0.25%");
        check(1, "0.0001%");
        check(123_450, "12.345%");
        check(1_000_000, "100%");
    }

    /// What a person types becomes parts per million, or a message saying what to type.
    #[test]
    fn typed_percentages_parse_or_explain() {
        let check = |text: &str, expected: Result<u32, &str>| {
            assert_eq!(
                parse_percent(text),
                expected.map_err(str::to_string),
                "{text:?}"
            );
        };
        let help = "Enter a percentage from 0 to 100, such as 2.5.";
        check("5", Ok(50_000));
        check(" 2.5 % ", Ok(25_000));
        check(".5", Ok(5_000));
        check("0.0001", Ok(1));
        check("100", Ok(1_000_000));
        check("100.5", Err(help));
        check("-1", Err(help));
        check("", Err(help));
        check("five", Err(help));
        check("99999999999", Err(help));
        check(
            "0.00001",
            Err("At most four decimals: 0.0001% is one in a million."),
        );
        for ppm in [0, 1, 999, 2_500, 50_000, 1_000_000] {
            assert_eq!(parse_percent(&percent_number(ppm)), Ok(ppm));
        }
    }

    /// Counts start where they say, and the message names what is counted.
    #[test]
    fn whole_numbers_have_a_minimum() {
        assert_eq!(parse_whole("3", 1, "Counts"), Ok(3));
        assert_eq!(
            parse_whole("0", 1, "Counts"),
            Err("Counts start at 1.".to_string())
        );
        assert_eq!(
            parse_whole("x", 0, "Attempts"),
            Err("Enter a whole number for attempts.".to_string())
        );
    }

    #[test]
    fn ordinals() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .map(ordinal)
            .into();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    /// Each scripted fault reads as one sentence saying what happens to what.
    #[test]
    fn scripted_faults_read_as_sentences() {
        let check = |fault: ScriptedFault, expected: &str| {
            assert_eq!(scripted_words(&fault), expected);
        };
        check(
            ScriptedFault::Duplicate {
                event_type: "OrderPlaced".into(),
                nth: 3,
            },
            "Deliver the 3rd OrderPlaced twice",
        );
        check(
            ScriptedFault::Delay {
                event_type: "OrderPlaced".into(),
                nth: 2,
                delay_ms: 500,
            },
            "Delay the 2nd OrderPlaced by 500 ms",
        );
        check(
            ScriptedFault::Crash {
                function: "charge-payment".into(),
                after_step: 2,
                attempt: 1,
            },
            "Crash charge-payment after step 2 on attempt 1",
        );
        check(
            ScriptedFault::Crash {
                function: String::new(),
                after_step: 1,
                attempt: 0,
            },
            "Crash (no function) after step 1 on every attempt",
        );
    }

    /// The summary names every random fault that is on and every scripted one.
    #[test]
    fn the_summary_counts_faults_that_are_on() {
        let faults = Faults {
            duplicate_rate_ppm: 50_000,
            delivery_delay_ms_max: 40,
            ..Faults::default()
        };
        let scripted = [ScriptedFault::Duplicate {
            event_type: "OrderPlaced".into(),
            nth: 3,
        }];
        assert!(summary_lines(&Faults::default(), &[]).is_empty());
        assert_eq!(
            summary_lines(&faults, &scripted),
            [
                "5% of deliveries delivered twice (1 in 20)",
                "Up to 40 ms extra delay per delivery",
                "Deliver the 3rd OrderPlaced twice",
            ]
        );
    }

    /// A scripted fault that cannot happen in this design says why, where it is listed.
    #[test]
    fn scripted_faults_that_cannot_happen_say_why() {
        let design: Design =
            serde_json::from_str(include_str!("../../../../designs/duplicates.json")).unwrap();
        let check = |fault: ScriptedFault, expected: &[&str]| {
            assert_eq!(scripted_problems(&fault, &design), expected);
        };
        let crash = |function: &str, after_step: u32| ScriptedFault::Crash {
            function: function.into(),
            after_step,
            attempt: 1,
        };
        check(crash("charge-payment", 1), &[]);
        check(
            crash("charge-x", 1),
            &["There is no function charge-x in this design: choose one."],
        );
        check(
            crash("checkout", 1),
            &["There is no function checkout in this design: choose one."],
        );
        check(
            crash("charge-payment", 9),
            &["charge-payment has 2 steps, so step 9 never runs."],
        );
        check(
            crash("charge-payment", 0),
            &["Steps count from 1: step 1 is the handler's first call."],
        );
        check(
            ScriptedFault::Duplicate {
                event_type: "com.pizza.order.placed.v1".into(),
                nth: 0,
            },
            &["Counts start at 1: the first event is the 1st."],
        );
        check(
            ScriptedFault::Delay {
                event_type: "OrderPlaced".into(),
                nth: 1,
                delay_ms: 5,
            },
            &["OrderPlaced is not one of this design's event types, so this may never happen."],
        );
    }
}
