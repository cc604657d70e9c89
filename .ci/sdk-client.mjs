// Drives `monarch-mcp --demo` over stdio with the official TypeScript SDK
// client, which validates every result's structuredContent against the
// tool's outputSchema. Every tool is called once: required arguments are
// filled from the demo household (ids read with the read tools first), and
// tools that take dry_run are called with it. A tool whose result breaks its
// schema, or a read tool that fails, fails the run.
//
// Usage: node sdk-client.mjs /path/to/monarch-mcp
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const bin = process.argv[2];
const transport = new StdioClientTransport({
  command: bin,
  args: ["--demo", "--env-file="],
  env: { PATH: process.env.PATH, HOME: process.env.HOME, MONARCH_TOOLSETS: "all", MONARCH_LOG_LEVEL: "warn" },
  stderr: "inherit",
});
const client = new Client({ name: "sdk-client-check", version: "1" });
await client.connect(transport);

const { tools } = await client.listTools();
const json = (r) => (r.structuredContent ? r.structuredContent : JSON.parse(r.content?.[0]?.text ?? "{}"));
const read = async (name, args = {}) => json(await client.callTool({ name, arguments: args }));
const first = (xs) => (Array.isArray(xs) && xs.length ? xs[0] : {});

// Ids from the demo household, by the parameter names the tools use.
const ids = {};
const accounts = (await read("get_accounts")).accounts ?? [];
ids.account_id = first(accounts).id;
ids.from_account_id = ids.account_id;
const txs = (await read("get_transactions", { limit: 5 })).transactions ?? [];
ids.transaction_id = first(txs).id;
const cats = (await read("get_transaction_categories")).categories ?? [];
ids.category_id = first(cats).id;
const tags = (await read("get_transaction_tags")).tags ?? [];
ids.tag_id = first(tags).id;
const groups = (await read("get_category_groups")).groups ?? [];
ids.group_id = first(groups).id;
const rules = (await read("get_transaction_rules")).rules ?? [];
ids.rule_id = first(rules).id;
const goals = tools.some((t) => t.name === "get_goals") ? (await read("get_goals")).goals ?? [] : [];
ids.goal_id = first(goals).id;
const merchants = (await read("get_merchant", { search: "a" })).merchants ?? [];
ids.merchant_id = first(merchants).id;
ids.stream_id = merchants.find((m) => m.recurring?.id)?.recurring?.id;
const today = new Date().toISOString().slice(0, 10);

function valueFor(name, schema) {
  if (name in ids && ids[name]) return ids[name];
  if (name.endsWith("_ids")) {
    const one = ids[name.slice(0, -1)];
    return one ? [one] : [];
  }
  if (name.includes("date")) return today;
  if (name.includes("month")) return today.slice(0, 7);
  switch (schema?.type) {
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
  }
  if (schema?.enum?.length) return schema.enum[0];
  return "sdk check";
}

// Arguments a tool needs beyond its required ones to do something at all
// (one of several optional fields).
const extra = {
  get_merchant: { search: "a" },
  create_transaction_rule: { merchant: "SDK check", set_category_id: ids.category_id },
  update_transaction_rule: { merchant: "SDK check" },
  review_recurring_stream: { review_status: "approved" },
  split_transaction: { transaction_id: txs[1]?.id, splits: [] },
  bulk_update_transactions: { transaction_ids: [ids.transaction_id], set_notes: "SDK check" },
  create_manual_account: { type: "other_asset", subtype: "other", name: "SDK check" },
  update_account: { name: "SDK check" },
  set_budget_amount: { category_id: ids.category_id },
  update_category: { name: "SDK check" },
  update_goal: { name: "SDK check" },
  update_merchant: { name: "SDK check" },
  update_tag: { color: "#123456" },
  update_transaction: { notes: "SDK check" },
  upload_account_balance_history: { csv: `${today},100` },
  undo_changes: { last: 1 },
};

// Reads first, then writes, destructive tools last, so that a deletion
// cannot take away what a later call uses.
const rank = (t) =>
  t.annotations?.readOnlyHint ? 0 : !t.annotations?.destructiveHint ? 1 : t.name.startsWith("delete_") ? 3 : 2;
tools.sort((a, b) => rank(a) - rank(b));

let failures = 0;
let errors = 0;
for (const tool of tools) {
  const props = tool.inputSchema?.properties ?? {};
  const args = { ...(extra[tool.name] ?? {}) };
  for (const name of tool.inputSchema?.required ?? []) args[name] ??= valueFor(name, props[name]);
  if ("dry_run" in props) args.dry_run = true;
  const readOnly = tool.annotations?.readOnlyHint === true;
  try {
    const r = await client.callTool({ name: tool.name, arguments: args });
    if (r.isError) {
      errors++;
      const text = r.content?.[0]?.text ?? "";
      if (readOnly) {
        failures++;
        console.log(`FAIL ${tool.name}: read tool answered an error: ${text.slice(0, 200)}`);
      } else {
        console.log(`note ${tool.name}: ${text.slice(0, 120)}`);
      }
    }
  } catch (e) {
    failures++;
    console.log(`FAIL ${tool.name}: ${e.message}`);
  }
}
await client.close();
console.log(`${tools.length} tools called, ${errors} answered with a tool error, ${failures} failures`);
process.exit(failures ? 1 : 0);
