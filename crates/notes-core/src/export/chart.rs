//! The staleness charts of the Markdown export: for each note and for the corpus, the
//! claims by the month they describe (their as_of), stacked by state (fresh, stale,
//! overtaken), with the events they are sensitive to as dated marks.
//!
//! Exports do not depend on today unless given one (`cargo xtask export --today`): states
//! are judged on that date, else on the reference date, the latest date written in the
//! notes (an as_of, a reviewed, written, accessed or event date); the caption gives it. A claim is stale when the reference date is past its
//! last check (the later of its as_of and reviewed date) plus its own or inherited
//! `shelf_life` (else 3 years: the export does not read the linter's configuration), and
//! overtaken when an event it is sensitive to falls after its as_of and on or before the
//! reference date, with no review since and no caveat that has `before:` the event.
//!
//! Drawing is plotters' SVG backend without a font backend: text is written as SVG
//! `<text>` elements whose layout is estimated without reading any font, so the bytes
//! are the same on every machine.

use std::collections::BTreeMap;

use jiff::civil::Date;
use plotters::prelude::*;

use super::{Definitions, ExportFile, ExportedClaim, ExportedNote, GENERATED_BY};
use crate::model::Note;
use crate::shelf_life::{Period, PeriodUnit};
use crate::{PartialDate, ShelfLife};

/// The width and height of a chart, in pixels.
const SIZE: (u32, u32) = (760, 360);
const FRESH: RGBColor = RGBColor(46, 125, 50);
const STALE: RGBColor = RGBColor(239, 108, 0);
const OVERTAKEN: RGBColor = RGBColor(198, 40, 40);
const EVENT: RGBColor = RGBColor(21, 101, 192);
/// The file name of the corpus chart.
pub const CORPUS_CHART: &str = "corpus.svg";

/// A claim's state on the reference date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// Neither stale nor overtaken.
    Fresh,
    /// Past its shelf life.
    Stale,
    /// Overtaken by an event it is sensitive to.
    Overtaken,
}

/// What a chart needs of one claim: its dates, its shelf life, the dated events it is
/// sensitive to and the events a caveat says it was written before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartClaim {
    as_of: PartialDate,
    reviewed: Option<PartialDate>,
    shelf_life: Option<ShelfLife>,
    /// (date, id) of each dated event it is sensitive to.
    events: Vec<(PartialDate, String)>,
    /// The events a caveat of its says it was written before.
    before: Vec<String>,
}

impl ChartClaim {
    /// The chart's view of `claim`; `None` for a claim with no as_of of any kind.
    pub fn of(claim: &ExportedClaim, definitions: &Definitions) -> Option<Self> {
        Some(ChartClaim {
            as_of: claim.as_of.as_ref()?.date,
            reviewed: claim.reviewed.as_ref().map(|r| r.date),
            shelf_life: claim.shelf_life.as_ref().map(|s| s.value),
            events: claim
                .sensitive_to
                .iter()
                .filter_map(|r| {
                    let date = definitions.events.get(&r.id)?.event.date;
                    Some((date, r.id.clone()))
                })
                .collect(),
            before: claim
                .caveats
                .iter()
                .filter_map(|r| definitions.caveats.get(&r.id)?.caveat.before.clone())
                .collect(),
        })
    }
}

/// What the charts need of one note: its id, the dates written in it, and its claims.
/// Small enough to keep for every note of a large export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteChart {
    id: String,
    /// The note's written, reviewed and as_of dates, its sources' accessed dates and
    /// its events' dates.
    dates: Vec<PartialDate>,
    claims: Vec<ChartClaim>,
}

impl NoteChart {
    /// The chart's view of the exported `note`, as written in `written`.
    pub fn of(written: &Note, note: &ExportedNote, definitions: &Definitions) -> Self {
        let mut dates = Vec::new();
        dates.extend(written.written);
        dates.extend(written.reviewed);
        dates.extend(written.as_of);
        dates.extend(written.sources.iter().filter_map(|s| s.accessed));
        dates.extend(written.events.iter().map(|e| e.date));
        NoteChart {
            id: note.id.clone(),
            dates,
            claims: note
                .claims
                .iter()
                .filter_map(|c| ChartClaim::of(c, definitions))
                .collect(),
        }
    }
}

