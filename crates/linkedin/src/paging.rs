//! Cursor paging, shared by every search: follow `metadata.nextPageToken` until it is absent.
//!
//! LinkedIn's search finders (campaigns, creatives) moved to cursor paging in 202401:
//! `pageSize=100` on the first call, then `pageToken=<token>` until a page arrives without
//! one. Every page body is kept as received.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::transport::{ApiRequest, Transport};

/// The page size asked for: LinkedIn's maximum for these finders.
pub const PAGE_SIZE: u32 = 100;

/// A guard against a server that never stops paging.
const MAX_PAGES: usize = 10_000;

/// Every item of a search, with the page bodies they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<T> {
    /// The items of all pages, in LinkedIn's order.
    pub items: Vec<T>,
    /// Each page's body exactly as received, in order (to store before deriving).
    pub pages: Vec<String>,
    /// HTTP requests made, retries included.
    pub requests: u32,
}

#[derive(Deserialize)]
struct Page<W> {
    #[serde(default = "Vec::new")]
    elements: Vec<W>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    next_page_token: Option<String>,
}

/// Reads one page: its elements and the token of the next page, if any.
pub(crate) fn parse_page<W: DeserializeOwned>(
    what: &str,
    body: &str,
) -> Result<(Vec<W>, Option<String>), Error> {
    let page: Page<W> = serde_json::from_str(body).map_err(|e| Error::invalid_response(what, e))?;
    let next = page
        .metadata
        .and_then(|m| m.next_page_token)
        .filter(|t| !t.is_empty());
    Ok((page.elements, next))
}

/// Fetches every page. `request_for` builds the request for a page token (`None` first);
/// `map` turns each wire element into the item returned.
pub(crate) async fn collect<W, T>(
    transport: &Transport,
    what: &str,
    request_for: impl Fn(Option<&str>) -> ApiRequest,
    map: impl Fn(W) -> Result<T, Error>,
) -> Result<Listing<T>, Error>
where
    W: DeserializeOwned,
{
    let mut listing = Listing {
        items: Vec::new(),
        pages: Vec::new(),
        requests: 0,
    };
    let mut token: Option<String> = None;
    loop {
        let response = transport.send(&request_for(token.as_deref())).await?;
        listing.requests += response.attempts;
        let (elements, next) = parse_page::<W>(what, &response.body)?;
        listing.pages.push(response.body);
        for element in elements {
            listing.items.push(map(element)?);
        }
        match next {
            None => return Ok(listing),
            Some(next) if token.as_deref() == Some(next.as_str()) => {
                return Err(Error::invalid_response(
                    what,
                    format!("LinkedIn returned page token '{next}' twice in a row"),
                ));
            }
            Some(_) if listing.pages.len() >= MAX_PAGES => {
                return Err(Error::invalid_response(
                    what,
                    format!("more than {MAX_PAGES} pages"),
                ));
            }
            Some(next) => token = Some(next),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_and_the_next_token() {
        // GIVEN a middle page and a last page
        let middle = r#"{"elements":[1,2],"metadata":{"nextPageToken":"abc"}}"#;
        let last = r#"{"elements":[3],"metadata":{}}"#;
        // WHEN parsed
        // THEN the middle page points on, the last does not
        assert_eq!(
            parse_page::<u32>("t", middle).unwrap(),
            (vec![1, 2], Some("abc".to_owned()))
        );
        assert_eq!(parse_page::<u32>("t", last).unwrap(), (vec![3], None));
    }

    #[test]
    fn an_empty_token_or_missing_metadata_ends_paging() {
        assert_eq!(
            parse_page::<u32>("t", r#"{"elements":[],"metadata":{"nextPageToken":""}}"#)
                .unwrap()
                .1,
            None
        );
        assert_eq!(
            parse_page::<u32>("t", r#"{"elements":[]}"#).unwrap().1,
            None
        );
        assert_eq!(
            parse_page::<u32>("t", r#"{}"#).unwrap().0,
            Vec::<u32>::new()
        );
    }

    #[test]
    fn an_undecodable_page_is_an_invalid_response() {
        let err = parse_page::<u32>("campaign search", "<html>").unwrap_err();
        assert_eq!(err.name(), ads::error_names::LINKEDIN_INVALID_RESPONSE);
        assert!(err.to_string().contains("campaign search"));
    }
}
