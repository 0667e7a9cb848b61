//! Bad input is refused as `Input.Invalid`, naming the field, before anything is written.

use super::*;
use ads::error_names::StepError;

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let (h, ws) = world(81, 2).await;
    let now = h.now().await;
    let account = h.account().await.0.to_string();
    let tomorrow = now.date_naive().succ_opt().unwrap().to_string();
    let base = collect::Input {
        account_id: account,
        ..collect::Input::default()
    };
    let cases = [
        (
            "accountId",
            collect::Input {
                account_id: "abc".into(),
                ..base.clone()
            },
        ),
        (
            "endDate",
            collect::Input {
                end_date: Some(tomorrow),
                ..base.clone()
            },
        ),
        (
            "lookbackDays",
            collect::Input {
                lookback_days: Some(0),
                ..base.clone()
            },
        ),
        (
            "lookbackDays",
            collect::Input {
                lookback_days: Some(366),
                ..base.clone()
            },
        ),
        (
            "impresions",
            collect::Input {
                metrics: Some(vec!["impresions".into()]),
                ..base.clone()
            },
        ),
        (
            "campaignIds",
            collect::Input {
                campaign_ids: Some(vec!["1 OR 1=1".into()]),
                ..base.clone()
            },
        ),
    ];
    h.sim.admin().reset_stats().await.unwrap();
    for (field, input) in cases {
        let err = collect::run(input, &collect_settings(&h), ws.ports(), now)
            .await
            .unwrap_err();
        assert_eq!(err.name(), "Input.Invalid", "{field}: {err}");
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
    assert!(ws.keys("").await.is_empty(), "nothing written");
    assert_eq!(
        h.sim.admin().stats().await.unwrap().requests,
        0,
        "LinkedIn not called"
    );
}
