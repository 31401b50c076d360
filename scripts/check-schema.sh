#!/usr/bin/env bash
# Checks schema/note.schema.json with an independent validator (check-jsonschema):
# every note in notes/ and every valid fixture must pass; the invalid fixtures must fail.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${TMPDIR:-/tmp}/notes-lint-check-jsonschema"
if [ ! -x "$venv/bin/check-jsonschema" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "check-jsonschema==0.33.0"
fi
check() { "$venv/bin/check-jsonschema" --disable-formats '*' --schemafile schema/note.schema.json "$@"; }

valid=(notes/*.yaml tests/rules/schema/valid/*.yaml tests/rules/duplicate-id/*/*.yaml)
check "${valid[@]}"

status=0
for file in tests/rules/schema/{three-problems,nested-as-of,misspelt-field,dates}/*.yaml tests/cli/nested/*.yaml; do
  if check "$file" >/dev/null 2>&1; then
    echo "expected the schema to reject $file, but it was accepted" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "independent validator: ${#valid[@]} valid files accepted, invalid fixtures rejected"
exit "$status"
