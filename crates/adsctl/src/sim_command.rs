//! `adsctl sim serve`: the simulator as a standalone server, for pointing any client at.

use std::net::{Ipv4Addr, SocketAddr};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use sim::Scenario;

/// Simulator commands.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the simulated LinkedIn API on loopback until Ctrl-C.
    ///
    /// Point a client at it with LINKEDIN_API_URL=http://127.0.0.1:PORT/rest and
    /// LINKEDIN_OAUTH_URL=http://127.0.0.1:PORT/oauth/v2; read the seeded token from
    /// GET /_sim/credentials, and drive the clock with POST /_sim/advance {"days": N}.
    Serve(ServeArgs),
}

/// The world to simulate and where to serve it.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Seed of the simulated market: the same seed gives the same world and numbers.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 8089)]
    port: u16,
    /// Ad accounts.
    #[arg(long, default_value_t = 1)]
    accounts: u32,
    /// Campaigns per account.
    #[arg(long, default_value_t = 5)]
    campaigns: u32,
    /// Creatives per campaign (LinkedIn allows at most 100).
    #[arg(long, default_value_t = 4)]
    creatives: u32,
    /// The simulated clock's first day (YYYY-MM-DD).
    #[arg(long, default_value = "2026-08-03")]
    start_date: NaiveDate,
    /// Days of delivery already simulated before the start date.
    #[arg(long, default_value_t = 30)]
    history_days: u32,
}

impl SimCommand {
    /// Runs the command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            SimCommand::Serve(args) => {
                let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
                let scenario = Scenario {
                    seed: args.seed,
                    start_date: args.start_date,
                    accounts: args.accounts,
                    campaigns_per_account: args.campaigns,
                    creatives_per_campaign: args.creatives,
                    history_days: args.history_days,
                    ..Scenario::default()
                };
                eprintln!("LinkedIn simulator on http://{addr} (seed {})", args.seed);
                eprintln!("  LINKEDIN_API_URL=http://{addr}/rest");
                eprintln!("  LINKEDIN_OAUTH_URL=http://{addr}/oauth/v2");
                eprintln!("  token: curl http://{addr}/_sim/credentials");
                sim::serve(addr, scenario).await?;
                Ok(())
            }
        }
    }
}