/// The reference date of an export: the latest date written in the notes; the first
/// day of its period for a partial date. `None` when the notes hold no date.
pub fn reference_date(notes: &[NoteChart]) -> Option<Date> {
    notes
        .iter()
        .flat_map(|note| {
            note.dates.iter().copied().chain(
                note.claims
                    .iter()
                    .flat_map(|c| std::iter::once(c.as_of).chain(c.reviewed)),
            )
        })
        .map(|d| d.first_day())
        .max()
}

/// The state of `claim` on `reference`.
pub fn state(claim: &ChartClaim, reference: Date) -> State {
    judge(claim, reference).0
}

/// The state of `claim` on `reference` and why, in words ("overtaken by gpt-4
/// (2023-03-14), not reviewed since", "stale: last checked 2022-05, shelf life 3
/// years"); the reason is empty for a fresh claim.
pub fn judge(claim: &ChartClaim, reference: Date) -> (State, String) {
    let as_of = claim.as_of;
    let reviewed = claim.reviewed;
    let overtaking = claim.events.iter().find(|(date, id)| {
        let day = date.first_day();
        as_of.first_day() < day
            && day <= reference
            && reviewed.is_none_or(|r| r.first_day() < day)
            && !claim.before.iter().any(|b| b == id)
    });
    if let Some((date, id)) = overtaking {
        return (
            State::Overtaken,
            format!("overtaken by {id} ({date}), not reviewed since"),
        );
    }
    let checked = match reviewed {
        Some(r) if r.first_day() > as_of.first_day() => r,
        _ => as_of,
    };
    let life = claim.shelf_life.unwrap_or(ShelfLife::For(Period {
        amount: 3,
        unit: PeriodUnit::Year,
    }));
    let stale = match life {
        ShelfLife::Never => false,
        ShelfLife::For(period) => reference > period.after(checked.first_day()),
    };
    if stale {
        (
            State::Stale,
            format!(
                "stale: last checked {checked}, shelf life {}",
                life.describe()
            ),
        )
    } else {
        (State::Fresh, String::new())
    }
}

/// The SVG files of the export: `<note id>.svg` for each note and [`CORPUS_CHART`],
/// with states on `today` when given, else on the [`reference_date`].
pub fn files(notes: &[NoteChart], today: Option<Date>) -> Vec<ExportFile> {
    let Some(reference) = today.or_else(|| reference_date(notes)) else {
        return Vec::new();
    };
    let mut files: Vec<ExportFile> = notes
        .iter()
        .map(|note| ExportFile {
            path: format!("markdown/{}.svg", note.id),
            content: render(&note.id, std::slice::from_ref(note), reference),
        })
        .collect();
    files.push(ExportFile {
        path: format!("markdown/{CORPUS_CHART}"),
        content: render("all notes", notes, reference),
    });
    files
}

/// The Markdown image line that shows the chart `file` (such as `a.svg`).
pub fn image(file: &str) -> String {
    format!(
        "![Claims by as-of month: fresh, stale and overtaken, with the events they are sensitive to]({file})\n\n"
    )
}

/// A date as a fractional year, for the x axis.
fn year(date: Date) -> f64 {
    f64::from(date.year()) + f64::from(date.day_of_year() - 1) / f64::from(date.days_in_year())
}

/// The chart of `notes` on `reference`, titled with `name`.
fn render(name: &str, notes: &[NoteChart], reference: Date) -> String {
    // Claims by as-of month, counted by state.
    let mut months: BTreeMap<(i16, i8), [usize; 3]> = BTreeMap::new();
    let mut events: BTreeMap<(Date, String), ()> = BTreeMap::new();
    for note in notes {
        for claim in &note.claims {
            let day = claim.as_of.first_day();
            months.entry((day.year(), day.month())).or_default()
                [state(claim, reference) as usize] += 1;
            for (date, id) in &claim.events {
                events.insert((date.first_day(), id.clone()), ());
            }
        }
    }
    let mut svg = String::new();
    let drawn = draw(&mut svg, name, &months, &events, reference);
    match drawn {
        Ok(()) => format!("<!-- {GENERATED_BY} from the notes. Do not edit. -->\n{svg}\n"),
        Err(e) => format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"40\"><text x=\"8\" y=\"24\">the chart could not be drawn: {}</text></svg>\n",
            e.replace(['<', '>', '&'], " ")
        ),
    }
}

