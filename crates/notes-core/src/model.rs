//! The note format: what a note file may contain.
//!
//! These types are the one source of truth for the format. `cargo xtask schema`
//! renders them (doc comments included) into `schema/note.schema.json`, and the
//! loader validates every file against that same schema before it builds them.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::shelf_life::ShelfLife;

/// An identifier: lowercase letters, digits and dashes, starting with a letter or digit.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if crate::load::is_id(&text) {
            Ok(Id(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{text}` is not a valid id"
            )))
        }
    }
}

impl Id {
    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An identifier: lowercase letters, digits and dashes, starting with a letter or digit.",
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "errorMessage": "Not an id: use lowercase letters, digits and dashes, starting with a letter or digit, such as `pais-2`.",
            "patternErrorMessage": "Not an id: use lowercase letters, digits and dashes, starting with a letter or digit, such as `pais-2`.",
            "examples": ["pais-2", "gpt-4"]
        })
    }
}

/// One note: a summary of a source, or notes on a topic, as sections of claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Note", example = example_note())]
pub struct Note {
    /// The JSON Schema this file follows; lets editors validate JSON note files.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The note's title.
    pub title: String,
    /// The note's id, unique in the corpus. Default: the file name without its extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// When the note was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<PartialDate>,
    /// The whole note was re-checked on this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<PartialDate>,
    /// The source this note summarises: every claim in the note cites it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_of: Option<String>,
    /// The date the note's claims describe the world as of, unless a section or claim says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<PartialDate>,
    /// How long the note's claims stay fresh, unless a section or claim says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_life: Option<ShelfLife>,
    /// Events that may overtake every claim in the note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_to: Vec<String>,
    /// Tags for every claim in the note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Sources defined by this note; their ids are global across the corpus.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Dated events defined by this note; their ids are global across the corpus.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Caveats that apply to the whole note, defined here or referenced by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<CaveatRef>,
    /// Lint suppressions for every claim in the note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
    /// The note's sections, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

fn example_note() -> serde_json::Value {
    serde_json::json!({
        "title": "Summary: A Bird's Eye View of the ML Field",
        "summary_of": "pais-2",
        "as_of": "2022-05",
        "sections": [{
            "title": "Driving dynamics of the ML field",
            "claims": [{"text": "Empirical ML research progresses through well-defined metrics."}]
        }]
    })
}

/// A work that claims cite: an article, paper, book, web page and so on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The source's id, unique in the corpus; citations use it.
    pub id: Id,
    /// What kind of work this is.
    #[serde(rename = "type")]
    pub kind: SourceType,
    /// The work's title.
    pub title: String,
    /// The work's authors, in the order the work gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Where it appeared: a journal, conference, site or publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its DOI, without the `https://doi.org/` prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Its arXiv identifier, such as 2001.08361.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<String>,
    /// Its ISBN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    /// When the url was last read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<PartialDate>,
    /// An archived copy of the url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
}

/// What kind of work a source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    /// An article: a blog post, essay or magazine piece.
    Article,
    /// A research paper or preprint.
    Paper,
    /// A book.
    Book,
    /// A web page or web service.
    Web,
    /// A video.
    Video,
    /// A talk or lecture.
    Talk,
    /// A dataset.
    Dataset,
    /// A survey of people.
    Survey,
    /// Personal knowledge or communication.
    Personal,
    /// Anything else.
    Other,
}

/// A dated event that may overtake claims made before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The event's id, unique in the corpus; `sensitive_to` and `before` use it.
    pub id: Id,
    /// When it happened (or will happen).
    pub date: PartialDate,
    /// What happened.
    pub title: String,
    /// Sources that document the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Citation>,
}

/// A caveat: a warning about how far a claim can be trusted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Caveat {
    /// The caveat's id, unique in the corpus, so other places can refer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// What the reader should keep in mind.
    pub text: String,
    /// The date the caveat speaks as of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<PartialDate>,
    /// An event this caveat acknowledges: the claims it covers are known to predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The caveat should be looked at again after this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<PartialDate>,
}

/// A caveat given in place, or the id of a caveat defined elsewhere.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum CaveatRef {
    /// The id of a caveat defined elsewhere in the corpus.
    Id(String),
    /// A caveat defined here.
    Inline(Caveat),
}

/// A citation: a source id, or a source id with a locator.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Citation {
    /// The id of the cited source.
    Id(String),
    /// The id of the cited source and where in it to look.
    Located(LocatedCitation),
}

/// A citation with a locator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocatedCitation {
    /// The id of the cited source.
    pub id: String,
    /// Where in the source: a page, section, figure, timestamp or heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

/// Reads a value that is either a string or a mapping, as the schema's `anyOf` of the
/// two: unlike serde's untagged enums, a list is not read as a mapping's fields.
struct StringOrMap<S, M> {
    what: &'static str,
    string: fn(String) -> S,
    map: fn(M) -> S,
}

