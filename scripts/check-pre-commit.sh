#!/usr/bin/env bash
# Checks the `notes-lint` hook of .pre-commit-hooks.yaml with `pre-commit try-repo`, in a
# scratch repository whose notes/ already holds a note that defines a source:
#   - committing a clean note that cites that source passes (the hook reads the whole
#     notes/ folder for context, and reports nothing about the other note, even though
#     that one has an error of its own);
#   - committing a note that cites an unknown source id fails with the finding.
# It installs pre-commit (pinned) into a virtualenv under target/tools once, and puts the
# debug build of notes-lint on PATH (the hook is `language: system`).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

venv=target/tools/pre-commit
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==4.7.0"
fi
cargo build --quiet --locked -p notes-lint
export PATH="$root/target/debug:$PATH"
export PRE_COMMIT_HOME="$root/target/tools/pre-commit-cache"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
git init --quiet .
git config user.name "pre-commit check"
git config user.email "check@example.org"
mkdir notes
cat > notes/papers.yaml <<'YAML'
title: Papers
sources:
  - {id: kaplan-2020, type: paper, title: Scaling Laws for Neural Language Models, arxiv: "2001.08361"}
sections:
  - title: Not part of this commit
    claims:
      - text: This claim cites a source nobody defined.
        sources: [defined-nowhere]
YAML
git add notes/papers.yaml
git commit --quiet --no-verify -m "a note that is already there"

cat > notes/clean.yaml <<'YAML'
title: Clean
as_of: 2020-01
sections:
  - title: Scaling
    claims:
      - text: Performance depends strongly on scale, weakly on model shape.
        sources: [{id: kaplan-2020, locator: "Section 1"}]
YAML
git add notes/clean.yaml
if ! out="$("$root/$venv/bin/pre-commit" try-repo "$root" notes-lint --color never 2>&1)"; then
  echo "$out"
  echo "check-pre-commit: the hook failed on a clean note" >&2
  exit 1
fi
echo "check-pre-commit: a clean note that cites another note's source passes"
git commit --quiet --no-verify -m "clean note"

cat > notes/bad.yaml <<'YAML'
title: Bad
as_of: 2020-01
sections:
  - title: Scaling
    claims:
      - text: Performance depends on scale.
        sources: [kaplan-2021]
YAML
git add notes/bad.yaml
if out="$("$root/$venv/bin/pre-commit" try-repo "$root" notes-lint --color never 2>&1)"; then
  echo "$out"
  echo "check-pre-commit: the hook passed a note that cites an unknown source" >&2
  exit 1
fi
if ! grep -q "unknown-reference" <<<"$out" || ! grep -q "kaplan-2021" <<<"$out" \
  || grep -q "defined-nowhere" <<<"$out"; then
  echo "$out"
  echo "check-pre-commit: the hook failed, but not with the one finding about notes/bad.yaml" >&2
  exit 1
fi
echo "check-pre-commit: a note that cites an unknown source fails with the finding:"
grep -A8 "unknown-reference" <<<"$out" | sed "s/^/  /"
