//! Just enough of SQL's lexical structure to find what matters outside string literals,
//! quoted identifiers and comments: the `?` placeholders, and the text without comments.

/// What a character of SQL text is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Code: keywords, names, operators, placeholders.
    Code,
    /// Inside `'...'` (a doubled `''` stays inside).
    Literal,
    /// Inside `"..."` (a doubled `""` stays inside).
    Identifier,
    /// From `--` to the end of the line.
    LineComment,
    /// Inside `/* ... */`.
    BlockComment,
}

/// Walks `sql`, calling `visit` with each character and what it is part of (a comment's
/// opening and closing characters count as comment).
fn walk(sql: &str, mut visit: impl FnMut(char, Part)) {
    let chars: Vec<char> = sql.chars().collect();
    let mut part = Part::Code;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match part {
            Part::Code => match (c, next) {
                ('-', Some('-')) => {
                    part = Part::LineComment;
                    visit(c, part);
                }
                ('/', Some('*')) => {
                    part = Part::BlockComment;
                    visit(c, part);
                    visit('*', part);
                    i += 1;
                }
                ('\'', _) => {
                    visit(c, Part::Literal);
                    part = Part::Literal;
                }
                ('"', _) => {
                    visit(c, Part::Identifier);
                    part = Part::Identifier;
                }
                _ => visit(c, Part::Code),
            },
            Part::Literal | Part::Identifier => {
                let quote = if part == Part::Literal { '\'' } else { '"' };
                visit(c, part);
                if c == quote {
                    if next == Some(quote) {
                        visit(quote, part);
                        i += 1;
                    } else {
                        part = Part::Code;
                    }
                }
            }
            Part::LineComment => {
                if c == '\n' {
                    part = Part::Code;
                    visit(c, part);
                } else {
                    visit(c, part);
                }
            }
            Part::BlockComment => {
                visit(c, part);
                if c == '*' && next == Some('/') {
                    visit('/', part);
                    i += 1;
                    part = Part::Code;
                }
            }
        }
        i += 1;
    }
}

/// The number of `?` placeholders in `sql`, not counting any inside a string literal, a
/// quoted identifier or a comment.
pub fn placeholders(sql: &str) -> usize {
    let mut count = 0;
    walk(sql, |c, part| {
        if c == '?' && part == Part::Code {
            count += 1;
        }
    });
    count
}

/// `sql` with its comments removed (each replaced by nothing, line ends kept), string
/// literals and quoted identifiers untouched.
pub fn without_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    walk(sql, |c, part| {
        if !matches!(part, Part::LineComment | Part::BlockComment) {
            out.push(c);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_only_question_marks_in_code() {
        // GIVEN question marks in code, a literal, an escaped literal, an identifier and
        // both kinds of comment
        let sql = "-- is it? \nSELECT ? , 'why?', 'it''s ?', \"a?\" /* or? */ FROM t WHERE x = ?";
        // THEN only the two in code count
        assert_eq!(placeholders(sql), 2);
        assert_eq!(placeholders("SELECT 1"), 0);
        assert_eq!(placeholders("SELECT '?'?"), 1);
    }

    #[test]
    fn comments_are_removed_and_literals_kept() {
        let sql = "SELECT '--not' -- gone\n, a /* gone\n too */ FROM t";
        assert_eq!(without_comments(sql), "SELECT '--not' \n, a  FROM t");
    }

    #[test]
    fn an_unterminated_literal_hides_the_rest() {
        assert_eq!(placeholders("SELECT 'open ? "), 0);
    }
}
