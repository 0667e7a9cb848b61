//! OAuth: refresh and introspection against the simulator's OAuth endpoints.

use end_to_end::{Harness, scenario};
use linkedin::token::{AccessToken, ClientCredentials, ClientSecret, RefreshToken};
use sim::Faults;

fn app(h: &Harness) -> ClientCredentials {
    ClientCredentials {
        client_id: h.credentials.client_id.clone(),
        client_secret: ClientSecret::new(h.credentials.client_secret.clone()),
    }
}

#[tokio::test]
async fn refreshing_gives_a_working_token_but_never_extends_the_refresh_token() {
    // GIVEN the seeded token pair, 30 days in
    let h = Harness::start(scenario(51, 1, 1), 30).await;
    let refresh = RefreshToken::new(h.credentials.refresh_token.clone());
    // WHEN the access token is refreshed
    let refreshed = h.oauth().refresh(&app(&h), &refresh).await.unwrap();
    // THEN the new token is active and lives 60 days
    assert_eq!(refreshed.expires_in.as_secs(), 60 * 86_400);
    let introspection = h
        .oauth()
        .introspect(&app(&h), &refreshed.access_token)
        .await
        .unwrap();
    assert!(introspection.active);
    // AND it works for the API
    let account = h.account().await;
    let client = h.client.with_token(refreshed.access_token.clone());
    assert!(client.search_campaigns(account, &[]).await.is_ok());
    // AND the refresh token still ends when it always did: 365 days after issue, 30 of them gone
    let remaining = refreshed.refresh_token_expires_in.unwrap().as_secs();
    assert!(remaining <= 335 * 86_400, "{remaining}");
    assert!(remaining > 334 * 86_400, "{remaining}");
}

#[tokio::test]
async fn a_revoked_refresh_token_is_an_invalid_grant() {
    let h = Harness::start(scenario(52, 1, 1), 0).await;
    h.inject(Faults {
        revoke_tokens: true,
        ..Faults::default()
    })
    .await;
    let refresh = RefreshToken::new(h.credentials.refresh_token.clone());
    let err = h.oauth().refresh(&app(&h), &refresh).await.unwrap_err();
    assert_eq!(err.name(), "LinkedIn.InvalidGrant");
    assert!(!err.to_string().contains(&h.credentials.refresh_token));
    let introspection = h
        .oauth()
        .introspect(
            &app(&h),
            &AccessToken::new(h.credentials.access_token.clone()),
        )
        .await
        .unwrap();
    assert!(!introspection.active);
}
