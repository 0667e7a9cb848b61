-- linkedin_ads: the database every table, view and query of athena/ lives in. The Athena
-- adapter runs everything else with this database as its QueryExecutionContext, so the
-- other files name tables without a database prefix.
CREATE DATABASE IF NOT EXISTS linkedin_ads;
