//! [`S3Store`]: the object store as one S3 bucket.
//!
//! Keys are the store layout of DESIGN.md, used as S3 keys unchanged, so Athena's tables
//! and the local data directory see the same paths. S3 replaces an object atomically on
//! PutObject — a reader sees the old object or the new one, never a mix — which is the
//! port's contract for a re-run overwriting a partition
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel>).

use crate::service_error::{Detail, Verdict, port_error};
use ads::{ObjectStore, PortError};
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::operation::get_object::GetObjectError;
use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error;
use aws_sdk_s3::operation::put_object::PutObjectError;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;

/// The object store over one S3 bucket.
///
/// The function's role needs `s3:PutObject` and `s3:GetObject` on the bucket's objects and
/// `s3:ListBucket` on the bucket.
#[derive(Debug, Clone)]
pub struct S3Store {
    client: Client,
    bucket: String,
}

impl S3Store {
    /// An object store over `bucket`, sending requests with `client`.
    pub fn new(client: Client, bucket: impl Into<String>) -> S3Store {
        S3Store {
            client,
            bucket: bucket.into(),
        }
    }

    /// An object store over `bucket`, with a client built from the step's shared `config`.
    pub fn from_config(config: &aws_config::SdkConfig, bucket: impl Into<String>) -> S3Store {
        S3Store::new(Client::new(config), bucket)
    }

    /// The bucket this store reads and writes.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// How an object is named in errors: the key and the bucket it was looked for in.
    fn object(&self, key: &str) -> String {
        format!("object {key} in bucket {}", self.bucket)
    }
}