fn draw(
    svg: &mut String,
    name: &str,
    months: &BTreeMap<(i16, i8), [usize; 3]>,
    events: &BTreeMap<(Date, String), ()>,
    reference: Date,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let month_x = |(y, m): (i16, i8)| f64::from(y) + f64::from(m - 1) / 12.0;
    let mut totals = [0usize; 3];
    for counts in months.values() {
        for (total, n) in totals.iter_mut().zip(counts) {
            *total += n;
        }
    }
    let xs = months
        .keys()
        .map(|k| month_x(*k))
        .chain(events.keys().map(|(d, _)| year(*d)))
        .chain([year(reference)]);
    let (lo, hi) = xs.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let (x0, x1) = ((lo - 0.5).floor(), (hi + 0.5).ceil());
    let top = months
        .values()
        .map(|c| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    // Room above the tallest bar for the event names.
    let y1 = (top as f64 * 1.25).ceil();
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let caption = format!("{name}: claims by as-of month, states on {reference}");
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(x0..x1, 0f64..y1)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(((x1 - x0) as usize + 1).min(12))
        .y_labels((y1 as usize).min(10) + 1)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc("as_of")
        .y_desc("claims")
        .draw()
        .map_err(|e| err(&e))?;
    // A month wide, or wider on a long axis, so that every bar shows.
    let width = (0.8 / 12.0_f64).max((x1 - x0) / 120.0);
    let labels = [
        (State::Fresh, FRESH, "fresh"),
        (State::Stale, STALE, "stale"),
        (State::Overtaken, OVERTAKEN, "overtaken"),
    ];
    for (state, color, label) in labels {
        let i = state as usize;
        let bars = months.iter().filter(|(_, c)| c[i] > 0).map(|(month, c)| {
            let x = month_x(*month);
            let below: usize = c[..i].iter().sum();
            Rectangle::new(
                [(x, below as f64), (x + width, (below + c[i]) as f64)],
                color.filled(),
            )
        });
        chart
            .draw_series(bars)
            .map_err(|e| err(&e))?
            .label(format!("{label} ({})", totals[i]))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    let marks = events.keys().map(|(date, _)| {
        PathElement::new(
            vec![(year(*date), 0.0), (year(*date), top as f64 * 1.1)],
            EVENT.stroke_width(2),
        )
    });
    chart
        .draw_series(marks)
        .map_err(|e| err(&e))?
        .label(format!("events ({})", events.len()))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 10, y)], EVENT.stroke_width(2)));
    // The date the states are judged on, as a grey line.
    let judged = year(reference);
    chart
        .draw_series([PathElement::new(
            vec![(judged, 0.0), (judged, top as f64 * 1.1)],
            BLACK.mix(0.4).stroke_width(1),
        )])
        .map_err(|e| err(&e))?
        .label(format!("states on {reference}"))
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 10, y)], BLACK.mix(0.4).stroke_width(1))
        });
    let names = events.keys().enumerate().map(|(n, (date, id))| {
        // Alternate heights, so the names of events close in time do not overlap.
        let y = top as f64 * if n % 2 == 0 { 1.2 } else { 1.12 };
        Text::new(
            format!("{id} ({date})"),
            (year(*date), y),
            ("sans-serif", 12).into_font().color(&EVENT),
        )
    });
    chart.draw_series(names).map_err(|e| err(&e))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn export(notes: &[(&str, &str)]) -> crate::export::Export {
        let loaded: Vec<crate::Loaded> = notes
            .iter()
            .map(|(path, text)| crate::load_bytes(Path::new(path), text.as_bytes()))
            .collect();
        let documents: Vec<&crate::Document> =
            loaded.iter().filter_map(|l| l.document.as_ref()).collect();
        assert_eq!(documents.len(), notes.len(), "every note loads");
        crate::export::export(&documents, Path::new("")).expect("exports")
    }

    const NOTE: &str = "\
title: Charted
as_of: 2022-05
events:
  - {id: launch, date: 2023-03-14, title: A launch}
sections:
  - title: S
    claims:
      - text: Overtaken by the launch.
        sensitive_to: [launch]
      - text: Acknowledges the launch, but stale.
        sensitive_to: [launch]
        caveats: [{text: Written before the launch., before: launch}]
      - text: Kept forever.
        shelf_life: never
      - text: Re-checked lately.
        reviewed: 2026-10-01
