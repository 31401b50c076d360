#!/usr/bin/env bash
# Checks the committed export with tools that share no code with notes-lint:
#   - markdownlint-cli2 on export/markdown/ (settings: .markdownlint-cli2.jsonc);
#   - ajv, a JSON Schema validator, on export/notes.json against schema/export.schema.json,
#     first making sure that it does reject a broken copy.
# Run it from the repository root: `bash scripts/check-export.sh`. It installs what it needs
# (Node packages, pinned) into a temporary folder, and exits non-zero on any problem.
set -euo pipefail

if [[ ! -f export/notes.json || ! -f schema/export.schema.json || ! -d export/markdown ]]; then
    echo "check-export: run me from the repository root, after \`cargo xtask export\`" >&2
    exit 2
fi
for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "check-export: $tool is needed (apt-get install -y nodejs npm)" >&2
        exit 2
    fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "check-export: installing markdownlint-cli2 and ajv-cli"
npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$tmp" \
    markdownlint-cli2@0.22.1 ajv-cli@5.0.0 ajv-formats@3.0.1 >/dev/null
bin="$tmp/node_modules/.bin"

echo "check-export: markdownlint-cli2 export/markdown"
"$bin/markdownlint-cli2" "export/markdown/**/*.md"

# The schema's own formats ("partial-date", and schemars' "uint") are unknown to ajv, so
# formats are not validated (--strict=false --validate-formats=false); the patterns and
# types beside them are, and they say the same.
validate() {
    "$bin/ajv" validate --spec=draft2020 --strict=false --validate-formats=false \
        --all-errors -c "$tmp/node_modules/ajv-formats" \
        -s schema/export.schema.json -d "$1"
}

# A copy with a claim of an unknown kind must be rejected, or the check proves nothing.
node -e '
    const fs = require("fs");
    const corpus = JSON.parse(fs.readFileSync("export/notes.json", "utf8"));
    const claim = corpus.notes.flatMap((note) => note.claims)[0];
    if (claim) { claim.kind = "rumour"; } else { corpus.version = "one"; }
    fs.writeFileSync(process.argv[1], JSON.stringify(corpus));
' "$tmp/broken.json"
if validate "$tmp/broken.json" >/dev/null 2>&1; then
    echo "check-export: ajv accepted a broken notes.json; the schema check is not working" >&2
    exit 1
fi

echo "check-export: ajv validate export/notes.json against schema/export.schema.json"
validate export/notes.json

echo "check-export: ok"