#[async_trait]
impl ObjectStore for S3Store {
    async fn put(&self, key: &str, body: Bytes, content_type: &str) -> Result<(), PortError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(|error| {
                port_error(
                    self.object(key),
                    "s3:PutObject",
                    Detail::Full,
                    &error,
                    |_: &PutObjectError| None,
                )
            })?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Bytes, PortError> {
        let output = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|error| {
                port_error(
                    self.object(key),
                    "s3:GetObject",
                    Detail::Full,
                    &error,
                    |error| match error {
                        GetObjectError::NoSuchKey(_) => Some(Verdict::NotFound),
                        // Archived to Glacier: readable only after a restore.
                        GetObjectError::InvalidObjectState(_) => Some(Verdict::Refused),
                        _ => None,
                    },
                )
            })?;
        let body = output
            .body
            .collect()
            .await
            .map_err(|error| PortError::Unavailable {
                what: self.object(key),
                reason: format!("the body could not be read: {error}"),
            })?;
        Ok(body.into_bytes())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, PortError> {
        let what = || format!("listing {prefix:?} in bucket {}", self.bucket);
        let mut keys = Vec::new();
        let mut continuation: Option<String> = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(continuation.take())
                .send()
                .await
                .map_err(|error: SdkError<ListObjectsV2Error, _>| {
                    port_error(what(), "s3:ListBucket", Detail::Full, &error, |error| {
                        match error {
                            // The bucket's name comes from configuration; a retry will not create it.
                            ListObjectsV2Error::NoSuchBucket(_) => Some(Verdict::Refused),
                            _ => None,
                        }
                    })
                })?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|object| object.key())
                    .map(String::from),
            );
            // ListObjectsV2 returns at most 1,000 keys a page and sends `NextContinuationToken`
            // only when there are more
            // (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html>).
            match page.next_continuation_token() {
                Some(token) => continuation = Some(token.to_owned()),
                None => break,
            }
        }
        // S3 lists general-purpose buckets in UTF-8 binary order already; directory buckets
        // do not, and the port promises lexicographic order everywhere.
        keys.sort_unstable();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::error::ErrorMetadata;
    use aws_sdk_s3::operation::get_object::GetObjectOutput;
    use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output;
    use aws_sdk_s3::operation::put_object::PutObjectOutput;
    use aws_sdk_s3::types::Object;
    use aws_sdk_s3::types::error::NoSuchKey;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use std::sync::{Arc, Mutex};

    /// What a test records of each request: the fields the store must set.
    type Sent = Arc<Mutex<Vec<Vec<Option<String>>>>>;

    fn sent() -> Sent {
        Arc::new(Mutex::new(Vec::new()))
    }

    fn page(keys: &[&str], next: Option<&str>) -> ListObjectsV2Output {
        ListObjectsV2Output::builder()
            .set_contents(Some(
                keys.iter()
                    .map(|key| Object::builder().key(*key).build())
                    .collect(),
            ))
            .set_next_continuation_token(next.map(String::from))
            .is_truncated(next.is_some())
            .build()
    }

    #[tokio::test]
    async fn put_sends_bucket_key_content_type_and_body() {
        // GIVEN a bucket that accepts any PutObject, recording what it was sent
        let sent = sent();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::put_object).then_compute_output({
            let (sent, bodies) = (sent.clone(), bodies.clone());
            move |input| {
                sent.lock().unwrap().push(vec![
                    input.bucket().map(String::from),
                    input.key().map(String::from),
                    input.content_type().map(String::from),
                ]);
                bodies
                    .lock()
                    .unwrap()
                    .push(input.body().bytes().map(<[u8]>::to_vec));
                PutObjectOutput::builder().build()
            }
        });
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&rule]);
        let store = S3Store::new(client, "ads-data");

        // WHEN a raw response is stored
        let key = "raw/analytics/2025/01/02/123/creative_performance_r1.json";
        store
            .put(
                key,
                Bytes::from_static(b"{\"elements\":[]}"),
                "application/json",
            )
            .await
            .unwrap();

        // THEN exactly one PutObject named the bucket, the key and the content type
        assert_eq!(
            *sent.lock().unwrap(),
            [vec![
                Some("ads-data".to_owned()),
                Some(key.to_owned()),
                Some("application/json".to_owned()),
            ]]
        );
        assert_eq!(
            *bodies.lock().unwrap(),
            [Some(b"{\"elements\":[]}".to_vec())]
        );
    }

    #[tokio::test]
    async fn get_returns_the_object_body_read_from_bucket_and_key() {
        // GIVEN an object in the bucket
        let rule = mock!(Client::get_object)
            .match_requests(|input| {
                input.bucket() == Some("ads-data") && input.key() == Some("models/v1/model.json")
            })
            .then_output(|| {
                GetObjectOutput::builder()
                    .body(ByteStream::from_static(b"{\"weights\":[1]}"))
                    .build()
            });
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&rule]);
        let store = S3Store::new(client, "ads-data");

        // WHEN it is read
        let body = store.get("models/v1/model.json").await.unwrap();

        // THEN the body arrives whole, from that bucket and key
        assert_eq!(body, Bytes::from_static(b"{\"weights\":[1]}"));
        assert_eq!(rule.num_calls(), 1);
    }

    #[tokio::test]
    async fn get_of_a_missing_key_is_not_found_naming_key_and_bucket() {
        // GIVEN a bucket without the key
        let rule = mock!(Client::get_object)
            .then_error(|| GetObjectError::NoSuchKey(NoSuchKey::builder().build()));
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&rule]);
        let store = S3Store::new(client, "ads-data");

        // WHEN the key is read
        let error = store
            .get("decisions/2025-01-02/exec.json")
            .await
            .unwrap_err();

        // THEN the port says not found, naming what was looked for and where
        assert_eq!(
            error,
            PortError::NotFound {
                what: "object decisions/2025-01-02/exec.json in bucket ads-data".to_owned()
            }
        );
    }

    #[tokio::test]
    async fn get_refused_by_access_denied_names_the_missing_permission() {
        // GIVEN a role without s3:GetObject (S3 answers AccessDenied, an unmodeled error)
        let rule = mock!(Client::get_object).then_error(|| {
            GetObjectError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("Access Denied")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&rule]);
        let store = S3Store::new(client, "ads-data");

        // WHEN an object is read
        let error = store.get("reports/2025-01-02.md").await.unwrap_err();

        // THEN the port refuses, naming the object, the bucket, S3's reason and the fix
        let PortError::Refused { what, reason } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert_eq!(what, "object reports/2025-01-02.md in bucket ads-data");
        assert!(reason.contains("Access Denied"), "{reason}");
        assert!(reason.contains("s3:GetObject"), "{reason}");
    }

    #[tokio::test]
    async fn an_unrecognised_service_error_is_unavailable_with_the_services_reason() {
        // GIVEN S3 failing with an error this store does not classify
        let rule = mock!(Client::put_object).then_error(|| {
            PutObjectError::generic(
                ErrorMetadata::builder()
                    .code("SomethingBroke")
                    .message("try later")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&rule]);
        let store = S3Store::new(client, "ads-data");

        // WHEN an object is stored
        let error = store
            .put("reports/2025-01-02.md", Bytes::new(), "text/markdown")
            .await
            .unwrap_err();

        // THEN the port says unavailable (a retry may help), with S3's words
        let PortError::Unavailable { what, reason } = &error else {
            panic!("expected Unavailable, got {error:?}");
        };
        assert_eq!(what, "object reports/2025-01-02.md in bucket ads-data");
        assert!(reason.contains("SomethingBroke"), "{reason}");
        assert!(reason.contains("try later"), "{reason}");
    }

    #[tokio::test]
    async fn list_follows_the_continuation_token_and_returns_sorted_keys() {
        // GIVEN a listing split over two pages, the second reached by a continuation token
        let sent = sent();
        let record =
            |sent: &Sent, input: &aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Input| {
                sent.lock().unwrap().push(vec![
                    input.bucket().map(String::from),
                    input.prefix().map(String::from),
                    input.continuation_token().map(String::from),
                ]);
            };
        let first = mock!(Client::list_objects_v2).then_compute_output({
            let sent = sent.clone();
            move |input| {
                record(&sent, input);
                page(&["raw/b.json", "raw/a.json"], Some("token-2"))
            }
        });
        let second = mock!(Client::list_objects_v2).then_compute_output({
            let sent = sent.clone();
            move |input| {
                record(&sent, input);
                page(&["raw/c.json"], None)
            }
        });
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&first, &second]);
        let store = S3Store::new(client, "ads-data");

        // WHEN the prefix is listed
        let keys = store.list("raw/").await.unwrap();

        // THEN both pages were asked for, the second with the first's token
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            *sent.lock().unwrap(),
            [
                vec![some("ads-data"), some("raw/"), None],
                vec![some("ads-data"), some("raw/"), some("token-2")],
            ]
        );
        // AND every key arrives, in lexicographic order
        assert_eq!(keys, ["raw/a.json", "raw/b.json", "raw/c.json"]);
    }

    #[tokio::test]
    async fn list_of_a_missing_bucket_is_refused_naming_it() {
        // GIVEN a bucket name that does not exist
        let rule = mock!(Client::list_objects_v2).then_error(|| {
            ListObjectsV2Error::NoSuchBucket(
                aws_sdk_s3::types::error::NoSuchBucket::builder().build(),
            )
        });
        let client = mock_client!(aws_sdk_s3, RuleMode::Sequential, [&rule]);
        let store = S3Store::new(client, "no-such-bucket");

        // WHEN it is listed
        let error = store.list("raw/").await.unwrap_err();

        // THEN the port refuses (retrying will not create it), naming the bucket
        assert!(matches!(error, PortError::Refused { .. }), "{error:?}");
        assert!(error.to_string().contains("no-such-bucket"), "{error}");
    }
}
