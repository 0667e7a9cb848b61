//! [`CloudWatchMetrics`]: metric data as CloudWatch custom metrics in one namespace.
//!
//! One `emit` is one or more PutMetricData calls of at most [`MAX_DATA_PER_CALL`] data,
//! every datum stamped with the same time, the moment of the call. A non-finite value is
//! refused before anything is sent, since CloudWatch would reject the whole call for it.
//! When a later batch fails, the batches before it stay recorded; metrics are not
//! transactional.

use crate::service_error::{Detail, Verdict, port_error};
use ads::{MetricDatum, Metrics, PortError, Unit};
use async_trait::async_trait;
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::put_metric_data::PutMetricDataError;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{self, Dimension, StandardUnit};
use std::time::SystemTime;

/// The most data CloudWatch accepts in one PutMetricData call
/// (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html>).
pub const MAX_DATA_PER_CALL: usize = 1000;

/// Operational metrics as CloudWatch custom metrics.
///
/// The function's role needs `cloudwatch:PutMetricData` (usually conditioned on
/// `cloudwatch:namespace`).
#[derive(Debug, Clone)]
pub struct CloudWatchMetrics {
    client: Client,
    namespace: String,
}

impl CloudWatchMetrics {
    /// Metrics published under `namespace` (e.g. `LinkedInAds`), sent with `client`.
    pub fn new(client: Client, namespace: impl Into<String>) -> CloudWatchMetrics {
        CloudWatchMetrics {
            client,
            namespace: namespace.into(),
        }
    }

    /// Metrics published under `namespace`, with a client built from the step's shared
    /// `config`.
    pub fn from_config(
        config: &aws_config::SdkConfig,
        namespace: impl Into<String>,
    ) -> CloudWatchMetrics {
        CloudWatchMetrics::new(Client::new(config), namespace)
    }
}

/// CloudWatch's name for a port unit.
fn unit(unit: Unit) -> StandardUnit {
    match unit {
        Unit::Count => StandardUnit::Count,
        Unit::Percent => StandardUnit::Percent,
        Unit::None => StandardUnit::None,
    }
}

/// One port datum as CloudWatch's, stamped with `timestamp`.
fn datum(datum: &MetricDatum, timestamp: DateTime) -> types::MetricDatum {
    let dimensions = datum
        .dimensions
        .iter()
        .map(|(name, value)| Dimension::builder().name(name).value(value).build())
        .collect();
    types::MetricDatum::builder()
        .metric_name(&datum.name)
        .value(datum.value)
        .unit(unit(datum.unit))
        .set_dimensions(Some(dimensions))
        .timestamp(timestamp)
        .build()
}

