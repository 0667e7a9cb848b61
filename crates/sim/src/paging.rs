//! Cursor paging for the campaign and creative finders (LinkedIn's `pageSize`/`pageToken`,
//! since version 202401): a page of at most `pageSize` (default 100, maximum 1000) and,
//! unless it is the last page, `metadata.nextPageToken`. Tokens are opaque strings bound to
//! the query they came from; a token that does not decode, or came from another query,
//! answers 400. Finders list by ascending id unless `sortOrder=DESCENDING`.

use serde_json::{Value as Json, json};

use crate::errors::ApiError;
use crate::randomness::mix;

/// Default page size.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// Largest page size.
pub const MAX_PAGE_SIZE: usize = 1000;

/// The requested page: where it starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Offset of the first element.
    pub start: usize,
    /// Elements per page.
    pub size: usize,
    fingerprint: u64,
}

/// A hash of the query parameters that define the result set (paging parameters excluded).
pub fn fingerprint(params: &[(String, String)]) -> u64 {
    params
        .iter()
        .filter(|(k, _)| k != "pageToken" && k != "pageSize")
        .fold(0x51_7cc1_b727_220a, |h, (k, v)| {
            let s = format!("{k}={v}");
            mix(h ^ s.bytes().fold(0u64, |a, b| mix(a ^ b as u64)))
        })
}

impl Page {
    /// Reads `pageSize` and `pageToken`.
    pub fn read(
        page_size: Option<&str>,
        page_token: Option<&str>,
        fingerprint: u64,
    ) -> Result<Page, ApiError> {
        let size = match page_size {
            None => DEFAULT_PAGE_SIZE,
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_param(
                        "pageSize",
                        format!("pageSize must be 1 to {MAX_PAGE_SIZE} (got '{s}')"),
                    ));
                }
            },
        };
        let start = match page_token {
            None => 0,
            Some(token) => decode(token, fingerprint).ok_or_else(|| {
                ApiError::bad_param("pageToken", format!("Invalid pageToken '{token}'"))
            })?,
        };
        Ok(Page {
            start,
            size,
            fingerprint,
        })
    }

    /// The token for the page after this one, if `total` elements leave one.
    pub fn next_token(&self, total: usize) -> Option<String> {
        let next = self.start + self.size;
        (next < total).then(|| encode(next, self.fingerprint))
    }
}

/// What a finder asked for beyond its criteria: the order and the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Whether `sortOrder=DESCENDING` asked for the highest ids first.
    pub descending: bool,
    /// The requested page.
    pub page: Page,
}

impl Window {
    /// LinkedIn's finder body for `matching` (given in ascending id order): the page's
    /// elements, rendered, and `metadata.nextPageToken` unless it is the last page.
    pub fn body<T>(&self, mut matching: Vec<T>, render: impl FnMut(&T) -> Json) -> Json {
        // Reversing before slicing, so a descending walk pages from the highest id down.
        if self.descending {
            matching.reverse();
        }
        let elements: Vec<Json> = matching
            .iter()
            .skip(self.page.start)
            .take(self.page.size)
            .map(render)
            .collect();
        let mut metadata = json!({});
        if let Some(token) = self.page.next_token(matching.len()) {
            metadata["nextPageToken"] = json!(token);
        }
        json!({"elements": elements, "metadata": metadata})
    }
}

/// Reads `sortOrder`: absent means ascending.
pub fn descending(sort_order: Option<&str>) -> Result<bool, ApiError> {
    match sort_order {
        None | Some("ASCENDING") => Ok(false),
        Some("DESCENDING") => Ok(true),
        Some(other) => Err(ApiError::bad_param(
            "sortOrder",
            format!("sortOrder must be ASCENDING or DESCENDING (got {other})"),
        )),
    }
}

fn encode(offset: usize, fingerprint: u64) -> String {
    let masked = offset as u64 ^ (fingerprint & 0xffff_ffff);
    let check = mix(mix(fingerprint) ^ offset as u64) & 0xffff_ffff;
    format!("{masked:016x}{check:08x}")
}

fn decode(token: &str, fingerprint: u64) -> Option<usize> {
    if token.len() != 24 {
        return None;
    }
    let masked = u64::from_str_radix(token.get(..16)?, 16).ok()?;
    let check = u64::from_str_radix(token.get(16..)?, 16).ok()?;
    let offset = masked ^ (fingerprint & 0xffff_ffff);
    (mix(mix(fingerprint) ^ offset) & 0xffff_ffff == check).then_some(offset as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_walk_the_pages_and_foreign_or_garbled_tokens_are_refused() {
        // GIVEN a first page of 2 out of 5
        let page = Page::read(Some("2"), None, 42).unwrap();
        let token = page.next_token(5).unwrap();
        // THEN the token leads to offset 2, and the last page has none
        let second = Page::read(Some("2"), Some(&token), 42).unwrap();
        assert_eq!(second.start, 2);
        let third = Page::read(Some("2"), second.next_token(5).as_deref(), 42).unwrap();
        assert_eq!((third.start, third.next_token(5)), (4, None));
        // AND a token from another query, or garbage, is a 400
        assert_eq!(Page::read(None, Some(&token), 43).unwrap_err().status, 400);
        assert!(Page::read(None, Some("abc"), 42).is_err());
        assert!(Page::read(Some("1001"), None, 42).is_err());
    }
}
