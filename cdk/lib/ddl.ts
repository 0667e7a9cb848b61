/**
 * A reader of the Athena DDL in `athena/tables/`: `CREATE DATABASE` and `CREATE EXTERNAL
 * TABLE` statements, read into plain data (columns, partition keys, location, storage
 * format, table properties) so the stack builds its Glue catalog from the very text Athena
 * and the local engine read. The SQL stays the single source of truth: a column added there
 * reaches Glue on the next synth, and a statement this reader does not understand fails the
 * synth naming the file, the line and what it expected, rather than deploying a guess.
 *
 * It reads the Hive DDL subset those files use — scalar column types, `PARTITIONED BY`,
 * `ROW FORMAT SERDE`, `STORED AS`, `LOCATION`, `TBLPROPERTIES`, `COMMENT` — and refuses the
 * rest (complex types, `ROW FORMAT DELIMITED`, `CLUSTERED BY`, ...).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The placeholder for the data bucket's name in the DDL (athena/README.md, "Deploy"). */
export const BUCKET_PLACEHOLDER = '${bucket}';

/** A column or partition key: its name and its type as the DDL writes it, upper case. */
export interface Column {
  readonly name: string;
  /** e.g. `BIGINT`, `STRING`, `DECIMAL(38,18)`, `TIMESTAMP`. */
  readonly type: string;
}

/** How a table's files are written. */
export type StorageFormat = 'parquet' | 'json-lines';

/** One `CREATE EXTERNAL TABLE` statement, read. */
export interface TableDefinition {
  readonly name: string;
  /** The columns in the files, in order. */
  readonly columns: readonly Column[];
  /** The partition keys, in path order; not in the files. */
  readonly partitionKeys: readonly Column[];
  /** `LOCATION`, `${bucket}` unreplaced, e.g. `s3://${bucket}/processed/creatives/`. */
  readonly location: string;
  /** The location relative to the bucket, e.g. `processed/creatives/`. */
  readonly prefix: string;
  readonly format: StorageFormat;
  /** The SerDe's class (given by `ROW FORMAT SERDE`, or implied by `STORED AS PARQUET`). */
  readonly serde: string;
  /** `TBLPROPERTIES`, in order, `${bucket}` unreplaced. */
  readonly properties: Readonly<Record<string, string>>;
}

/** The database statement and the tables of a `tables/` directory. */
export interface Catalog {
  readonly database: string;
  readonly tables: readonly TableDefinition[];
}

const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';

/** Scalar types and how many parenthesised arguments each takes ([min, max]). */
const TYPES: Readonly<Record<string, readonly [number, number]>> = {
  BOOLEAN: [0, 0],
  TINYINT: [0, 0],
  SMALLINT: [0, 0],
  INT: [0, 0],
  INTEGER: [0, 0],
  BIGINT: [0, 0],
  FLOAT: [0, 0],
  DOUBLE: [0, 0],
  DECIMAL: [0, 2],
  STRING: [0, 0],
  VARCHAR: [1, 1],
  CHAR: [1, 1],
  DATE: [0, 0],
  TIMESTAMP: [0, 0],
  BINARY: [0, 0],
};

/** Reads every `*.sql` file of `dir`: exactly one `CREATE DATABASE`, the rest tables, each
 * named like its file (`creatives.sql` creates `creatives`). */
export function readCatalog(dir: string): Catalog {
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const databases: string[] = [];
  const tables: TableDefinition[] = [];
  for (const file of files) {
    const where = path.join(dir, file);
    const sql = fs.readFileSync(where, 'utf8');
    if (/^\s*CREATE\s+(DATABASE|SCHEMA)\b/i.test(withoutComments(sql))) {
      databases.push(parseDatabase(sql, where));
      continue;
    }
    const table = parseTable(sql, where);
    const expected = path.basename(file, '.sql');
    if (table.name !== expected) {
      throw new Error(`${where}: creates table '${table.name}'; a table's file is named after it (${table.name}.sql)`);
    }
    tables.push(table);
  }
  if (databases.length !== 1) {
    throw new Error(`${dir}: expected exactly one CREATE DATABASE file, found ${databases.length}`);
  }
  if (tables.length === 0) {
    throw new Error(`${dir}: no CREATE EXTERNAL TABLE file`);
  }
  return { database: databases[0], tables };
}

/** The database a `CREATE DATABASE [IF NOT EXISTS] name` statement creates. */
export function parseDatabase(sql: string, source = 'SQL'): string {
  const p = new Parser(tokenize(sql, source), source);
  p.keyword('CREATE');
  p.keyword('DATABASE', 'SCHEMA');
  p.ifNotExists();
  const name = p.identifier('the database name');
  p.end();
  return name;
}

