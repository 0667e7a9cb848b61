//! The athena/ files compiled into the binary: the one list of them. A file added under
//! athena/ must be added here too (a test fails until it is); views are listed in the order
//! they must be created.

/// `athena/tables/database.sql`: `CREATE DATABASE IF NOT EXISTS linkedin_ads`.
pub(crate) const DATABASE: &str = include_str!("../../../athena/tables/database.sql");

/// `athena/tables/<name>.sql`, by name.
pub(crate) const TABLES: &[(&str, &str)] = &[
    (
        "creative_daily",
        include_str!("../../../athena/tables/creative_daily.sql"),
    ),
    (
        "creatives",
        include_str!("../../../athena/tables/creatives.sql"),
    ),
    (
        "campaigns",
        include_str!("../../../athena/tables/campaigns.sql"),
    ),
    (
        "optimizer_actions",
        include_str!("../../../athena/tables/optimizer_actions.sql"),
    ),
];

/// `athena/views/<name>.sql`, in dependency order: a view only reads tables and the views
/// before it.
pub(crate) const VIEWS: &[(&str, &str)] = &[
    (
        "creative_performance",
        include_str!("../../../athena/views/creative_performance.sql"),
    ),
    (
        "daily_summary",
        include_str!("../../../athena/views/daily_summary.sql"),
    ),
];

/// `athena/queries/<name>.sql`, by name; each file declares its name again in its header.
pub(crate) const QUERIES: &[(&str, &str)] = &[
    (
        "top_performers",
        include_str!("../../../athena/queries/top_performers.sql"),
    ),
    (
        "underperformers",
        include_str!("../../../athena/queries/underperformers.sql"),
    ),
    (
        "daily_trend",
        include_str!("../../../athena/queries/daily_trend.sql"),
    ),
    (
        "budget_pacing",
        include_str!("../../../athena/queries/budget_pacing.sql"),
    ),
    (
        "decision_input",
        include_str!("../../../athena/queries/decision_input.sql"),
    ),
    (
        "decision_series",
        include_str!("../../../athena/queries/decision_series.sql"),
    ),
    (
        "creative_training",
        include_str!("../../../athena/queries/creative_training.sql"),
    ),
];
