//! The line pass before the Markdown parser: it reads outlines the way people write
//! them, then hands pulldown-cmark plain CommonMark.
//!
//! - A LaTeX macro preamble (`%` comments, `\newcommand`, `\DeclareMathOperator`,
//!   `\let`, `\def` and their kin, including definitions whose braces run over several
//!   lines) becomes blank lines, wherever it appears outside code.
//! - Bullets nest by indentation: any deeper indentation (spaces or tabs, any width)
//!   makes a child, as outliners write it, where CommonMark wants the parent's content
//!   column. Bullet lines and the lines that continue them are re-indented so that the
//!   parser sees that nesting. Deeper than [`MAX_GENERATIONS`], bullets are moved up.
//! - An unindented line right after a bullet starts a new block rather than continuing
//!   the bullet lazily: in an outline, such a line is a heading or a remark.
//! - Thematic breaks and setext underlines become blank lines.
//!
//! Front matter and fenced code are copied as they are. Every output line keeps the
//! number of the input line it came from, for the import report.

use super::MAX_GENERATIONS;

/// The text for the parser and where its lines came from.
pub(crate) struct Prepared {
    /// The CommonMark text, LF line endings.
    pub text: String,
    /// For each line of `text`, the 1-based line of the input it came from.
    pub lines: Vec<usize>,
    /// How many bullets sat deeper than [`MAX_GENERATIONS`] and were moved up.
    pub flattened: usize,
    /// The deepest nesting of bullets in the input.
    pub deepest: usize,
    /// The input line of a code fence that is never closed, if any.
    pub unclosed_fence: Option<usize>,
}

/// An open bullet: its indentation in the input, and its content column in the input
/// and in the output.
#[derive(Clone, Copy)]
struct Open {
    indent: usize,
    content: usize,
    new_content: usize,
}

/// An open code fence: its character and length, and the bullet it sits in.
struct Fence {
    mark: char,
    len: usize,
    owner: Option<Open>,
    line: usize,
}

struct Output {
    text: String,
    lines: Vec<usize>,
}

impl Output {
    fn push(&mut self, line: &str, from: usize) {
        self.text.push_str(line);
        self.text.push('\n');
        self.lines.push(from);
    }

    fn push_indented(&mut self, indent: usize, content: &str, from: usize) {
        self.text.extend(std::iter::repeat_n(' ', indent));
        self.push(content, from);
    }
}

/// Prepares `markdown` (any line endings, maybe a byte-order mark) for the parser.
pub(crate) fn prepare(markdown: &str) -> Prepared {
    let text = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let raw: Vec<&str> = text.split('\n').collect();
    let mut out = Output {
        text: String::with_capacity(text.len() + 64),
        lines: Vec::with_capacity(raw.len()),
    };
    let mut index = 0;
    if let Some(end) = front_matter_end(&raw) {
        for (i, line) in raw.iter().enumerate().take(end + 1) {
            out.push(line, i + 1);
        }
        index = end + 1;
    }
    let mut open: Vec<Open> = Vec::new();
    let mut fence: Option<Fence> = None;
    // Whether the previous line was a bullet or a line continuing one.
    let mut in_bullet = false;
    let mut flattened = 0;
    let mut deepest = 0;
    while index < raw.len() {
        let number = index + 1;
        let line = raw[index].trim_end_matches([' ', '\t']);
        let content = line.trim_start_matches([' ', '\t']);
        let indent = indent_width(line);
        index += 1;
        if let Some(f) = &fence {
            let closes = fence_of(content).is_some_and(|(mark, len, rest)| {
                mark == f.mark && len >= f.len && rest.trim().is_empty()
            });
            match f.owner {
                Some(owner) if !content.is_empty() => out.push_indented(
                    owner.new_content + indent.saturating_sub(owner.content),
                    content,
                    number,
                ),
                Some(_) => out.push("", number),
                None => out.push(raw[index - 1], number),
            }
            if closes {
                fence = None;
            }
            continue;
        }
        if content.is_empty() {
            in_bullet = false;
            out.push("", number);
            continue;
        }
        if is_thematic_break(content) {
            in_bullet = false;
            open.clear();
            out.push("", number);
            continue;
        }
        if let Some(mut braces) = preamble_braces(content) {
            // A definition whose braces stay open runs over the following lines.
            out.push("", number);
            while braces > 0 && index < raw.len() {
                let next = raw[index].trim();
                if next.is_empty() || bullet(next).is_some() {
                    break;
                }
                braces += brace_balance(next);
                out.push("", index + 1);
                index += 1;
            }
            in_bullet = false;
            continue;
        }
        if let Some((marker, text)) = bullet(content) {
            while open.last().is_some_and(|o| o.indent >= indent) {
                open.pop();
            }
            deepest = deepest.max(open.len() + 1);
            // Deeper than note files allow: a child of the claim at the last level but one.
            let parents = if open.len() >= MAX_GENERATIONS {
                flattened += 1;
                &open[..MAX_GENERATIONS - 1]
            } else {
                &open[..]
            };
            let new_indent = parents.last().map_or(0, |o| o.new_content);
            let this = Open {
                indent,
                content: indent + marker.len() + 1,
                new_content: new_indent + marker.len() + 1,
            };
            if text.is_empty() {
                out.push_indented(new_indent, marker, number);
            } else {
                out.push_indented(new_indent, &format!("{marker} {text}"), number);
            }
            if let Some((mark, len, _)) = fence_of(text) {
                fence = Some(Fence {
                    mark,
                    len,
                    owner: Some(this),
                    line: number,
                });
            }
            open.push(this);
            in_bullet = true;
            continue;
        }
        if indent > 0
            && let Some(owner) = open.iter().rev().find(|o| o.indent < indent).copied()
        {
            out.push_indented(
                owner.new_content + indent.saturating_sub(owner.content),
                content,
                number,
            );
            if let Some((mark, len, _)) = fence_of(content) {
                fence = Some(Fence {
                    mark,
                    len,
                    owner: Some(owner),
                    line: number,
                });
            }
            continue;
        }
        if in_bullet {
            // Not a lazy continuation of the bullet above: a block of its own.
            out.push("", number);
        }
        in_bullet = false;
        open.clear();
        out.push(raw[index - 1], number);
        if let Some((mark, len, _)) = fence_of(content) {
            fence = Some(Fence {
                mark,
                len,
                owner: None,
                line: number,
            });
        }
    }
    Prepared {
        text: out.text,
        lines: out.lines,
        flattened,
        deepest,
        unclosed_fence: fence.map(|f| f.line),
    }
}

