// Runs yaml-language-server headless over stdio, the way an editor does, and prints the
// diagnostics it publishes for each YAML file given, as JSON:
//   {"path/to/file.yaml": [{"line": 9, "column": 26, "message": "..."}], ...}
// Lines and columns are 1-based. Each file is validated against the schema its
// `# yaml-language-server: $schema=...` modeline names.
//
// Usage: node scripts/yaml-ls-diagnostics.mjs SERVER_JS FILE...
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [server, ...files] = process.argv.slice(2);
if (!server || files.length === 0) {
  console.error("usage: node yaml-ls-diagnostics.mjs SERVER_JS FILE...");
  process.exit(2);
}

const settings = {
  yaml: {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    yamlVersion: "1.2",
  },
};

const child = spawn(process.execPath, [server, "--stdio"], {
  stdio: ["pipe", "pipe", "inherit"],
});
let nextId = 1;
const pending = new Map();
const published = new Map();
let lastMessage = Date.now();

function send(message) {
  const body = JSON.stringify({ jsonrpc: "2.0", ...message });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((done) => pending.set(id, done));
}

function onMessage(message) {
  lastMessage = Date.now();
  if (message.id !== undefined && message.method === undefined) {
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  } else if (message.method === "textDocument/publishDiagnostics") {
    published.set(message.params.uri, message.params.diagnostics);
  } else if (message.method === "workspace/configuration") {
    const result = message.params.items.map((item) =>
      item.section === "yaml" ? settings.yaml : item.section ? null : settings,
    );
    send({ id: message.id, result });
  } else if (message.id !== undefined) {
    // client/registerCapability, window/workDoneProgress/create and the like.
    send({ id: message.id, result: null });
  }
}

let buffer = Buffer.alloc(0);
child.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const header = buffer.subarray(0, end).toString();
    const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.subarray(end + 4, end + 4 + length).toString();
    buffer = buffer.subarray(end + 4 + length);
    onMessage(JSON.parse(body));
  }
});

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const deadline = Date.now() + 60_000;

await request("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(process.cwd()).href,
  capabilities: {
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
    textDocument: { publishDiagnostics: { relatedInformation: false } },
  },
});
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings } });

const uris = new Map();
for (const file of files) {
  const uri = pathToFileURL(resolve(file)).href;
  uris.set(uri, file);
  send({
    method: "textDocument/didOpen",
    params: {
      textDocument: { uri, languageId: "yaml", version: 1, text: readFileSync(file, "utf8") },
    },
  });
}

// Every file has been published and the server has been quiet for a second: the
// schemas are loaded and the last diagnostics are in.
while (
  Date.now() < deadline &&
  ([...uris.keys()].some((uri) => !published.has(uri)) || Date.now() - lastMessage < 1000)
) {
  await sleep(100);
}
const missing = [...uris].filter(([uri]) => !published.has(uri)).map(([, file]) => file);
if (missing.length > 0) {
  console.error(`yaml-language-server published nothing for: ${missing.join(", ")}`);
  child.kill();
  process.exit(2);
}

const out = {};
for (const [uri, file] of uris) {
  out[file] = published.get(uri).map((d) => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    message: d.message,
  }));
}
await request("shutdown", null);
send({ method: "exit" });
console.log(JSON.stringify(out, null, 2));
