// Starts an unpacked bundle the way Claude Desktop does: the command, args
// and environment come from the official packer's own getMcpConfigForManifest
// (variable substitution, defaults, platform overrides), then the server
// lists its tools in demo mode. Run by scripts/bundle.sh through
//   npx -p @anthropic-ai/mcpb@VERSION -c "node scripts/mcpb-start.mjs DIR"
// so that the library is the pinned packer's.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = path.resolve(process.argv[2]);
const bin = process.env.PATH.split(path.delimiter)
  .map((d) => path.join(d, "mcpb"))
  .find((p) => fs.existsSync(p));
if (!bin) throw new Error("mcpb is not on PATH; run through npx -p @anthropic-ai/mcpb");
const lib = path.join(path.dirname(fs.realpathSync(bin)), "..", "index.js");
const { getMcpConfigForManifest } = await import(pathToFileURL(lib).href);
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));

function start(userConfig) {
  return getMcpConfigForManifest({
    manifest,
    extensionPath: dir,
    systemDirs: { HOME: process.env.HOME ?? "/tmp", DESKTOP: "/tmp", DOCUMENTS: "/tmp", DOWNLOADS: "/tmp" },
    userConfig,
    pathSeparator: path.sep,
  });
}

const failures = [];
const cases = [
  // Only the required settings: the optional ones fall back to their defaults.
  { name: "required settings only", userConfig: { email: "you@example.com", password: "unused" }, readOnly: false },
  { name: "read-only on, key given", userConfig: { email: "you@example.com", password: "unused", mfa_secret: "JBSWY3DPEHPK3PXP", read_only: true }, readOnly: true },
  { name: "toolsets chosen", userConfig: { email: "you@example.com", password: "unused", toolsets: "transactions,goals" }, readOnly: false, wants: "get_goals" },
];
for (const c of cases) {
  const cfg = await start(c.userConfig);
  if (!cfg) { failures.push(`${c.name}: no MCP config (required settings missing?)`); continue; }
  const unresolved = JSON.stringify(cfg).match(/\$\{[^}]*\}/g);
  if (unresolved) failures.push(`${c.name}: unresolved ${unresolved.join(", ")} in ${JSON.stringify(cfg)}`);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp", ...cfg.env };
  const r = spawnSync(cfg.command, [...cfg.args, "--demo", "tools"], { env, encoding: "utf8" });
  if (r.status !== 0) {
    failures.push(`${c.name}: ${cfg.command} exited ${r.status} ${r.error ?? ""}\n${r.stderr}`);
    continue;
  }
  // `tools` lists TOOLSET TOOL KIND …, one served tool a line.
  const writes = /^[a-z_]+ +delete_transaction +destructive /m.test(r.stdout);
  if (writes === c.readOnly) failures.push(`${c.name}: write tools ${writes ? "listed" : "missing"}`);
  const tools = r.stdout.split("\n").filter((l) => /^[a-z_]+ +[a-z_]+ +(read|write|destructive) /.test(l)).length;
  if (tools === 0) failures.push(`${c.name}: no tools listed:\n${r.stdout}`);
  if (c.wants && !new RegExp(`^[a-z_]+ +${c.wants} `, "m").test(r.stdout)) failures.push(`${c.name}: ${c.wants} not listed`);
  console.log(`mcpb-start: ${c.name}: ${path.relative(process.cwd(), cfg.command)} ${cfg.args.join(" ")} -> ${tools} tools`);
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
