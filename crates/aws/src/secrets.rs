//! [`SecretsManagerStore`]: named secrets as AWS Secrets Manager secrets.
//!
//! A secret's value is a JSON document kept in the secret's `SecretString`; a secret that
//! holds only `SecretBinary` is refused rather than decoded, because every reader of the
//! port expects JSON. A put stores a new version and moves the `AWSCURRENT` label to it, so
//! readers switch from the old value to the new one at once
//! (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html>).
//!
//! The value travels only inside a [`SecretString`] and the SDK's sensitive-field types,
//! which redact it from `Debug`; errors name the secret, never its value. Their reasons
//! carry the SDK error's cause chain but not its debug view, which would print the raw
//! response — and a GetSecretValue response the SDK failed to parse is the secret.

use crate::service_error::{Detail, Verdict, port_error};
use ads::{PortError, SecretStore};
use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueError;
use aws_sdk_secretsmanager::operation::put_secret_value::PutSecretValueError;
use secrecy::{ExposeSecret, SecretString};

/// The secret store over Secrets Manager.
///
/// Names are secret names or ARNs. The function's role needs
/// `secretsmanager:GetSecretValue` (and `secretsmanager:PutSecretValue` where the step
/// writes), plus `kms:Decrypt` / `kms:GenerateDataKey` when the secret uses its own KMS key.
#[derive(Debug, Clone)]
pub struct SecretsManagerStore {
    client: Client,
}

impl SecretsManagerStore {
    /// A secret store sending requests with `client`.
    pub fn new(client: Client) -> SecretsManagerStore {
        SecretsManagerStore { client }
    }

    /// A secret store with a client built from the step's shared `config`.
    pub fn from_config(config: &aws_config::SdkConfig) -> SecretsManagerStore {
        SecretsManagerStore::new(Client::new(config))
    }
}

/// How a secret is named in errors.
fn secret(name: &str) -> String {
    format!("secret {name}")
}

#[async_trait]
impl SecretStore for SecretsManagerStore {
    async fn get(&self, name: &str) -> Result<SecretString, PortError> {
        let output = self
            .client
            .get_secret_value()
            .secret_id(name)
            .send()
            .await
            .map_err(|error| {
                port_error(
                    secret(name),
                    "secretsmanager:GetSecretValue",
                    Detail::Chain,
                    &error,
                    |error| {
                        match error {
                            GetSecretValueError::ResourceNotFoundException(_) => {
                                Some(Verdict::NotFound)
                            }
                            // KMS refused to decrypt, the secret is scheduled for deletion, or the
                            // name is malformed: the same request will fail again.
                            GetSecretValueError::DecryptionFailure(_)
                            | GetSecretValueError::InvalidRequestException(_)
                            | GetSecretValueError::InvalidParameterException(_) => {
                                Some(Verdict::Refused)
                            }
                            _ => None,
                        }
                    },
                )
            })?;
        match output.secret_string {
            Some(value) => Ok(SecretString::from(value)),
            None => Err(PortError::Refused {
                what: secret(name),
                reason: "it holds no SecretString (binary or empty); the secret must be a JSON \
                         string — store it with `aws secretsmanager put-secret-value \
                         --secret-string file://secret.json`"
                    .to_owned(),
            }),
        }
    }