impl<'de, S, M: Deserialize<'de>> serde::de::Visitor<'de> for StringOrMap<S, M> {
    type Value = S;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.what)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<S, E> {
        Ok((self.string)(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<S, E> {
        Ok((self.string)(v))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<S, A::Error> {
        M::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(self.map)
    }
}

impl<'de> Deserialize<'de> for Citation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringOrMap {
            what: "a source id or a mapping with `id` and `locator`",
            string: Citation::Id,
            map: Citation::Located,
        })
    }
}

impl<'de> Deserialize<'de> for CaveatRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringOrMap {
            what: "a caveat id or a caveat mapping with `text`",
            string: CaveatRef::Id,
            map: CaveatRef::Inline,
        })
    }
}

impl Citation {
    /// The id of the cited source.
    pub fn id(&self) -> &str {
        match self {
            Citation::Id(id) => id,
            Citation::Located(located) => &located.id,
        }
    }

    /// Where in the source to look, if given.
    pub fn locator(&self) -> Option<&str> {
        match self {
            Citation::Id(_) => None,
            Citation::Located(located) => located.locator.as_deref(),
        }
    }
}

/// A suppression of one lint rule, with the reason it is right here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// The id of the rule to silence, such as `stale-claim`.
    pub rule: String,
    /// Why the finding does not apply here.
    pub reason: String,
    /// The suppression stops working after this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
}

/// A section of a note: a heading and its claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section's heading.
    pub title: String,
    /// The date this section's claims describe the world as of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<PartialDate>,
    /// This section was re-checked on this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<PartialDate>,
    /// How long this section's claims stay fresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_life: Option<ShelfLife>,
    /// Sources every claim in this section cites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Citation>,
    /// Caveats that apply to every claim in this section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<CaveatRef>,
    /// Events that may overtake every claim in this section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_to: Vec<String>,
    /// Tags for every claim in this section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Lint suppressions for every claim in this section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
    /// The section's claims, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// One claim: a statement, quote, opinion, forecast, question, example or definition;
/// or a label that groups the claims under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// What the claim says, in the note-taker's words (or the source's, for a quote).
    pub text: String,
    /// The claim's id, unique within the note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// What sort of statement this is. Default: claim.
    #[serde(default, skip_serializing_if = "ClaimKind::is_default")]
    pub kind: ClaimKind,
    /// The sources this claim cites, by id or as `{id, locator}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Citation>,
    /// The date the claim describes the world as of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<PartialDate>,
    /// The claim was re-checked on this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<PartialDate>,
    /// How long the claim stays fresh after it was last checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_life: Option<ShelfLife>,
    /// Events that may overtake this claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_to: Vec<String>,
    /// Caveats on this claim, by id or given in place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<CaveatRef>,
    /// For forecasts: when the forecast can be judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolves: Option<PartialDate>,
    /// For forecasts: what happened, once judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Tags for this claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Lint suppressions for this claim and its children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
    /// Claims nested under this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Claim>,
}

impl Claim {
    /// Whether this is a label (`kind: label`): structure that the rules do not check.
    pub fn is_label(&self) -> bool {
        self.kind == ClaimKind::Label
    }
}

/// What sort of statement a claim is.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A statement of fact.
    #[default]
    Claim,
    /// The source's own words.
    Quote,
    /// The note-taker's own view.
    Opinion,
    /// A prediction that can be judged later.
    Forecast,
    /// An open question.
    Question,
    /// An example of the claim above it.
    Example,
    /// The meaning of a term.
    Definition,
    /// A label that groups the claims under it, such as `Results` or `How`: structure,
    /// not a statement, so no rule checks it (its children are checked as usual).
    Label,
}

impl ClaimKind {
    /// Every kind, in the order the schema lists them.
    pub const ALL: [ClaimKind; 8] = [
        ClaimKind::Claim,
        ClaimKind::Quote,
        ClaimKind::Opinion,
        ClaimKind::Forecast,
        ClaimKind::Question,
        ClaimKind::Example,
        ClaimKind::Definition,
        ClaimKind::Label,
    ];

    fn is_default(&self) -> bool {
        *self == ClaimKind::Claim
    }

    /// The kind's name as written in note files.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimKind::Claim => "claim",
            ClaimKind::Quote => "quote",
            ClaimKind::Opinion => "opinion",
            ClaimKind::Forecast => "forecast",
            ClaimKind::Question => "question",
            ClaimKind::Example => "example",
            ClaimKind::Definition => "definition",
            ClaimKind::Label => "label",
        }
    }
}

impl SourceType {
    /// The type's name as written in note files.
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceType::Article => "article",
            SourceType::Paper => "paper",
            SourceType::Book => "book",
            SourceType::Web => "web",
            SourceType::Video => "video",
            SourceType::Talk => "talk",
            SourceType::Dataset => "dataset",
            SourceType::Survey => "survey",
            SourceType::Personal => "personal",
            SourceType::Other => "other",
        }
    }
}