/// The index of the line that closes front matter (`---` or `+++` on the first line),
/// if the file starts with front matter.
pub(crate) fn front_matter_end(raw: &[&str]) -> Option<usize> {
    let first = raw.first()?.trim_end();
    let closers: &[&str] = match first {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return None,
    };
    raw.iter()
        .skip(1)
        .position(|l| closers.contains(&l.trim_end()))
        .map(|i| i + 1)
}

/// A code fence opener or closer: its character, its length and the rest of the line.
fn fence_of(content: &str) -> Option<(char, usize, &str)> {
    let mark = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = content.chars().take_while(|&c| c == mark).count();
    (len >= 3).then(|| (mark, len, &content[len..]))
}

/// A thematic break: three or more `-`, `*` or `_` (the same one), maybe spaced; also
/// a setext heading's `===` underline.
fn is_thematic_break(content: &str) -> bool {
    let marks: Vec<char> = content
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t'))
        .collect();
    marks.len() >= 3
        && matches!(marks[0], '-' | '*' | '_' | '=')
        && marks.iter().all(|&c| c == marks[0])
        && (marks[0] != '=' || !content.contains([' ', '\t']))
}

/// LaTeX commands whose lines belong to a macro preamble, never to the outline.
const PREAMBLE_COMMANDS: &[&str] = &[
    "newcommand",
    "renewcommand",
    "providecommand",
    "DeclareRobustCommand",
    "NewDocumentCommand",
    "RenewDocumentCommand",
    "ProvideDocumentCommand",
    "DeclareDocumentCommand",
    "NewCommandCopy",
    "DeclareMathOperator",
    "DeclarePairedDelimiter",
    "DeclarePairedDelimiterX",
    "DeclareMathSymbol",
    "DeclareMathAlphabet",
    "DeclareSymbolFont",
    "newenvironment",
    "renewenvironment",
    "newtheorem",
    "let",
    "def",
    "gdef",
    "edef",
    "xdef",
    "global",
    "long",
    "newif",
    "newcounter",
    "setcounter",
    "newlength",
    "setlength",
    "usepackage",
    "RequirePackage",
    "documentclass",
    "makeatletter",
    "makeatother",
    "require",
];

/// For a preamble line (a `%` comment or a macro definition), how many of its braces
/// stay open; `None` for any other line.
fn preamble_braces(content: &str) -> Option<i64> {
    if content.starts_with('%') {
        return Some(0);
    }
    let name = content.strip_prefix('\\')?;
    let end = name
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(name.len());
    PREAMBLE_COMMANDS
        .contains(&&name[..end])
        .then(|| brace_balance(content))
}

/// Opening braces less closing ones, outside `%` comments and escapes such as `\{`.
fn brace_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '%' => break,
            '{' => balance += 1,
            '}' => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// A bullet line's marker (`-`, `*`, `+`, `1.`, `1)`) and text, or `None` when
/// `content` (the line without its indentation) is not a bullet.
fn bullet(content: &str) -> Option<(&str, &str)> {
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    let marker_len = if digits > 0 {
        if digits > 9 || !matches!(content.as_bytes().get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    } else if content.starts_with(['-', '*', '+']) {
        1
    } else {
        return None;
    };
    let (marker, rest) = content.split_at(marker_len);
    if rest.is_empty() {
        return Some((marker, rest));
    }
    let text = rest.strip_prefix([' ', '\t'])?;
    Some((marker, text.trim()))
}

/// The width of a line's indentation, with tab stops every four columns.
fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}