#[async_trait]
impl Metrics for CloudWatchMetrics {
    async fn emit(&self, data: &[MetricDatum]) -> Result<(), PortError> {
        if let Some(bad) = data.iter().find(|datum| !datum.value.is_finite()) {
            return Err(PortError::Refused {
                what: format!("metric {} in namespace {}", bad.name, self.namespace),
                reason: format!(
                    "its value is {}; CloudWatch accepts only finite numbers",
                    bad.value
                ),
            });
        }
        let timestamp = DateTime::from(SystemTime::now());
        for batch in data.chunks(MAX_DATA_PER_CALL) {
            let batch = batch.iter().map(|d| datum(d, timestamp)).collect();
            self.client
                .put_metric_data()
                .namespace(&self.namespace)
                .set_metric_data(Some(batch))
                .send()
                .await
                .map_err(|error| {
                    port_error(
                        format!("metrics in namespace {}", self.namespace),
                        "cloudwatch:PutMetricData",
                        Detail::Full,
                        &error,
                        |error| match error {
                            PutMetricDataError::InvalidParameterCombinationException(_)
                            | PutMetricDataError::InvalidParameterValueException(_)
                            | PutMetricDataError::MissingRequiredParameterException(_) => {
                                Some(Verdict::Refused)
                            }
                            _ => None,
                        },
                    )
                })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatch::operation::put_metric_data::{PutMetricDataInput, PutMetricDataOutput};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use std::sync::{Arc, Mutex};

    type Sent = Arc<Mutex<Vec<PutMetricDataInput>>>;

    /// A CloudWatch that accepts every PutMetricData and records what it was sent.
    fn cloudwatch() -> (Client, Sent, aws_smithy_mocks::Rule) {
        let sent: Sent = Arc::default();
        let rule = mock!(Client::put_metric_data).then_compute_output({
            let sent = sent.clone();
            move |input| {
                sent.lock().unwrap().push(input.clone());
                PutMetricDataOutput::builder().build()
            }
        });
        let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
        (client, sent, rule)
    }

    fn count(name: &str, value: f64) -> MetricDatum {
        MetricDatum {
            name: name.to_owned(),
            value,
            unit: Unit::Count,
            dimensions: vec![("AccountId".to_owned(), "123".to_owned())],
        }
    }

    #[tokio::test]
    async fn emit_sends_namespace_names_values_units_dimensions_and_a_timestamp() {
        // GIVEN CloudWatch and data in each unit
        let (client, sent, _rule) = cloudwatch();
        let metrics = CloudWatchMetrics::new(client, "LinkedInAds");
        let data = [
            count("TotalImpressions", 1200.0),
            MetricDatum {
                name: "Ctr".to_owned(),
                value: 0.85,
                unit: Unit::Percent,
                dimensions: vec![
                    ("AccountId".to_owned(), "123".to_owned()),
                    ("CampaignId".to_owned(), "456".to_owned()),
                ],
            },
            MetricDatum {
                name: "Spend".to_owned(),
                value: 42.5,
                unit: Unit::None,
                dimensions: vec![],
            },
        ];

        // WHEN they are emitted
        metrics.emit(&data).await.unwrap();

        // THEN one call carried the namespace and every datum as given, each timestamped
        let sent = sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].namespace(), Some("LinkedInAds"));
        let got: Vec<_> = sent[0]
            .metric_data()
            .iter()
            .map(|datum| {
                let dimensions: Vec<_> = datum
                    .dimensions()
                    .iter()
                    .map(|d| (d.name().unwrap(), d.value().unwrap()))
                    .collect();
                (
                    datum.metric_name().unwrap(),
                    datum.value(),
                    datum.unit(),
                    dimensions,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "TotalImpressions",
                    Some(1200.0),
                    Some(&StandardUnit::Count),
                    vec![("AccountId", "123")]
                ),
                (
                    "Ctr",
                    Some(0.85),
                    Some(&StandardUnit::Percent),
                    vec![("AccountId", "123"), ("CampaignId", "456")]
                ),
                ("Spend", Some(42.5), Some(&StandardUnit::None), vec![]),
            ]
        );
        assert!(
            sent[0]
                .metric_data()
                .iter()
                .all(|datum| datum.timestamp().is_some())
        );
    }

    #[tokio::test]
    async fn fifteen_hundred_data_go_in_two_calls_of_a_thousand_and_five_hundred() {
        // GIVEN CloudWatch and more data than one call may carry
        let (client, sent, _rule) = cloudwatch();
        let metrics = CloudWatchMetrics::new(client, "LinkedInAds");
        let data: Vec<_> = (0..1500)
            .map(|i| count("Impressions", f64::from(i)))
            .collect();

        // WHEN they are emitted
        metrics.emit(&data).await.unwrap();

        // THEN two calls carried 1000 and 500 data, in order, none lost
        let sent = sent.lock().unwrap();
        let sizes: Vec<_> = sent.iter().map(|input| input.metric_data().len()).collect();
        assert_eq!(sizes, [1000, 500]);
        let values: Vec<_> = sent
            .iter()
            .flat_map(|input| input.metric_data())
            .map(|datum| datum.value().unwrap())
            .collect();
        assert_eq!(values, (0..1500).map(f64::from).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn no_data_sends_nothing() {
        // GIVEN CloudWatch
        let (client, sent, rule) = cloudwatch();
        let metrics = CloudWatchMetrics::new(client, "LinkedInAds");

        // WHEN nothing is emitted
        metrics.emit(&[]).await.unwrap();

        // THEN no call was made
        assert!(sent.lock().unwrap().is_empty());
        assert_eq!(rule.num_calls(), 0);
    }

    #[tokio::test]
    async fn a_non_finite_value_is_refused_naming_the_metric_before_anything_is_sent() {
        // GIVEN data with one NaN among good values
        let (client, sent, _rule) = cloudwatch();
        let metrics = CloudWatchMetrics::new(client, "LinkedInAds");
        let data = [count("Clicks", 3.0), count("Ctr", f64::NAN)];

        // WHEN they are emitted
        let error = metrics.emit(&data).await.unwrap_err();

        // THEN the port refuses, naming the metric, and CloudWatch received nothing
        assert!(matches!(error, PortError::Refused { .. }), "{error:?}");
        assert!(error.to_string().contains("metric Ctr"), "{error}");
        assert!(sent.lock().unwrap().is_empty());
    }
}
