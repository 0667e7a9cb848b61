//! LinkedIn's ad analytics metric names: the ones this step knows, and the ones it collects
//! when the input names none.
//!
//! A misspelt metric is not an error at LinkedIn: `fields=impresions` silently returns
//! nothing for it, and the curated column would read as "not measured" forever. So the input
//! is checked against the names LinkedIn documents for `/rest/adAnalytics`
//! (learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/ads-reporting-schema,
//! "Metrics"), kept here.

/// The metrics collected when the input names none: every metric the curated
/// `creative_daily` table has a column for.
pub const DEFAULT_METRICS: [&str; 15] = [
    "impressions",
    "clicks",
    "landingPageClicks",
    "costInUsd",
    "costInLocalCurrency",
    "externalWebsiteConversions",
    "oneClickLeads",
    "oneClickLeadFormOpens",
    "likes",
    "comments",
    "shares",
    "follows",
    "totalEngagements",
    "videoViews",
    "approximateMemberReach",
];

/// Every metric name LinkedIn documents for `/rest/adAnalytics` with the `CREATIVE` pivot
/// (viral and deprecated-but-served names included), in alphabetical order.
pub const KNOWN_METRICS: &[&str] = &[
    "actionClicks",
    "adUnitClicks",
    "approximateMemberReach",
    "approximateUniqueImpressions",
    "audiencePenetration",
    "averageDwellTime",
    "cardClicks",
    "cardImpressions",
    "clicks",
    "commentLikes",
    "comments",
    "companyPageClicks",
    "conversionValueInLocalCurrency",
    "costInLocalCurrency",
    "costInUsd",
    "documentCompletions",
    "documentFirstQuartileCompletions",
    "documentMidpointCompletions",
    "documentThirdQuartileCompletions",
    "downloadClicks",
    "externalWebsiteConversions",
    "externalWebsitePostClickConversions",
    "externalWebsitePostViewConversions",
    "follows",
    "fullScreenPlays",
    "headlineClicks",
    "headlineImpressions",
    "impressions",
    "jobApplications",
    "jobApplyClicks",
    "landingPageClicks",
    "leadGenerationMailContactInfoShares",
    "leadGenerationMailInterestedClicks",
    "likes",
    "oneClickLeadFormOpens",
    "oneClickLeads",
    "opens",
    "otherEngagements",
    "postClickJobApplications",
    "postClickJobApplyClicks",
    "postClickRegistrations",
    "postViewJobApplications",
    "postViewJobApplyClicks",
    "postViewRegistrations",
    "qualifiedLeads",
    "reactions",
    "registrations",
    "sends",
    "shares",
    "subscriptionClicks",
    "talentLeads",
    "textUrlClicks",
    "totalEngagements",
    "validWorkEmailLeads",
    "videoCompletions",
    "videoFirstQuartileCompletions",
    "videoMidpointCompletions",
    "videoStarts",
    "videoThirdQuartileCompletions",
    "videoViews",
    "viralCardClicks",
    "viralCardImpressions",
    "viralClicks",
    "viralCommentLikes",
    "viralComments",
    "viralCompanyPageClicks",
    "viralDocumentCompletions",
    "viralDocumentFirstQuartileCompletions",
    "viralDocumentMidpointCompletions",
    "viralDocumentThirdQuartileCompletions",
    "viralDownloadClicks",
    "viralExternalWebsiteConversions",
    "viralExternalWebsitePostClickConversions",
    "viralExternalWebsitePostViewConversions",
    "viralFollows",
    "viralFullScreenPlays",
    "viralImpressions",
    "viralJobApplications",
    "viralJobApplyClicks",
    "viralLandingPageClicks",
    "viralLikes",
    "viralOneClickLeadFormOpens",
    "viralOneClickLeads",
    "viralOtherEngagements",
    "viralPostClickJobApplications",
    "viralPostClickJobApplyClicks",
    "viralPostClickRegistrations",
    "viralPostViewJobApplications",
    "viralPostViewJobApplyClicks",
    "viralPostViewRegistrations",
    "viralReactions",
    "viralRegistrations",
    "viralShares",
    "viralSubscriptionClicks",
    "viralTotalEngagements",
    "viralVideoCompletions",
    "viralVideoFirstQuartileCompletions",
    "viralVideoMidpointCompletions",
    "viralVideoStarts",
    "viralVideoThirdQuartileCompletions",
    "viralVideoViews",
];

/// Whether `name` is one of LinkedIn's analytics metric names (case matters, as at LinkedIn).
pub fn is_known(name: &str) -> bool {
    KNOWN_METRICS.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_list_is_sorted_so_lookups_can_bisect() {
        assert!(KNOWN_METRICS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_default_and_every_metric_the_simulator_serves_is_known() {
        // GIVEN the defaults and the simulator's list of LinkedIn's metrics
        // THEN each is accepted, and a near miss is not
        for name in DEFAULT_METRICS.iter().chain(sim::metrics::METRICS) {
            assert!(is_known(name), "{name}");
        }
        assert!(!is_known("impresions"));
        assert!(!is_known("Impressions"));
        assert!(!is_known("dateRange"));
    }
}
