//! Ad copy: generating it for seeded creatives, reading its features, and how those features
//! move the true click-through rate.
//!
//! # The CTR model (a later CTR-model issue depends on these numbers)
//! A creative's true CTR before fatigue is log-linear in its copy features:
//!
//! ```text
//! ln(ctr) = ln(median_ctr) + (copy_effect(features) − COPY_CENTER) + ln(format) + ε,
//! ε ~ Normal(0, ctr_noise_sd = 0.30)
//! ```
//! clamped to 0.25%–1.5%. `COPY_CENTER` is the mean copy effect of the seeded templates, so
//! the median CTR of seeded single-image creatives stays at `median_ctr` (0.45%). `format` is
//! 1.0 for single image and 0.8 for video (LinkedIn video CTRs run 0.3–0.5%).
//! The coefficients of `copy_effect` (added to ln CTR):
//!
//! | feature | effect |
//! | --- | --- |
//! | a digit in headline or commentary | +0.12 |
//! | `%` | +0.10 |
//! | `$` | +0.06 |
//! | `?` | +0.08 |
//! | `!` | −0.08 |
//! | power word *free* / *new* / *now* / *today* / *data* / *exclusive* (each, once) | +0.15 / +0.05 / +0.04 / +0.05 / +0.08 / +0.07 |
//! | uppercase ratio above 0.2 (shouting) | −2.0 × (ratio − 0.2) |
//! | headline over 70 characters / under 25 | −0.10 / −0.05 |
//! | commentary over 280 characters / under 60 | −0.10 / −0.03 |
//! | call to action DOWNLOAD / REGISTER / SIGN_UP / REQUEST_DEMO (LEARN_MORE = 0) | +0.05 / +0.02 / −0.02 / −0.08 |
//!
//! ε is the creative's quality that copy does not explain; it is drawn from the stream
//! (seed, creative id), so a new creative made from new copy through the API gets its CTR
//! from exactly the same model.

use std::sync::OnceLock;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::admin_types::CopyFeatures;

/// The text of a sponsored post: what a member sees.
#[derive(Debug, Clone, PartialEq)]
pub struct AdCopy {
    /// Post text above the image (`commentary`).
    pub commentary: String,
    /// Article title, shown as the headline (`content.article.title`).
    pub headline: String,
    /// Article description (`content.article.description`).
    pub description: String,
    /// Call-to-action label (`contentCallToActionLabel`).
    pub call_to_action: String,
}

const TOPICS: &[&str] = &[
    "cloud cost",
    "data pipeline",
    "security audit",
    "sales forecast",
    "customer onboarding",
    "compliance reporting",
    "IT operations",
    "hiring",
    "marketing attribution",
    "vendor risk",
];

const HEADLINES: &[&str] = &[
    "How {n} teams cut {topic} time by {p}%",
    "The {year} guide to {topic}",
    "Is your {topic} costing you more than it should?",
    "{Topic} made simple",
    "Free {topic} checklist for busy teams",
    "New: {topic} benchmarks for {year}",
    "Get the exclusive {topic} report",
    "Save ${k} a month on {topic} today",
    "Stop wasting time on {topic}!",
    "{TOPIC} IS BROKEN. FIX IT NOW",
    "What the data says about {topic}",
    "Register now for our {topic} webinar",
    "A practical playbook for {topic} leaders who want fewer surprises next quarter",
    "{Topic}, without the spreadsheets",
];

const COMMENTARIES: &[&str] = &[
    "Most teams still run {topic} by hand. Here is what the top {p}% do differently.",
    "We asked {n} leaders how they handle {topic}. Their answers surprised us.",
    "Ready to rethink {topic}?",
    "Our new report breaks down {topic} in {year}: what works, what does not, and where budgets are going. Read it in ten minutes, share it with your team, and walk into your next planning meeting with numbers instead of opinions. No fluff, just data from real companies.",
    "Free for a limited time: the {topic} toolkit our customers use every day.",
    "Join {n}+ professionals who improved {topic} this year!",
    "{topic} is changing fast. Don't get left behind.",
    "See how one company saved ${k} on {topic} — and how you can too.",
];

const DESCRIPTIONS: &[&str] = &[
    "Download the guide",
    "A {n}-page report with benchmarks",
    "Webinar on demand",
    "Exclusive research for {topic} teams",
    "Try it free today",
];

const CALLS_TO_ACTION: &[&str] = &[
    "LEARN_MORE",
    "DOWNLOAD",
    "REGISTER",
    "SIGN_UP",
    "REQUEST_DEMO",
];

const POWER_WORDS: &[(&str, f64)] = &[
    ("free", 0.15),
    ("new", 0.05),
    ("now", 0.04),
    ("today", 0.05),
    ("data", 0.08),
    ("exclusive", 0.07),
];

fn fill(template: &str, rng: &mut StdRng, topic: &str) -> String {
    let mut title = topic.to_string();
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    template
        .replace("{n}", &rng.random_range(3..=500).to_string())
        .replace("{p}", &rng.random_range(10..=60).to_string())
        .replace("{k}", &(rng.random_range(1..=50) * 100).to_string())
        .replace("{year}", "2026")
        .replace("{TOPIC}", &topic.to_uppercase())
        .replace("{Topic}", &title)
        .replace("{topic}", topic)
}

