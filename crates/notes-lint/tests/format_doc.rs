//! `docs/format.md` is the users' reference: its example notes must give the findings
//! the page prints under them, and no page links outside the repository.
//!
//! An example note is a fenced block whose info string is `yaml note=PATH`; the first
//! `text` block after it holds what `notes-lint --today 2026-11-27 --format short PATH`
//! prints for that note alone (`(no findings)` when it prints nothing).

mod common;
use common::root;

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The fenced code blocks of a Markdown page: (info string, content).
fn code_blocks(page: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new(page) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some((info.to_string(), String::new()));
            }
            Event::Text(text) => {
                if let Some((_, content)) = current.as_mut() {
                    content.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Each example note of the page: its path and text, and the output the page gives.
fn examples(page: &str) -> Vec<(String, String, Option<String>)> {
    let mut examples: Vec<(String, String, Option<String>)> = Vec::new();
    for (info, content) in code_blocks(page) {
        if let Some(path) = info.strip_prefix("yaml note=") {
            examples.push((path.trim().to_owned(), content, None));
        } else if info == "text"
            && let Some(last) = examples.last_mut()
            && last.2.is_none()
        {
            last.2 = Some(content);
        }
    }
    examples
}

#[test]
fn the_format_page_examples_give_the_findings_it_prints() {
    let page = std::fs::read_to_string(root().join("docs/format.md")).expect("docs/format.md");
    let examples = examples(&page);
    assert!(
        examples.len() >= 10,
        "docs/format.md has only {} example notes",
        examples.len()
    );
    let mut failures = Vec::new();
    for (path, note, expected) in &examples {
        let Some(expected) = expected else {
            failures.push(format!(
                "{path}: no ```text block with its findings follows it"
            ));
            continue;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(&file, note).expect("write");
        let output = Command::new(env!("CARGO_BIN_EXE_notes-lint"))
            .args(["--today", "2026-11-27", "--format", "short", path])
            .current_dir(dir.path())
            .output()
            .expect("notes-lint runs");
        let printed = String::from_utf8_lossy(&output.stdout);
        let printed = if printed.is_empty() {
            "(no findings)\n".to_owned()
        } else {
            printed.into_owned()
        };
        if &printed != expected {
            failures.push(format!(
                "{path}: the page says\n{expected}notes-lint prints\n{printed}"
            ));
        }
        let errors = printed.contains(": error[");
        let code = output.status.code();
        if code != Some(if errors { 1 } else { 0 }) {
            failures.push(format!("{path}: exit code {code:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn example_parsing_pairs_each_note_with_the_next_text_block() {
    let page = "```yaml note=notes/a.yaml\ntitle: A\n```\n\n```sh\nnotes-lint\n```\n\n```text\nout\n```\n\n```yaml note=notes/b.yaml\ntitle: B\n```\n";
    let examples = examples(page);
    assert_eq!(
        examples,
        vec![
            (
                "notes/a.yaml".to_owned(),
                "title: A\n".to_owned(),
                Some("out\n".to_owned())
            ),
            ("notes/b.yaml".to_owned(), "title: B\n".to_owned(), None),
        ]
    );
}

/// The Markdown pages a reader of the repository sees: README.md and docs/**/*.md.
fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read docs").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut pages = vec![root().join("README.md")];
    walk(&root().join("docs"), &mut pages);
    pages.sort();
    pages
}

/// Where `link` in `page` points inside the repository, or why it does not.
fn resolve(page: &Path, link: &str) -> Result<Option<PathBuf>, String> {
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with('#') {
        return Ok(None);
    }
    let target = link.split('#').next().unwrap_or_default();
    let mut resolved = page.parent().expect("a page is in a folder").to_path_buf();
    for component in Path::new(target).components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("`{link}` is an absolute path"));
            }
        }
    }
    if !resolved.starts_with(root()) {
        return Err(format!("`{link}` points outside the repository"));
    }
    if !resolved.exists() {
        return Err(format!("`{link}` points to nothing"));
    }
    Ok(Some(resolved))
}

fn links(page: &str) -> Vec<String> {
    Parser::new(page)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_relative_link_resolves_inside_the_repository() {
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("read page");
        for link in links(&text) {
            match resolve(&page, &link) {
                Ok(Some(_)) => checked += 1,
                Ok(None) => {}
                Err(why) => broken.push(format!("{}: {why}", page.display())),
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(checked > 20, "only {checked} relative links checked");
}

#[test]
fn the_link_check_rejects_links_that_leave_the_repository_or_point_nowhere() {
    let readme = root().join("README.md");
    assert!(resolve(&readme, "../shared/DESIGN.md").is_err());
    assert!(resolve(&readme, "docs/no-such-page.md").is_err());
    assert!(resolve(&readme, "/etc/passwd").is_err());
    assert!(resolve(&readme, "docs/format.md#dates").is_ok_and(|p| p.is_some()));
    assert!(
        links("See [the format](docs/format.md) and ![chart](a.svg).")
            == vec!["docs/format.md".to_owned(), "a.svg".to_owned()]
    );
}

#[test]
fn the_readme_links_the_format_page() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(links(&readme).iter().any(|l| l == "docs/format.md"));
}
