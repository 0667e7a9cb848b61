//! What the scorer reads of ad copy: numbers, one list of names, one order.
//!
//! **The seed's features**, over the headline and the description together (the text under
//! the image): word and character counts; whether it has a digit, `%`, `$`, `?`, `!`; each of
//! the words *free*, *new*, *now*, *today*, *data*, *exclusive* (whole words: *renew* is not
//! *new*); the share of its letters in
//! upper case.
//!
//! **Features that earned their place** (their held-out permutation importance is in every
//! model's metadata): the same flags and counts over the commentary (the post text above the
//! image, which a member reads first and which the seed's single `creative_copy` left out),
//! the headline's own length (LinkedIn truncates long headlines), and the call to action
//! (one flag per label; `LEARN_MORE`, the default, is all flags off).
//!
//! The order of [`NAMES`] is the order of the values [`of`] returns and of a model's columns;
//! a model records the names it was trained on and refuses copy read with other names.

use ads::AdCopy;

const POWER_WORDS: [&str; 6] = ["free", "new", "now", "today", "data", "exclusive"];

/// Calls to action with a flag of their own (LEARN_MORE is the default, all flags off).
const CALLS_TO_ACTION: [&str; 4] = ["DOWNLOAD", "REGISTER", "SIGN_UP", "REQUEST_DEMO"];

/// The features' names, in column order.
pub const NAMES: [&str; 33] = [
    "word_count",
    "char_count",
    "has_numbers",
    "has_percent",
    "has_dollar",
    "has_question",
    "has_exclamation",
    "mention_free",
    "mention_new",
    "mention_now",
    "mention_today",
    "mention_data",
    "mention_exclusive",
    "uppercase_ratio",
    "commentary_word_count",
    "commentary_char_count",
    "commentary_has_numbers",
    "commentary_has_percent",
    "commentary_has_dollar",
    "commentary_has_question",
    "commentary_has_exclamation",
    "commentary_mention_free",
    "commentary_mention_new",
    "commentary_mention_now",
    "commentary_mention_today",
    "commentary_mention_data",
    "commentary_mention_exclusive",
    "commentary_uppercase_ratio",
    "headline_char_count",
    "cta_download",
    "cta_register",
    "cta_sign_up",
    "cta_request_demo",
];

/// The feature values of `copy`, in the order of [`NAMES`]. Absent parts read as empty.
pub fn of(copy: &AdCopy) -> Vec<f64> {
    let part = |text: &Option<String>| text.as_deref().unwrap_or("").trim().to_owned();
    let (headline, description) = (part(&copy.headline), part(&copy.description));
    let under_image = [headline.as_str(), description.as_str()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut values = text_features(&under_image);
    values.extend(text_features(&part(&copy.commentary)));
    values.push(headline.chars().count() as f64);
    let label = copy.call_to_action.as_deref().unwrap_or("");
    values.extend(CALLS_TO_ACTION.map(|cta| flag(label.eq_ignore_ascii_case(cta))));
    values
}

/// The seed's fourteen features of one text.
fn text_features(text: &str) -> Vec<f64> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    let mut values = vec![
        text.split_whitespace().count() as f64,
        text.chars().count() as f64,
        flag(text.chars().any(|c| c.is_ascii_digit())),
        flag(text.contains('%')),
        flag(text.contains('$')),
        flag(text.contains('?')),
        flag(text.contains('!')),
    ];
    values.extend(POWER_WORDS.map(|word| flag(words.contains(&word))));
    values.push(if letters == 0 {
        0.0
    } else {
        upper as f64 / letters as f64
    });
    values
}

fn flag(on: bool) -> f64 {
    if on { 1.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(values: &[f64], name: &str) -> f64 {
        values[NAMES.iter().position(|n| *n == name).unwrap()]
    }

    #[test]
    fn the_seed_features_are_read_from_headline_and_description() {
        // GIVEN copy with a number, a percent and "free" under the image, a question above it
        let copy = AdCopy {
            headline: Some("Cut cloud costs by 30%".to_owned()),
            description: Some("FREE guide".to_owned()),
            commentary: Some("Is your data ready?".to_owned()),
            call_to_action: Some("DOWNLOAD".to_owned()),
            landing_page: None,
        };
        // WHEN its features are read
        let values = of(&copy);
        // THEN there is one value per name, and each says what the copy has where it has it
        assert_eq!(values.len(), NAMES.len());
        assert_eq!(value(&values, "word_count"), 7.0);
        assert_eq!(value(&values, "char_count"), 33.0);
        assert_eq!(value(&values, "has_numbers"), 1.0);
        assert_eq!(value(&values, "has_percent"), 1.0);
        assert_eq!(value(&values, "has_question"), 0.0);
        assert_eq!(value(&values, "mention_free"), 1.0);
        assert_eq!(value(&values, "mention_data"), 0.0);
        assert_eq!(value(&values, "commentary_has_question"), 1.0);
        assert_eq!(value(&values, "commentary_mention_data"), 1.0);
        assert_eq!(value(&values, "headline_char_count"), 22.0);
        assert_eq!(value(&values, "cta_download"), 1.0);
        assert_eq!(value(&values, "cta_register"), 0.0);
        // AND the uppercase ratio counts letters only: C and FREE of 24 letters
        assert!((value(&values, "uppercase_ratio") - 5.0 / 24.0).abs() < 1e-9);
    }

    #[test]
    fn words_are_whole_words_and_missing_parts_are_empty() {
        // GIVEN "renew" and "nowhere", which contain but are not "new" and "now"
        let copy = AdCopy {
            headline: Some("Renew nowhere".to_owned()),
            ..AdCopy::default()
        };
        let values = of(&copy);
        assert_eq!(value(&values, "mention_new"), 0.0);
        assert_eq!(value(&values, "mention_now"), 0.0);
        // AND an absent commentary reads as empty text
        assert_eq!(value(&values, "commentary_char_count"), 0.0);
        assert_eq!(value(&values, "commentary_uppercase_ratio"), 0.0);
    }
}