    async fn put(&self, name: &str, value: SecretString) -> Result<(), PortError> {
        self.client
            .put_secret_value()
            .secret_id(name)
            .secret_string(value.expose_secret())
            .send()
            .await
            .map_err(|error| {
                port_error(
                    secret(name),
                    "secretsmanager:PutSecretValue",
                    Detail::Chain,
                    &error,
                    |error| match error {
                        PutSecretValueError::ResourceNotFoundException(_) => {
                            Some(Verdict::NotFound)
                        }
                        PutSecretValueError::EncryptionFailure(_)
                        | PutSecretValueError::InvalidRequestException(_)
                        | PutSecretValueError::InvalidParameterException(_) => {
                            Some(Verdict::Refused)
                        }
                        _ => None,
                    },
                )
            })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueOutput;
    use aws_sdk_secretsmanager::operation::put_secret_value::PutSecretValueOutput;
    use aws_sdk_secretsmanager::primitives::Blob;
    use aws_sdk_secretsmanager::types::error::{
        InvalidRequestException, ResourceNotFoundException,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use std::sync::{Arc, Mutex};

    const NAME: &str = "linkedin-ads/oauth";
    const VALUE: &str = r#"{"accessToken":"AQX-very-secret","refreshToken":"AQY-also-secret"}"#;

    /// Asserts that nothing a caller could print of `error` holds the secret value.
    fn assert_no_value_in(error: &PortError) {
        for printed in [error.to_string(), format!("{error:?}")] {
            assert!(!printed.contains("very-secret"), "value leaked: {printed}");
            assert!(!printed.contains("also-secret"), "value leaked: {printed}");
        }
    }

    #[tokio::test]
    async fn get_asks_for_the_secret_by_name_and_returns_its_string() {
        // GIVEN a secret holding a JSON string
        let asked = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::get_secret_value).then_compute_output({
            let asked = asked.clone();
            move |input| {
                asked
                    .lock()
                    .unwrap()
                    .push(input.secret_id().map(String::from));
                GetSecretValueOutput::builder().secret_string(VALUE).build()
            }
        });
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN it is read by name
        let value = store.get(NAME).await.unwrap();

        // THEN GetSecretValue named the secret, and the value arrives unchanged
        assert_eq!(*asked.lock().unwrap(), [Some(NAME.to_owned())]);
        assert_eq!(value.expose_secret(), VALUE);
    }

    #[tokio::test]
    async fn get_of_a_missing_secret_is_not_found_naming_it() {
        // GIVEN no such secret
        let rule = mock!(Client::get_secret_value).then_error(|| {
            GetSecretValueError::ResourceNotFoundException(
                ResourceNotFoundException::builder()
                    .message("Secrets Manager can't find the specified secret.")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN it is read
        let error = store.get(NAME).await.unwrap_err();

        // THEN the port says not found, naming the secret
        assert_eq!(
            error,
            PortError::NotFound {
                what: format!("secret {NAME}")
            }
        );
    }

    #[tokio::test]
    async fn get_of_a_binary_only_secret_is_refused_asking_for_a_json_string() {
        // GIVEN a secret stored as SecretBinary, holding the token bytes
        let rule = mock!(Client::get_secret_value).then_output(|| {
            GetSecretValueOutput::builder()
                .secret_binary(Blob::new(VALUE.as_bytes()))
                .build()
        });
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN it is read
        let error = store.get(NAME).await.unwrap_err();

        // THEN the port refuses, saying the secret must be a JSON string
        let PortError::Refused { what, reason } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert_eq!(what, &format!("secret {NAME}"));
        assert!(reason.contains("must be a JSON string"), "{reason}");
        // AND the bytes it holds appear nowhere in the error
        assert_no_value_in(&error);
    }

    #[tokio::test]
    async fn a_get_response_that_cannot_be_parsed_is_unavailable_without_the_value() {
        // GIVEN Secrets Manager answering 200 with a body cut off mid-value
        let body = format!(r#"{{"Name":"{NAME}","SecretString":"{}"#, &VALUE[..40]);
        let rule = mock!(Client::get_secret_value)
            .sequence()
            .http_status(200, Some(body))
            .build();
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN the secret is read
        let error = store.get(NAME).await.unwrap_err();

        // THEN the port says unavailable (a retry may help), naming the secret
        assert!(matches!(error, PortError::Unavailable { .. }), "{error:?}");
        assert!(error.to_string().contains(NAME), "{error}");
        // AND the raw response, which holds the value, appears nowhere in the error
        assert_no_value_in(&error);
    }

    #[tokio::test]
    async fn put_sends_the_secret_id_and_the_new_string() {
        // GIVEN a secret that accepts a new version
        let sent = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::put_secret_value).then_compute_output({
            let sent = sent.clone();
            move |input| {
                sent.lock().unwrap().push((
                    input.secret_id().map(String::from),
                    input.secret_string().map(String::from),
                ));
                PutSecretValueOutput::builder().build()
            }
        });
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN a refreshed value is stored
        store.put(NAME, SecretString::from(VALUE)).await.unwrap();

        // THEN one PutSecretValue named the secret and carried the value as SecretString
        assert_eq!(
            *sent.lock().unwrap(),
            [(Some(NAME.to_owned()), Some(VALUE.to_owned()))]
        );
    }

    #[tokio::test]
    async fn a_failed_put_names_the_secret_but_never_its_value() {
        // GIVEN a secret that refuses new versions (scheduled for deletion)
        let rule = mock!(Client::put_secret_value).then_error(|| {
            PutSecretValueError::InvalidRequestException(
                InvalidRequestException::builder()
                    .message("You can't perform this operation on the secret because it was marked for deletion.")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN a value is stored
        let error = store
            .put(NAME, SecretString::from(VALUE))
            .await
            .unwrap_err();

        // THEN the port refuses, naming the secret and Secrets Manager's reason
        let PortError::Refused { what, reason } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert_eq!(what, &format!("secret {NAME}"));
        assert!(reason.contains("marked for deletion"), "{reason}");
        // AND neither Display nor Debug holds the value
        assert_no_value_in(&error);
    }

    #[tokio::test]
    async fn a_put_denied_to_the_role_names_the_missing_permission_but_not_the_value() {
        // GIVEN a role without secretsmanager:PutSecretValue
        let rule = mock!(Client::put_secret_value).then_error(|| {
            PutSecretValueError::generic(
                aws_sdk_secretsmanager::error::ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("User is not authorized to perform: secretsmanager:PutSecretValue")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_secretsmanager, RuleMode::Sequential, [&rule]);
        let store = SecretsManagerStore::new(client);

        // WHEN a value is stored
        let error = store
            .put(NAME, SecretString::from(VALUE))
            .await
            .unwrap_err();

        // THEN the port refuses and names the permission the role needs
        let PortError::Refused { reason, .. } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert!(reason.contains("the function's role needs secretsmanager:PutSecretValue"));
        assert_no_value_in(&error);
    }
}
