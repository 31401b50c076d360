//! Markdown to a note, on pulldown-cmark's event stream.
//!
//! Block structure comes from the parser; claim texts are the Markdown source of their
//! block, one line per space, so that emphasis, links, math and marks such as
//! `==highlight==` stay as written.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::meta::{Field, field, split_link};
use super::outline::Prepared;
use super::{Remark, fallback_title, is_labelled, new_claim};
use crate::model::{Caveat, CaveatRef, Claim, Section};

/// What the parser gave: the note's title, caveats and sections, and the front matter.
pub(crate) struct Body {
    pub title: Option<String>,
    pub caveats: Vec<CaveatRef>,
    pub sections: Vec<Section>,
    /// The front matter's fields, then the leading `Key: value` lines and bullets.
    pub fields: Vec<Field>,
    /// The link of a title heading such as `# [Title](url)`.
    pub title_url: Option<String>,
    /// Whether the title is the file name, the Markdown giving none.
    pub title_from_stem: bool,
    pub report: Vec<Remark>,
}

/// The parser options: CommonMark and the extensions notes use.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// A block being read that other blocks go into.
enum Frame {
    /// A list item: its text so far (empty until its first paragraph) and children.
    Item { claim: Box<Claim> },
    /// A block quote: the texts of its paragraphs.
    Quote { texts: Vec<String> },
    /// A footnote definition, not imported.
    Footnote,
}

struct Builder<'a> {
    prepared: &'a Prepared,
    line_starts: Vec<usize>,
    file_stem: &'a str,
    title: Option<String>,
    caveats: Vec<CaveatRef>,
    sections: Vec<Section>,
    fields: Vec<Field>,
    /// Whether `Key: value` lines are still read as metadata: until the first claim.
    meta_open: bool,
    title_url: Option<String>,
    title_from_stem: bool,
    report: Vec<Remark>,
    stack: Vec<Frame>,
    /// The source range of the inline content read since the last block boundary.
    inline: Option<Range<usize>>,
}

/// Reads the prepared text.
pub(crate) fn read(prepared: &Prepared, file_stem: &str) -> Body {
    let text = prepared.text.as_str();
    let mut builder = Builder {
        prepared,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        file_stem,
        title: None,
        caveats: Vec::new(),
        sections: Vec::new(),
        fields: Vec::new(),
        meta_open: true,
        title_url: None,
        title_from_stem: false,
        report: Vec::new(),
        stack: Vec::new(),
        inline: None,
    };
    let mut events = Parser::new_ext(text, options())
        .into_offset_iter()
        .peekable();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } => builder.inline = None,
                Tag::Item => {
                    builder.flush_item_text();
                    builder.stack.push(Frame::Item {
                        claim: Box::new(new_claim(String::new())),
                    });
                }
                Tag::List(_) => builder.flush_item_text(),
                Tag::BlockQuote(_) => {
                    builder.flush_item_text();
                    builder.stack.push(Frame::Quote { texts: Vec::new() });
                }
                Tag::FootnoteDefinition(_) => {
                    builder.flush_item_text();
                    builder.remark(range.start, "a footnote definition is not imported");
                    builder.stack.push(Frame::Footnote);
                }
                Tag::CodeBlock(_) | Tag::Table(_) | Tag::HtmlBlock => {
                    builder.flush_item_text();
                    let end = match tag {
                        Tag::CodeBlock(_) => TagEnd::CodeBlock,
                        Tag::Table(_) => TagEnd::Table,
                        _ => TagEnd::HtmlBlock,
                    };
                    for (event, _) in events.by_ref() {
                        if event == Event::End(end) {
                            break;
                        }
                    }
                    builder.whole_block(range);
                }
                Tag::MetadataBlock(kind) => {
                    let mut text = String::new();
                    for (event, _) in events.by_ref() {
                        match event {
                            Event::Text(t) => text.push_str(&t),
                            Event::End(_) => break,
                            _ => {}
                        }
                    }
                    let toml = kind == pulldown_cmark::MetadataBlockKind::PlusesStyle;
                    builder.front_matter(&text, toml);
                }
                _ => builder.extend(range),
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => {
                    let next_is_list = match events.peek() {
                        Some((Event::Start(Tag::List(_)), next)) => {
                            builder.line_of(next.start)
                                == builder.line_of(range.end.saturating_sub(1)) + 1
                        }
                        _ => false,
                    };
                    if let Some(inline) = builder.inline.take() {
                        builder.paragraph(inline, next_is_list);
                    }
                }
                TagEnd::Heading(_) => {
                    if let Some(inline) = builder.inline.take() {
                        let text = builder.text_of(inline);
                        builder.heading(text);
                    }
                }
                TagEnd::Item => {
                    builder.flush_item_text();
                    if let Some(Frame::Item { claim }) = builder.stack.pop() {
                        builder.item(*claim, range.start);
                    }
                }
                TagEnd::List(_) => builder.inline = None,
                TagEnd::BlockQuote(_) => {
                    if let Some(Frame::Quote { texts }) = builder.stack.pop() {
                        let mut claim = new_claim(texts.join(" "));
                        claim.kind = crate::model::ClaimKind::Quote;
                        if !claim.text.is_empty() {
                            builder.deliver(claim);
                        }
                    }
                }
                TagEnd::FootnoteDefinition => {
                    builder.stack.pop();
                }
                _ => builder.extend(range),
            },
            Event::Rule => builder.inline = None,
            _ => builder.extend(range),
        }
    }
    Body {
        title: builder.title,
        caveats: builder.caveats,
        sections: builder.sections,
        fields: builder.fields,
        title_url: builder.title_url,
        title_from_stem: builder.title_from_stem,
        report: builder.report,
    }
}