/** Reads one `CREATE EXTERNAL TABLE` statement. */
export function parseTable(sql: string, source = 'SQL'): TableDefinition {
  const p = new Parser(tokenize(sql, source), source);
  p.keyword('CREATE');
  p.keyword('EXTERNAL');
  p.keyword('TABLE');
  p.ifNotExists();
  const name = p.identifier('the table name');
  const columns = p.columnList();

  let partitionKeys: Column[] = [];
  let serde: string | undefined;
  let storedAs: string | undefined;
  let location: string | undefined;
  let properties: Record<string, string> = {};
  const seen = new Set<string>();
  const once = (clause: string) => {
    if (seen.has(clause)) p.fail(`${clause} is given twice`);
    seen.add(clause);
  };
  while (!p.atEnd()) {
    const clause = p.keyword('PARTITIONED', 'ROW', 'STORED', 'LOCATION', 'TBLPROPERTIES', 'COMMENT');
    once(clause);
    switch (clause) {
      case 'PARTITIONED':
        p.keyword('BY');
        partitionKeys = p.columnList();
        break;
      case 'ROW':
        p.keyword('FORMAT');
        p.keyword('SERDE');
        serde = p.string('the SerDe class');
        if (p.peekKeyword('WITH')) {
          p.fail('WITH SERDEPROPERTIES is not supported (nor read by sqlglot, athena/README.md)');
        }
        break;
      case 'STORED':
        p.keyword('AS');
        storedAs = p.keyword('PARQUET', 'TEXTFILE');
        break;
      case 'LOCATION':
        location = p.string("the table's S3 location");
        break;
      case 'TBLPROPERTIES':
        properties = p.propertyList();
        break;
      case 'COMMENT':
        p.string('the comment');
        break;
    }
  }

  const fail = (message: string): never => {
    throw new Error(`${source}: table ${name}: ${message}`);
  };
  const names = [...columns, ...partitionKeys].map((column) => column.name);
  const repeated = names.find((column, i) => names.indexOf(column) !== i);
  if (repeated) fail(`column '${repeated}' is declared twice`);

  let format: StorageFormat;
  if (storedAs === 'PARQUET' && (serde === undefined || serde === PARQUET_SERDE)) {
    format = 'parquet';
    serde = PARQUET_SERDE;
  } else if (serde === JSON_SERDE && (storedAs === undefined || storedAs === 'TEXTFILE')) {
    format = 'json-lines';
  } else {
    return fail(
      `unsupported storage (ROW FORMAT SERDE ${serde ?? '-'}, STORED AS ${storedAs ?? '-'}): ` +
        `write STORED AS PARQUET, or ROW FORMAT SERDE '${JSON_SERDE}'`,
    );
  }

  if (location === undefined) return fail('no LOCATION');
  const root = `s3://${BUCKET_PLACEHOLDER}/`;
  if (!location.startsWith(root) || !location.endsWith('/') || location.length === root.length) {
    fail(`LOCATION must be a folder of the data bucket, '${root}<prefix>/' (got '${location}')`);
  }

  if (partitionKeys.length > 0) {
    if (properties['projection.enabled'] !== 'true') {
      fail("is partitioned but has no 'projection.enabled' = 'true': partitions are projected, never added by hand");
    }
    for (const key of partitionKeys) {
      if (properties[`projection.${key.name}.type`] === undefined) {
        fail(`partition key ${key.name} has no 'projection.${key.name}.type'`);
      }
    }
    const template = properties['storage.location.template'];
    if (template === undefined || !template.startsWith(location.replace(/\/$/, ''))) {
      fail(`'storage.location.template' must be given, under the LOCATION ${location}`);
    }
    for (const key of partitionKeys) {
      if (!template.includes('${' + key.name + '}')) {
        fail(`'storage.location.template' does not place partition key ${key.name} (\${${key.name}})`);
      }
    }
  }

  return {
    name,
    columns,
    partitionKeys,
    location,
    prefix: location.slice(root.length),
    format,
    serde: serde!,
    properties,
  };
}

/** A DDL type as Glue's catalog stores it: lower case, `INTEGER` as `int`. */
export function glueType(type: string): string {
  const lower = type.toLowerCase().replace(/\s+/g, '');
  return lower === 'integer' ? 'int' : lower;
}

/** `text` with `${bucket}` replaced by `bucketName` (a CDK token is fine). */
export function withBucket(text: string, bucketName: string): string {
  return text.split(BUCKET_PLACEHOLDER).join(bucketName);
}

// ---- tokens ----------------------------------------------------------------------------

type TokenKind = 'word' | 'string' | 'number' | 'symbol';

interface Token {
  readonly kind: TokenKind;
  /** The word as written (quoted identifiers unquoted), the string's value, the digits, or
   * the symbol. */
  readonly text: string;
  readonly line: number;
}

function withoutComments(sql: string): string {
  return tokenize(sql, 'SQL', true)
    .map((token) => token.text)
    .join(' ');
}

