//! Money as LinkedIn sends it: an exact decimal amount and an ISO 4217 currency code.
//!
//! LinkedIn writes amounts as strings (`"209.449"`) precisely so that no float rounds them;
//! they stay [`Decimal`] from the wire to the Parquet files.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An amount of money in one currency, e.g. a bid (`unitCost`) or a daily budget.
///
/// Serializes exactly as LinkedIn's `MoneyAmount`: `{"amount":"5.50","currencyCode":"USD"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// The exact amount, in the currency's major unit (dollars, not cents).
    pub amount: Decimal,
    /// The ISO 4217 currency code, e.g. `USD`.
    pub currency_code: String,
}

impl Money {
    /// An amount in US dollars.
    pub fn usd(amount: Decimal) -> Money {
        Money {
            amount,
            currency_code: "USD".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn keeps_linkedins_string_amounts_exact() {
        // GIVEN LinkedIn's MoneyAmount with a string amount
        let json = r#"{"amount":"209.449","currencyCode":"USD"}"#;
        // WHEN parsed and written back
        let money: Money = serde_json::from_str(json).unwrap();
        // THEN no digit is lost and the wire form is unchanged
        assert_eq!(money, Money::usd(Decimal::from_str("209.449").unwrap()));
        assert_eq!(serde_json::to_string(&money).unwrap(), json);
    }
}