impl Builder<'_> {
    /// Front matter: its fields, and its `title` as the note's title.
    fn front_matter(&mut self, text: &str, toml: bool) {
        match super::meta::front_matter(text, toml, 1) {
            Ok(fields) => {
                if let Some(title) = fields.iter().find(|f| f.key == "title") {
                    let (title, url) = split_link(&title.value.text());
                    if !title.is_empty() {
                        self.title = Some(title);
                        self.title_url = url;
                    }
                }
                self.fields.extend(fields);
            }
            Err(remark) => self.report.push(remark),
        }
    }

    /// Adds an inline event's range to the inline content being read.
    fn extend(&mut self, range: Range<usize>) {
        self.inline = Some(match self.inline.take() {
            Some(inline) => inline.start.min(range.start)..inline.end.max(range.end),
            None => range,
        });
    }

    /// The 0-based line of the prepared text that holds `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The input line (1-based) that holds the prepared text's `offset`.
    fn input_line(&self, offset: usize) -> usize {
        self.prepared
            .lines
            .get(self.line_of(offset))
            .copied()
            .unwrap_or(1)
    }

    fn remark(&mut self, offset: usize, message: &str) {
        let line = self.input_line(offset);
        self.report.push(Remark {
            line,
            message: message.to_owned(),
        });
    }

    /// Whether the block being read sits in a block quote.
    fn in_quote(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::Quote { .. }))
    }

    /// The lines of `range`, each without its indentation (and quote marks in a block
    /// quote), with their offsets.
    fn lines_of(&self, range: Range<usize>) -> Vec<(usize, String)> {
        let quoted = self.in_quote();
        let text = &self.prepared.text[range.clone()];
        let mut offset = range.start;
        let mut lines = Vec::new();
        for line in text.split('\n') {
            let start = offset;
            offset += line.len() + 1;
            let mut line = line.trim();
            if quoted {
                while let Some(rest) = line.strip_prefix('>') {
                    line = rest.trim_start();
                }
            }
            if !line.is_empty() {
                lines.push((start, line.to_owned()));
            }
        }
        lines
    }

    /// The text of `range`: its lines joined with a space.
    fn text_of(&self, range: Range<usize>) -> String {
        let lines: Vec<String> = self.lines_of(range).into_iter().map(|(_, l)| l).collect();
        lines.join(" ")
    }

    /// Gives the inline content read so far to the list item being read, as its text.
    fn flush_item_text(&mut self) {
        let Some(inline) = self.inline.take() else {
            return;
        };
        let text = self.text_of(inline);
        if let Some(Frame::Item { claim }) = self.stack.last_mut() {
            if claim.text.is_empty() {
                claim.text = text;
            } else {
                claim.children.push(new_claim(text));
            }
        }
    }

    /// A code block, table or HTML block: kept whole, as one claim.
    fn whole_block(&mut self, range: Range<usize>) {
        let text = &self.prepared.text;
        let start = self.line_starts[self.line_of(range.start)];
        let block = text[start..range.end].trim_end();
        let indent = block
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let lines: Vec<&str> = block
            .lines()
            .map(|l| l.get(indent..).unwrap_or("").trim_end())
            .collect();
        let whole = lines.join("\n");
        if whole.starts_with("<!--") {
            self.remark(range.start, "an HTML comment is not imported");
            return;
        }
        if whole.trim().is_empty() {
            return;
        }
        self.deliver(new_claim(whole));
    }

    /// A claim made by a block: into the item or quote being read, or the section.
    fn deliver(&mut self, claim: Claim) {
        match self.stack.last_mut() {
            Some(Frame::Item { claim: item }) => {
                if item.text.is_empty() {
                    item.text = claim.text;
                    item.kind = claim.kind;
                } else {
                    item.children.push(claim);
                }
            }
            Some(Frame::Quote { texts }) => texts.push(claim.text),
            Some(Frame::Footnote) => {}
            None => {
                self.meta_open = false;
                self.section().claims.push(claim);
            }
        }
    }

    /// A finished list item.
    fn item(&mut self, mut claim: Claim, offset: usize) {
        if self.stack.is_empty() && self.meta_open && claim.children.is_empty() {
            let line = self.input_line(offset);
            if let Some(field) = field(&claim.text, line) {
                self.fields.push(field);
                return;
            }
        }
        claim.kind = super::kind_of(&claim.text, claim.kind);
        if claim.text.is_empty() {
            // An empty bullet says nothing; its children move up.
            for child in std::mem::take(&mut claim.children) {
                self.deliver(child);
            }
            return;
        }
        self.deliver(claim);
    }

    /// The section claims go into: the last one, or a first one titled like the note.
    fn section(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            if self.title.is_none() {
                self.title_from_stem = true;
            }
            let title = self
                .title
                .get_or_insert_with(|| fallback_title(self.file_stem))
                .clone();
            self.sections.push(new_section(title));
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn heading(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if !self.stack.is_empty() {
            // A heading in a list item or quote is that block's text.
            self.deliver(new_claim(text));
            return;
        }
        if self.title.is_none() && self.sections.is_empty() {
            // `# [Title](url)`: the title text, and the url of the work it names.
            let (title, url) = split_link(&text);
            self.title = Some(title);
            self.title_url = url;
        } else {
            self.sections.push(new_section(text));
        }
    }

    fn caveat(&mut self, text: String) {
        self.meta_open = false;
        let caveat = CaveatRef::Inline(Caveat {
            id: None,
            text,
            as_of: None,
            before: None,
            review_by: None,
        });
        match self.sections.last_mut() {
            Some(section) => section.caveats.push(caveat),
            None => self.caveats.push(caveat),
        }
    }

    /// A paragraph. Outside lists and quotes, its first line is the note's title when
    /// there is none yet. Right before a list (no blank line between), its last line
    /// that is not a remark titles a section and each other line stands alone;
    /// otherwise it is one claim, or one caveat when it starts with a label such as
    /// `Note:`.
    fn paragraph(&mut self, range: Range<usize>, next_is_list: bool) {
        if !self.stack.is_empty() {
            let text = self.text_of(range);
            let claim = new_claim(text);
            self.deliver(claim);
            return;
        }
        let mut lines = self.lines_of(range);
        if self.title.is_none() && self.sections.is_empty() && !lines.is_empty() {
            self.title = Some(lines.remove(0).1);
        }
        if self.meta_open {
            while let Some((offset, line)) = lines.first() {
                let Some(field) = field(line, self.input_line(*offset)) else {
                    break;
                };
                self.fields.push(field);
                lines.remove(0);
            }
        }
        let lines: Vec<String> = lines.into_iter().map(|(_, l)| l).collect();
        if lines.is_empty() {
            return;
        }
        if next_is_list {
            let heading = lines.iter().rposition(|line| !is_labelled(line));
            for (i, line) in lines.into_iter().enumerate() {
                if Some(i) == heading {
                    self.sections.push(new_section(line));
                } else if is_labelled(&line) {
                    self.caveat(line);
                } else {
                    self.section().claims.push(new_claim(line));
                }
            }
            return;
        }
        // A line that starts with a label starts a remark of its own.
        let mut groups: Vec<Vec<String>> = Vec::new();
        for line in lines {
            match groups.last_mut() {
                Some(group) if !is_labelled(&line) => group.push(line),
                _ => groups.push(vec![line]),
            }
        }
        for group in groups {
            let text = group.join(" ");
            if is_labelled(&text) {
                self.caveat(text);
            } else {
                let kind = super::kind_of(&text, crate::model::ClaimKind::Claim);
                let mut claim = new_claim(text);
                claim.kind = kind;
                self.section().claims.push(claim);
            }
        }
    }
}

fn new_section(title: String) -> Section {
    Section {
        title,
        as_of: None,
        reviewed: None,
        shelf_life: None,
        sources: Vec::new(),
        caveats: Vec::new(),
        sensitive_to: Vec::new(),
        tags: Vec::new(),
        allow: Vec::new(),
        claims: Vec::new(),
    }
}
