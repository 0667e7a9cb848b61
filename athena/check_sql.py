#!/usr/bin/env python3
"""Parses every .sql file under athena/ with sqlglot's Trino dialect.

Usage: python3 athena/check_sql.py [athena directory]   (default: this file's directory)

`${bucket}` (the deploy step's placeholder) is replaced by a bucket name first. Exits 0
when every file parses, 1 naming each file that does not, 2 when sqlglot is missing.
The catalog crate's tests run this script; .ci/run installs sqlglot with pip.
"""

import logging
import pathlib
import sys

try:
    import sqlglot
    from sqlglot.errors import ParseError, TokenError
except ImportError:
    print("sqlglot is not installed: pip install sqlglot", file=sys.stderr)
    sys.exit(2)


def check(path: pathlib.Path) -> str | None:
    """The reason `path` does not parse as Trino, or None."""
    text = path.read_text(encoding="utf-8").replace("${bucket}", "example-bucket")
    try:
        statements = [s for s in sqlglot.parse(text, read="trino") if s is not None]
    except (ParseError, TokenError) as error:
        return str(error)
    if not statements:
        return "no SQL statement"
    for statement in statements:
        # sqlglot falls back to an opaque Command for syntax it does not know: that is
        # not a parse, so it fails the check.
        if isinstance(statement, sqlglot.exp.Command):
            return f"unsupported syntax, kept only as an opaque command: {statement.sql()[:80]}"
    return None


def main() -> int:
    # The fallback warning is reported as a failure below, naming the file.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).parent
    files = sorted(root.rglob("*.sql"))
    if not files:
        print(f"no .sql file under {root}", file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        reason = check(path)
        if reason is not None:
            failed += 1
            print(f"{path}: does not parse as Trino: {reason}", file=sys.stderr)
    print(f"{len(files) - failed} of {len(files)} files parse as Trino (sqlglot {sqlglot.__version__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
