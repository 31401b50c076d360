//! `forecast-due`: a forecast whose `resolves` date has passed with no `outcome`.

use notes_core::model::ClaimKind;
use notes_core::{Finding, Severity};

use super::stale_claim::ago;
use super::{Context, Rule, RuleMeta};
use crate::corpus::{Corpus, NoteView};

/// The `forecast-due` rule.
pub struct ForecastDue;

static META: RuleMeta = RuleMeta {
    id: "forecast-due",
    default_severity: Severity::Warning,
    summary: "a forecast whose resolves date has passed and has no outcome",
    docs: DOCS,
    fixable: false,
    suppressible: true,
};

const DOCS: &str = "\
## What it does
Flags a claim of kind `forecast` whose `resolves` date is before today (a partial date
stands for the first day of its period: `resolves: 2026` is due after 2026-01-01) and
that has no `outcome`.

## Why it matters
Forecasts are only useful if someone checks them. Recording outcomes shows which
sources (and which of your own beliefs) were well calibrated.

## Example
```yaml
- text: \"human-level math: 12 years\"
  kind: forecast
  resolves: 2026          # forecast-due in 2026-11 with no outcome
```

## How to fix
Judge the forecast and write what happened in `outcome:`; if it cannot be judged yet,
move `resolves` to when it can.

## Configuration
Severity only.
";

impl Rule for ForecastDue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, corpus: &Corpus<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for view in &corpus.notes {
            for claim in &view.claims {
                let c = claim.claim;
                let (ClaimKind::Forecast, Some(resolves)) = (c.kind, c.resolves) else {
                    continue;
                };
                if c.outcome.as_deref().is_some_and(|o| !o.trim().is_empty()) {
                    continue;
                }
                let due = resolves.first_day();
                if cx.today <= due {
                    continue;
                }
                let message = format!(
                    "forecast is past its resolves date ({resolves}, {}) and has no outcome",
                    ago(due, cx.today)
                );
                let path = NoteView::field_path(claim, "resolves");
                out.push(
                    view.claim_finding(META.id, META.default_severity, &path, claim, message)
                        .with_label("due")
                        .with_help(
                            "judge the forecast and record what happened in `outcome:`, or move `resolves` to when it can be judged",
                        )
                        .with_due(notes_core::Due {
                            since: due,
                            event: None,
                            claims: vec![claim.path.to_vec()],
                        }),
                );
            }
        }
    }
}
