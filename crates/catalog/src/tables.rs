//! The tables' DDL, and what the local engine needs from it: the columns and their types,
//! the partition keys, where the files are (the path after `s3://${bucket}/`) and their
//! format. Read from the same `CREATE EXTERNAL TABLE` text Athena runs.

use crate::lexer;

/// The placeholder for the data bucket's name in the DDL, substituted by the deploy step.
pub const BUCKET_PLACEHOLDER: &str = "${bucket}";

/// One table of `athena/tables/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its name, e.g. `creative_daily`.
    pub name: String,
    /// Its `CREATE EXTERNAL TABLE IF NOT EXISTS` statement, `${bucket}` unreplaced, header
    /// comments kept, without the final `;`.
    pub sql: String,
    /// The columns in the files, in order.
    pub columns: Vec<Column>,
    /// The partition keys, in path order (`dt`, then `account_id`); not in the files.
    pub partition_keys: Vec<Column>,
    /// Where its files are, relative to the bucket: e.g. `processed/creative_daily/`.
    pub prefix: String,
    /// How its files are written.
    pub format: Format,
}

/// A column of a table: its name and its Athena type as the DDL writes it, upper case:
/// `BIGINT`, `STRING`, `DECIMAL(38,18)`, `TIMESTAMP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// Its Athena (Hive DDL) type.
    pub sql_type: String,
}

/// How a table's files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `STORED AS PARQUET`.
    Parquet,
    /// `ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'`: one JSON object per line.
    JsonLines,
}

impl Table {
    /// The statement with `${bucket}` replaced by `bucket`, ready for Athena.
    pub fn sql_for_bucket(&self, bucket: &str) -> String {
        self.sql.replace(BUCKET_PLACEHOLDER, bucket)
    }

    /// Reads `sql`, the DDL of the table `name`; the message says what is missing.
    pub(crate) fn parse(name: &str, sql: &str) -> Result<Table, String> {
        let code = lexer::without_comments(sql);
        let upper = code.to_ascii_uppercase();
        let create = "CREATE EXTERNAL TABLE IF NOT EXISTS ";
        let start = upper
            .find(create)
            .ok_or("no `CREATE EXTERNAL TABLE IF NOT EXISTS <name> (...)`")?
            + create.len();
        let open = code[start..]
            .find('(')
            .map(|i| start + i)
            .ok_or("no column list")?;
        let declared = code[start..open].trim();
        if declared != name {
            return Err(format!("the DDL creates {declared}, not {name}"));
        }
        let columns = column_list(&code, open)?;
        let partition_keys = match upper.find("PARTITIONED BY") {
            Some(at) => {
                let open = code[at..]
                    .find('(')
                    .map(|i| at + i)
                    .ok_or("PARTITIONED BY without a column list")?;
                column_list(&code, open)?
            }
            None => Vec::new(),
        };
        let location = format!(
            "LOCATION 'S3://{}/",
            BUCKET_PLACEHOLDER.to_ascii_uppercase()
        );
        let at = upper
            .find(&location)
            .ok_or("no LOCATION 's3://${bucket}/...'")?
            + location.len();
        let end = code[at..]
            .find('\'')
            .map(|i| at + i)
            .ok_or("LOCATION is not closed")?;
        let prefix = code[at..end].to_owned();
        let format = if upper.contains("STORED AS PARQUET") {
            Format::Parquet
        } else if upper.contains("JSONSERDE") {
            Format::JsonLines
        } else {
            return Err("neither STORED AS PARQUET nor a JSON SerDe".to_owned());
        };
        Ok(Table {
            name: name.to_owned(),
            sql: statement(sql),
            columns,
            partition_keys,
            prefix,
            format,
        })
    }
}

/// The one statement of a file: trailing blanks and the final `;` removed.
pub(crate) fn statement(sql: &str) -> String {
    let sql = sql.trim_end();
    sql.strip_suffix(';').unwrap_or(sql).trim_end().to_owned()
}

/// The `name TYPE, ...` list in the parentheses opening at `open`.
fn column_list(code: &str, open: usize) -> Result<Vec<Column>, String> {
    let mut depth = 0;
    let mut items = Vec::new();
    let mut item_start = open + 1;
    for (i, c) in code[open..].char_indices().map(|(i, c)| (open + i, c)) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    items.push(&code[item_start..i]);
                    return items
                        .into_iter()
                        .map(|item| {
                            let mut words = item.split_whitespace();
                            let name = words.next().ok_or("an empty column")?;
                            let sql_type: String = words.collect::<Vec<_>>().join(" ");
                            if sql_type.is_empty() {
                                return Err(format!("column {name} has no type"));
                            }
                            Ok(Column {
                                name: name.to_owned(),
                                sql_type: sql_type.to_ascii_uppercase().replace(' ', ""),
                            })
                        })
                        .collect();
                }
            }
            ',' if depth == 1 => {
                items.push(&code[item_start..i]);
                item_start = i + 1;
            }
            _ => {}
        }
    }
    Err("a column list is not closed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_gives_columns_partitions_prefix_and_format() {
        // GIVEN DDL with a header comment holding parentheses and a decimal's comma
        let sql = "-- t: (a note, with a comma)\n\
                   CREATE EXTERNAL TABLE IF NOT EXISTS t (\n  a BIGINT,\n  b DECIMAL(38, 18),\n  c string\n)\n\
                   PARTITIONED BY (dt STRING, account_id STRING)\nSTORED AS PARQUET\n\
                   LOCATION 's3://${bucket}/processed/t/'\nTBLPROPERTIES ('x' = 'y');\n";
        // WHEN parsed
        let table = Table::parse("t", sql).unwrap();
        // THEN
        let columns: Vec<_> = table
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.sql_type.as_str()))
            .collect();
        assert_eq!(
            columns,
            vec![("a", "BIGINT"), ("b", "DECIMAL(38,18)"), ("c", "STRING")]
        );
        let keys: Vec<_> = table
            .partition_keys
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(keys, vec!["dt", "account_id"]);
        assert_eq!(table.prefix, "processed/t/");
        assert_eq!(table.format, Format::Parquet);
        assert!(table.sql.ends_with("TBLPROPERTIES ('x' = 'y')"));
        assert!(
            table
                .sql_for_bucket("b1")
                .contains("LOCATION 's3://b1/processed/t/'")
        );
    }

    #[test]
    fn ddl_of_another_table_or_without_location_is_refused() {
        let sql = "CREATE EXTERNAL TABLE IF NOT EXISTS u (a BIGINT) STORED AS PARQUET \
                   LOCATION 's3://${bucket}/u/'";
        assert!(Table::parse("t", sql).unwrap_err().contains("creates u"));
        let sql = "CREATE EXTERNAL TABLE IF NOT EXISTS t (a BIGINT) STORED AS PARQUET";
        assert!(Table::parse("t", sql).unwrap_err().contains("LOCATION"));
    }
}
