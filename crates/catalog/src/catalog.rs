//! The catalog: the embedded athena/ files, parsed and checked once.

use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::declaration;
use crate::files;
use crate::lexer;
use crate::params::{self, Param, ParamError};
use crate::tables::{self, Table};

/// The name of the database every table and view is created in (`athena/tables/database.sql`).
pub const DATABASE: &str = "linkedin_ads";

/// The athena/ SQL: the database and table DDL, the views in creation order, the named
/// queries.
#[derive(Debug, Clone)]
pub struct Catalog {
    database_ddl: String,
    tables: Vec<Table>,
    views: Vec<View>,
    queries: Vec<Query>,
}

/// A view of `athena/views/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// Its name, e.g. `creative_performance`.
    pub name: String,
    /// Its `CREATE OR REPLACE VIEW <name> AS SELECT ...` statement, header comments kept,
    /// without the final `;`.
    pub sql: String,
}

/// A named query of `athena/queries/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Its name, e.g. `top_performers`.
    pub name: String,
    /// What it answers, from its header.
    pub description: String,
    /// Its parameters, in the order of the `?` placeholders, one each.
    pub params: Vec<Param>,
    /// The statement, header comments kept, without the final `;`; `?` where each
    /// parameter goes.
    pub sql: String,
}

/// What the catalog refuses: an unknown query, or an athena/ file that is not as this crate
/// documents (a test catches the latter before it ships).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// No query has this name.
    #[error("no query is named {name}; the queries are: {}", known.join(", "))]
    UnknownQuery {
        /// The name asked for.
        name: String,
        /// The queries there are.
        known: Vec<String>,
    },
    /// A file is malformed.
    #[error("athena/{file}: {message}")]
    File {
        /// The file, relative to athena/.
        file: String,
        /// What is wrong, and where.
        message: String,
    },
}

fn file_error(file: String, message: impl Into<String>) -> CatalogError {
    CatalogError::File {
        file,
        message: message.into(),
    }
}

impl Query {
    /// Reads a query file: its header, and a check that it has one `?` per parameter.
    pub(crate) fn parse(file: &str, text: &str) -> Result<Query, CatalogError> {
        let declaration = declaration::parse(text)
            .map_err(|e| file_error(file.to_owned(), format!("line {}: {}", e.line, e.message)))?;
        let sql = tables::statement(text);
        let found = lexer::placeholders(&sql);
        if found != declaration.params.len() {
            return Err(file_error(
                file.to_owned(),
                format!(
                    "{} declares {} parameters but has {found} `?` placeholders; each \
                     parameter fills exactly one `?`, in declaration order",
                    declaration.name,
                    declaration.params.len()
                ),
            ));
        }
        Ok(Query {
            name: declaration.name,
            description: declaration.description,
            params: declaration.params,
            sql,
        })
    }

    /// Validates every parameter (missing, extra, wrong type, out of range, an account id
    /// that is not digits — `1 OR 1=1` must be refused) and renders each as an Athena
    /// `ExecutionParameters` literal, in `?` order: account_id → `'123'`, date →
    /// `'2026-11-01'`, bigint → `100`, double → `0.5`.
    pub fn bind(&self, params: &Map<String, Value>) -> Result<Vec<String>, ParamError> {
        params::bind(&self.name, &self.params, params)
    }
}

impl Catalog {
    /// The athena/ files compiled into this binary, parsed once. Panics if they are
    /// malformed, which the crate's tests rule out.
    pub fn embedded() -> &'static Catalog {
        static EMBEDDED: LazyLock<Catalog> = LazyLock::new(|| match Catalog::load() {
            Ok(catalog) => catalog,
            Err(error) => panic!("the embedded athena/ files are malformed: {error}"),
        });
        &EMBEDDED
    }

    /// Parses the files of [`files`].
    pub(crate) fn load() -> Result<Catalog, CatalogError> {
        let tables = files::TABLES
            .iter()
            .map(|(name, sql)| {
                Table::parse(name, sql).map_err(|m| file_error(format!("tables/{name}.sql"), m))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let views = files::VIEWS
            .iter()
            .map(|(name, sql)| {
                let file = format!("views/{name}.sql");
                let code = lexer::without_comments(sql).to_ascii_uppercase();
                let create = format!("CREATE OR REPLACE VIEW {} AS", name.to_ascii_uppercase());
                if !code.contains(&create) {
                    return Err(file_error(
                        file,
                        format!("no `CREATE OR REPLACE VIEW {name} AS`"),
                    ));
                }
                Ok(View {
                    name: (*name).to_owned(),
                    sql: tables::statement(sql),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let queries = files::QUERIES
            .iter()
            .map(|(name, text)| {
                let file = format!("queries/{name}.sql");
                let query = Query::parse(&file, text)?;
                if query.name != *name {
                    return Err(file_error(
                        file,
                        format!(
                            "the header names {}; name it {name} like its file",
                            query.name
                        ),
                    ));
                }
                Ok(query)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Catalog {
            database_ddl: tables::statement(files::DATABASE),
            tables,
            views,
            queries,
        })
    }

    /// The query named `name`; an unknown name's error lists the known ones.
    pub fn query(&self, name: &str) -> Result<&Query, CatalogError> {
        self.queries
            .iter()
            .find(|q| q.name == name)
            .ok_or_else(|| CatalogError::UnknownQuery {
                name: name.to_owned(),
                known: self.queries.iter().map(|q| q.name.clone()).collect(),
            })
    }

    /// Every query, in the order of [`files`].
    pub fn queries(&self) -> impl Iterator<Item = &Query> {
        self.queries.iter()
    }

    /// The views' `CREATE OR REPLACE VIEW` statements, in the order they must be run (a view
    /// reads only tables and the views before it).
    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// The tables' DDL, `${bucket}` unreplaced; run after [`Catalog::database_ddl`] and
    /// before the views.
    pub fn table_ddl(&self) -> &[Table] {
        &self.tables
    }

    /// The table named `name`, if there is one.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// `CREATE DATABASE IF NOT EXISTS linkedin_ads`, the first statement to run.
    pub fn database_ddl(&self) -> &str {
        &self.database_ddl
    }
}
