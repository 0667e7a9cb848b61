//! The variation of a winner: a deterministic rewrite of its headline, commentary and call
//! to action toward what is known to lift Sponsored Content CTR.
//!
//! The rules, applied in this order to the winner's copy (the same copy always gives the
//! same variation), each only when its feature is missing:
//!
//! | rule | change | why (the simulator's copy model, `crates/sim/src/copy.rs`) |
//! | --- | --- | --- |
//! | 1. no shouting | when more than 20% of the letters of headline + commentary are capitals, both are put in sentence case (acronyms lose their capitals too) | −2.0 × (ratio − 0.2) |
//! | 2. calm | `!` becomes `.` in headline and commentary | `!` −0.08 |
//! | 3. a number | no digit in headline or commentary: the headline ends with `: 3 takeaways` | a digit +0.12 |
//! | 4. a power word | none of free / new / now / today / data / exclusive anywhere: the headline starts with `New: ` | *new* +0.05 |
//! | 5. length | a headline over 70 characters is cut at a word boundary so that, with 3 and 4, it fits in 70 | over 70 −0.10 |
//! | 6. call to action | `LEARN_MORE` becomes `DOWNLOAD` | DOWNLOAD +0.05 |
//!
//! Without a headline, rules 3 and 4 edit the commentary's start instead. The rewrite never
//! invents a claim: it adds a count of takeaways and the word *new* (a variation is new),
//! but no percentage, price or *free* offer, which the advertiser would have to make true.
//! Description and landing page are kept. When no rule applies (the copy already has every
//! feature), there is no variation.
//!
//! Without a creative scorer the variation is the rewrite by every rule ([`rewrite`]); with
//! one, decide ranks every rewrite by a subset of the rules ([`candidates`]) and proposes
//! the one it predicts best.

use ads::AdCopy;

/// A campaign with this many active creatives gets no variation (in either mode): enough
/// copies are competing already.
pub const MAX_ACTIVE_CREATIVES: usize = 4;

/// The longest headline that is not penalised.
const MAX_HEADLINE_CHARS: usize = 70;
const NUMBER_SUFFIX: &str = ": 3 takeaways";
const POWER_PREFIX: &str = "New: ";
const POWER_WORDS: [&str; 6] = ["free", "new", "now", "today", "data", "exclusive"];

/// The rewritten copy with every rule, or `None` when no rule changes anything.
pub fn rewrite(copy: &AdCopy) -> Option<AdCopy> {
    rewrite_with(copy, Rules::ALL)
}

/// Every distinct rewrite by a non-empty subset of the rules (those that change the copy),
/// for the creative scorer to rank; the full [`rewrite`] among them.
pub fn candidates(copy: &AdCopy) -> Vec<AdCopy> {
    let mut found: Vec<AdCopy> = Vec::new();
    for bits in 1..(1u8 << Rules::COUNT) {
        if let Some(candidate) = rewrite_with(copy, Rules(bits))
            && !found.contains(&candidate)
        {
            found.push(candidate);
        }
    }
    found
}

/// Which of the six rules apply, one bit each in the order of the module's table.
#[derive(Debug, Clone, Copy)]
struct Rules(u8);

impl Rules {
    const COUNT: u8 = 6;
    const ALL: Rules = Rules((1 << Rules::COUNT) - 1);

    fn has(self, rule: u8) -> bool {
        self.0 & (1 << (rule - 1)) != 0
    }
}

/// `copy` rewritten by the rules in `rules`, or `None` when they change nothing.
fn rewrite_with(copy: &AdCopy, rules: Rules) -> Option<AdCopy> {
    let mut headline = copy.headline.clone();
    let mut commentary = copy.commentary.clone();

    let main = join(&[headline.as_deref(), commentary.as_deref()]);
    if rules.has(1) && uppercase_ratio(&main) > 0.2 {
        headline = headline.map(|h| sentence_case(&h));
        commentary = commentary.map(|c| sentence_case(&c));
    }
    if rules.has(2) {
        headline = headline.map(|h| h.replace('!', "."));
        commentary = commentary.map(|c| c.replace('!', "."));
    }

    let main = join(&[headline.as_deref(), commentary.as_deref()]);
    let needs_number = rules.has(3) && !main.chars().any(|c| c.is_ascii_digit());
    let all = join(&[main.as_str(), copy.description.as_deref().unwrap_or("")].map(Some));
    let needs_power_word = rules.has(4) && !has_power_word(&all);

    match headline.as_mut() {
        Some(h) => {
            let prefix = if needs_power_word { POWER_PREFIX } else { "" };
            let suffix = if needs_number { NUMBER_SUFFIX } else { "" };
            let room = if rules.has(5) {
                MAX_HEADLINE_CHARS.saturating_sub(prefix.len() + suffix.len())
            } else {
                usize::MAX
            };
            let core = shorten(h.trim(), room);
            *h = format!("{prefix}{core}{suffix}");
        }
        None => {
            if let Some(c) = commentary.as_mut() {
                let mut lead = String::new();
                if needs_power_word {
                    lead.push_str(POWER_PREFIX);
                }
                if needs_number {
                    lead.push_str("3 takeaways. ");
                }
                c.insert_str(0, &lead);
            }
        }
    }

    let call_to_action = match copy.call_to_action.as_deref() {
        Some("LEARN_MORE") if rules.has(6) => Some("DOWNLOAD".to_owned()),
        _ => copy.call_to_action.clone(),
    };
    let rewritten = AdCopy {
        commentary,
        headline,
        description: copy.description.clone(),
        landing_page: copy.landing_page.clone(),
        call_to_action,
    };
    (rewritten != *copy).then_some(rewritten)
}

fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn uppercase_ratio(text: &str) -> f64 {
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    if letters == 0 {
        0.0
    } else {
        upper as f64 / letters as f64
    }
}

/// Sentence case: lower case, with a capital at the start and after `.`, `?` and `!`.
fn sentence_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            if matches!(c, '.' | '?' | '!') {
                start = true;
            } else if c.is_alphanumeric() {
                start = false;
            }
        }
    }
    out
}

fn has_power_word(text: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| POWER_WORDS.contains(&word))
}

/// `text` cut to at most `max` characters at a word boundary, without trailing punctuation.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max + 1).collect();
    let kept = match cut.rfind(' ') {
        Some(end) => cut[..end].to_owned(),
        None => cut.chars().take(max).collect(),
    };
    kept.trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(headline: &str, commentary: &str, cta: &str) -> AdCopy {
        AdCopy {
            commentary: Some(commentary.to_owned()),
            headline: Some(headline.to_owned()),
            description: Some("A report".to_owned()),
            landing_page: Some("https://example.com/guide".to_owned()),
            call_to_action: Some(cta.to_owned()),
        }
    }

    #[test]
    fn plain_copy_gains_a_number_a_power_word_and_a_download() {
        // GIVEN plain copy with LEARN_MORE
        let plain = copy(
            "A guide to customer onboarding",
            "Read our guide on onboarding.",
            "LEARN_MORE",
        );
        // WHEN rewritten
        let variation = rewrite(&plain).unwrap();
        // THEN the headline has "New" and a number, the CTA is DOWNLOAD, the rest is kept
        assert_eq!(
            variation.headline.as_deref(),
            Some("New: A guide to customer onboarding: 3 takeaways")
        );
        assert_eq!(variation.call_to_action.as_deref(), Some("DOWNLOAD"));
        assert_eq!(variation.commentary, plain.commentary);
        assert_eq!(variation.landing_page, plain.landing_page);
        // AND the same copy always gives the same variation
        assert_eq!(rewrite(&plain), Some(variation));
    }

    #[test]
    fn shouting_is_calmed_and_long_headlines_fit() {
        // GIVEN a shouting headline, and an over-long one
        let shouting = copy(
            "ONBOARDING IS BROKEN. FIX IT NOW!",
            "See how 40 teams fixed it.",
            "DOWNLOAD",
        );
        let long = copy(
            "A practical playbook for hiring leaders who want fewer surprises next quarter",
            "Our new data, in 12 pages.",
            "REGISTER",
        );
        // WHEN rewritten
        let calm = rewrite(&shouting).unwrap();
        let short = rewrite(&long).unwrap();
        // THEN the shouting headline is in sentence case without '!' (it has a number and
        // a power word already)
        assert_eq!(
            calm.headline.as_deref(),
            Some("Onboarding is broken. Fix it now.")
        );
        assert_eq!(
            calm.commentary.as_deref(),
            Some("See how 40 teams fixed it.")
        );
        // AND the long headline is cut at a word so it fits 70 characters
        let headline = short.headline.unwrap();
        assert!(headline.chars().count() <= 70, "{headline}");
        assert_eq!(
            headline,
            "A practical playbook for hiring leaders who want fewer surprises next"
        );
        assert_eq!(short.call_to_action.as_deref(), Some("REGISTER"));
    }

    #[test]
    fn candidates_are_the_distinct_rewrites_by_subsets_of_the_rules() {
        // GIVEN plain copy, which three rules change (number, power word, call to action)
        let plain = copy(
            "A guide to customer onboarding",
            "Read our guide on onboarding.",
            "LEARN_MORE",
        );
        // WHEN its candidates are listed
        let found = candidates(&plain);
        // THEN there is one per non-empty subset of those three, the full rewrite among them
        assert_eq!(found.len(), 7);
        assert!(found.contains(&rewrite(&plain).unwrap()));
        assert!(found.iter().any(|c| c.headline.as_deref()
            == Some("A guide to customer onboarding: 3 takeaways")
            && c.call_to_action.as_deref() == Some("LEARN_MORE")));
        assert!(!found.contains(&plain));
    }

    #[test]
    fn copy_with_every_feature_has_no_variation() {
        let finished = copy(
            "New: 5 onboarding checklists for 2026",
            "What the data says.",
            "DOWNLOAD",
        );
        assert_eq!(rewrite(&finished), None);
        assert!(candidates(&finished).is_empty());
    }
}