/// Generates one creative's copy from the templates.
pub fn generate(rng: &mut StdRng) -> AdCopy {
    let topic = TOPICS[rng.random_range(0..TOPICS.len())];
    let headline = fill(HEADLINES[rng.random_range(0..HEADLINES.len())], rng, topic);
    let commentary = fill(
        COMMENTARIES[rng.random_range(0..COMMENTARIES.len())],
        rng,
        topic,
    );
    let description = fill(
        DESCRIPTIONS[rng.random_range(0..DESCRIPTIONS.len())],
        rng,
        topic,
    );
    let call_to_action = CALLS_TO_ACTION[rng.random_range(0..CALLS_TO_ACTION.len())].to_string();
    AdCopy {
        commentary,
        headline,
        description,
        call_to_action,
    }
}

/// Reads the features the CTR model uses.
pub fn features(copy: &AdCopy) -> CopyFeatures {
    let text = format!("{} {} {}", copy.headline, copy.commentary, copy.description);
    let main = format!("{} {}", copy.headline, copy.commentary);
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let letters: Vec<char> = main.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    CopyFeatures {
        headline_chars: copy.headline.chars().count() as u32,
        commentary_chars: copy.commentary.chars().count() as u32,
        has_digit: main.chars().any(|c| c.is_ascii_digit()),
        has_percent: main.contains('%'),
        has_dollar: main.contains('$'),
        has_question: main.contains('?'),
        has_exclamation: main.contains('!'),
        power_words: POWER_WORDS
            .iter()
            .filter(|(w, _)| words.contains(w))
            .map(|(w, _)| w.to_string())
            .collect(),
        uppercase_ratio: if letters.is_empty() {
            0.0
        } else {
            upper as f64 / letters.len() as f64
        },
        call_to_action: copy.call_to_action.clone(),
    }
}

/// The copy's additive effect on ln(CTR) (coefficients in the module docs).
pub fn copy_effect(f: &CopyFeatures) -> f64 {
    let mut effect = 0.0;
    let flags = [
        (f.has_digit, 0.12),
        (f.has_percent, 0.10),
        (f.has_dollar, 0.06),
        (f.has_question, 0.08),
        (f.has_exclamation, -0.08),
    ];
    effect += flags
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, b)| b)
        .sum::<f64>();
    effect += POWER_WORDS
        .iter()
        .filter(|(w, _)| f.power_words.iter().any(|p| p == w))
        .map(|(_, b)| b)
        .sum::<f64>();
    effect -= 2.0 * (f.uppercase_ratio - 0.2).max(0.0);
    if f.headline_chars > 70 {
        effect -= 0.10;
    } else if f.headline_chars < 25 {
        effect -= 0.05;
    }
    if f.commentary_chars > 280 {
        effect -= 0.10;
    } else if f.commentary_chars < 60 {
        effect -= 0.03;
    }
    effect += match f.call_to_action.as_str() {
        "DOWNLOAD" => 0.05,
        "REGISTER" => 0.02,
        "SIGN_UP" => -0.02,
        "REQUEST_DEMO" => -0.08,
        _ => 0.0,
    };
    effect
}

/// The mean copy effect of the seeded templates (computed once from a fixed sample), so the
/// model's median CTR equals the calibrated median.
pub fn copy_center() -> f64 {
    static CENTER: OnceLock<f64> = OnceLock::new();
    *CENTER.get_or_init(|| {
        let mut rng = StdRng::seed_from_u64(0x5eed_c0de);
        let n = 4000;
        (0..n)
            .map(|_| copy_effect(&features(&generate(&mut rng))))
            .sum::<f64>()
            / n as f64
    })
}

/// A creative's true CTR before fatigue, from its copy, format and quality noise `epsilon`
/// (a standard-normal draw scaled by `ctr_noise_sd` by the caller).
pub fn true_ctr(median_ctr: f64, f: &CopyFeatures, is_video: bool, epsilon: f64) -> f64 {
    let format = if is_video { 0.8 } else { 1.0 };
    (median_ctr * (copy_effect(f) - copy_center() + epsilon).exp() * format).clamp(0.0025, 0.015)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(headline: &str, commentary: &str) -> AdCopy {
        AdCopy {
            commentary: commentary.to_string(),
            headline: headline.to_string(),
            description: "A report".to_string(),
            call_to_action: "LEARN_MORE".to_string(),
        }
    }

    #[test]
    fn features_are_read_from_the_text() {
        // GIVEN copy with a number, a percent, a question and a power word
        let f = features(&copy(
            "How 40 teams cut costs by 30%",
            "Is your data ready? Free guide inside.",
        ));
        // THEN the features say so
        assert!(f.has_digit && f.has_percent && f.has_question);
        assert!(!f.has_dollar && !f.has_exclamation);
        assert_eq!(f.power_words, vec!["free".to_string(), "data".to_string()]);
        assert!(f.uppercase_ratio < 0.2);
    }

    #[test]
    fn copy_features_really_move_the_ctr() {
        // GIVEN plain copy and copy with the helpful features, and a shouting version
        let plain = features(&copy(
            "A guide to onboarding customers",
            "Read our guide on customer onboarding for teams.",
        ));
        let better = features(&copy(
            "Free 2026 guide: cut onboarding time 30%",
            "Is onboarding slow? Get the data free today.",
        ));
        let shouting = features(&copy(
            "ONBOARDING IS BROKEN. FIX IT",
            "READ OUR GUIDE ON CUSTOMER ONBOARDING FOR TEAMS.",
        ));
        // THEN the CTR ranks them as the coefficients say
        let ctr = |f: &CopyFeatures| true_ctr(0.0045, f, false, 0.0);
        assert!(
            ctr(&better) > ctr(&plain) * 1.4,
            "{} vs {}",
            ctr(&better),
            ctr(&plain)
        );
        assert!(ctr(&shouting) < ctr(&plain));
        assert!(copy_effect(&shouting) < copy_effect(&plain) - 1.0);
    }
}