function tokenize(sql: string, source: string, lenient = false): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`${source}:${line}: ${message}`);
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) fail('unclosed /* comment');
      line += sql.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (c === "'") {
      let value = '';
      const start = line;
      i++;
      for (;;) {
        if (i >= sql.length) {
          line = start;
          fail('unclosed string literal');
        }
        if (sql[i] === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (sql[i] === '\n') line++;
        value += sql[i++];
      }
      tokens.push({ kind: 'string', text: value, line: start });
    } else if (c === '`' || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) fail(`unclosed ${c}quoted identifier`);
      tokens.push({ kind: 'word', text: sql.slice(i + 1, end), line });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      tokens.push({ kind: 'word', text: match[0], line });
      i += match[0].length;
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+/.exec(sql.slice(i))!;
      tokens.push({ kind: 'number', text: match[0], line });
      i += match[0].length;
    } else if ('(),=;<>'.includes(c)) {
      tokens.push({ kind: 'symbol', text: c, line });
      i++;
    } else if (lenient) {
      i++;
    } else {
      fail(`unexpected character '${c}'`);
    }
  }
  return tokens;
}

// ---- grammar ---------------------------------------------------------------------------

class Parser {
  private at = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
  ) {}

  fail(message: string): never {
    const token = this.tokens[Math.min(this.at, this.tokens.length - 1)];
    throw new Error(`${this.source}:${token?.line ?? 1}: ${message}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private describe(token: Token | undefined): string {
    return token === undefined ? 'the end of the statement' : `'${token.text}'`;
  }

  /** The statement is over: only `;` may be left. */
  atEnd(): boolean {
    const token = this.peek();
    if (token === undefined) return true;
    if (token.kind === 'symbol' && token.text === ';') {
      this.at++;
      if (this.peek() !== undefined) this.fail(`unexpected ${this.describe(this.peek())} after ';' (one statement per file)`);
      return true;
    }
    return false;
  }

  end(): void {
    if (!this.atEnd()) this.fail(`expected the end of the statement, found ${this.describe(this.peek())}`);
  }

  peekKeyword(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  /** One of `words` (upper case), returned as written upper case. */
  keyword(...words: string[]): string {
    const token = this.peek();
    const upper = token?.kind === 'word' ? token.text.toUpperCase() : undefined;
    if (upper === undefined || !words.includes(upper)) {
      this.fail(`expected ${words.join(' or ')}, found ${this.describe(token)}`);
    }
    this.at++;
    return upper;
  }

  ifNotExists(): void {
    if (this.peekKeyword('IF')) {
      this.keyword('IF');
      this.keyword('NOT');
      this.keyword('EXISTS');
    }
  }

  identifier(what: string): string {
    const token = this.peek();
    if (token?.kind !== 'word') this.fail(`expected ${what}, found ${this.describe(token)}`);
    this.at++;
    return token.text.toLowerCase();
  }

  string(what: string): string {
    const token = this.peek();
    if (token?.kind !== 'string') this.fail(`expected ${what} as a '...' string, found ${this.describe(token)}`);
    this.at++;
    return token.text;
  }

  symbol(symbol: string): void {
    const token = this.peek();
    if (token?.kind !== 'symbol' || token.text !== symbol) {
      this.fail(`expected '${symbol}', found ${this.describe(token)}`);
    }
    this.at++;
  }

  private maybeSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token?.kind === 'symbol' && token.text === symbol) {
      this.at++;
      return true;
    }
    return false;
  }

  /** `( name TYPE [COMMENT '...'], ... )`. */
  columnList(): Column[] {
    this.symbol('(');
    const columns: Column[] = [];
    do {
      const name = this.identifier('a column name');
      columns.push({ name, type: this.type(name) });
      if (this.peekKeyword('COMMENT')) {
        this.keyword('COMMENT');
        this.string('the comment');
      }
    } while (this.maybeSymbol(','));
    this.symbol(')');
    return columns;
  }

  private type(column: string): string {
    const token = this.peek();
    if (token?.kind !== 'word') this.fail(`expected the type of column ${column}, found ${this.describe(token)}`);
    const name = token.text.toUpperCase();
    if (['ARRAY', 'MAP', 'STRUCT', 'UNIONTYPE'].includes(name)) {
      this.fail(`column ${column}: complex type ${name} is not supported; use scalar columns`);
    }
    const arity = TYPES[name];
    if (arity === undefined) {
      this.fail(`column ${column}: unknown type ${token.text} (known: ${Object.keys(TYPES).join(', ')})`);
    }
    this.at++;
    const args: string[] = [];
    if (this.maybeSymbol('(')) {
      do {
        const arg = this.peek();
        if (arg?.kind !== 'number') this.fail(`column ${column}: expected a number in ${name}(...), found ${this.describe(arg)}`);
        args.push(arg.text);
        this.at++;
      } while (this.maybeSymbol(','));
      this.symbol(')');
    }
    const [min, max] = arity;
    if (args.length < min || args.length > max) {
      this.fail(`column ${column}: ${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`);
    }
    return args.length > 0 ? `${name}(${args.join(',')})` : name;
  }

  /** `( 'key' = 'value', ... )`. */
  propertyList(): Record<string, string> {
    this.symbol('(');
    const properties: Record<string, string> = {};
    do {
      const key = this.string('a property name');
      this.symbol('=');
      const value = this.string(`the value of '${key}'`);
      if (key in properties) this.fail(`property '${key}' is given twice`);
      properties[key] = value;
    } while (this.maybeSymbol(','));
    this.symbol(')');
    return properties;
  }
}