";

    #[test]
    fn states_follow_the_notes_own_dates() {
        let export = export(&[("notes/charted.yaml", NOTE)]);
        let loaded = crate::load_bytes(Path::new("notes/charted.yaml"), NOTE.as_bytes());
        let doc = loaded.document.as_ref().expect("loads");
        let (sorted, definitions) =
            crate::export::prepare(&[doc], Path::new("")).expect("prepares");
        let exported = crate::export::export_note(doc, &sorted[0].0, &definitions);
        let charts = vec![NoteChart::of(&doc.note, &exported, &definitions)];
        let reference = reference_date(&charts).expect("dated notes");
        assert_eq!(reference, jiff::civil::date(2026, 10, 1));
        let states: Vec<State> = charts[0]
            .claims
            .iter()
            .map(|c| state(c, reference))
            .collect();
        use State::*;
        assert_eq!(states, [Overtaken, Stale, Fresh, Fresh]);
        let svg = export
            .files
            .iter()
            .find(|f| f.path == "markdown/charted.svg")
            .expect("a chart per note");
        assert!(svg.content.contains("fresh (2)"), "{}", svg.content);
        assert!(svg.content.contains("stale (1)") && svg.content.contains("overtaken (1)"));
        assert!(svg.content.contains("launch (2023-03-14)"));
        assert!(svg.content.contains("states on 2026-10-01"));
    }

    #[test]
    fn charts_are_xml_in_distinct_colours_and_the_same_bytes_every_run() {
        let notes = [
            ("notes/charted.yaml", NOTE),
            ("notes/other.yaml", "title: Other\n"),
        ];
        let first = export(&notes);
        let second = export(&notes);
        let svgs: Vec<_> = first
            .files
            .iter()
            .filter(|f| f.path.ends_with(".svg"))
            .collect();
        let paths: Vec<&str> = svgs.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "markdown/charted.svg",
                "markdown/corpus.svg",
                "markdown/other.svg"
            ]
        );
        let contents = |e: &crate::export::Export| -> Vec<(String, String)> {
            e.files
                .iter()
                .map(|f| (f.path.clone(), f.content.clone()))
                .collect()
        };
        assert_eq!(contents(&first), contents(&second));
        for file in svgs {
            let doc = roxmltree::Document::parse(&file.content)
                .unwrap_or_else(|e| panic!("{} is not XML: {e}", file.path));
            assert_eq!(doc.root_element().tag_name().name(), "svg");
        }
        let corpus = &first
            .files
            .iter()
            .find(|f| f.path == "markdown/corpus.svg")
            .expect("the corpus chart")
            .content;
        for colour in ["#2E7D32", "#EF6C00", "#C62828", "#1565C0"] {
            assert!(corpus.contains(colour), "{colour} missing");
        }
        let page = first
            .files
            .iter()
            .find(|f| f.path == "markdown/charted.md")
            .expect("the page");
        assert!(page.content.contains("](charted.svg)"));
    }

    #[test]
    fn with_a_date_the_pages_mark_stale_and_overtaken_claims() {
        let loaded = crate::load_bytes(Path::new("notes/charted.yaml"), NOTE.as_bytes());
        let documents = [loaded.document.as_ref().expect("loads")];
        let page = |today| {
            let export =
                crate::export::export_on(&documents, Path::new(""), today).expect("exports");
            export
                .files
                .into_iter()
                .find(|f| f.path == "markdown/charted.md")
                .expect("the page")
                .content
        };
        let marked = page(Some(jiff::civil::date(2026, 11, 27)));
        assert!(marked.contains(
            "- Overtaken by the launch. *(may be overtaken by A launch (2023-03-14) · ⚠ overtaken by launch (2023-03-14), not reviewed since)*"
        ), "{marked}");
        assert!(marked.contains("⚠ stale: last checked 2022-05, shelf life 3 years"));
        assert!(marked.contains("on 2026-11-27, the date of this export"));
        assert_eq!(marked.matches('⚠').count(), 3, "{marked}");
        let plain = page(None);
        assert!(!plain.contains('⚠'), "{plain}");
        let export = crate::export::export(&documents, Path::new("")).expect("exports");
        assert!(export.files.iter().any(|f| f.content == plain));
    }
}
