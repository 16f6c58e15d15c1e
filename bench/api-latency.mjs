// Prints the latency of the API's hot paths in the built Worker on a local
// D1 (Miniflare), against GET /api/me as the baseline measured in the same
// run. Usage: node bench/api-latency.mjs [extra users, default 100000]
// The users are inserted straight into the table; the trigger of migration
// 0010 puts each in the search index (users_search) as it does every user.
import { startTestApp, DEMO } from "../functions/tests/test-app.mjs";

const extraUsers = Number(process.argv[2] ?? 100_000);
const ROUNDS = 200;

const app = await startTestApp();
const organizationId = (await app.db.prepare("SELECT organization_id FROM users WHERE email = ?1").bind(DEMO.admin).first()).organization_id;
for (let start = 0; start < extraUsers; start += 500) {
  const statements = [];
  for (let i = start; i < Math.min(start + 500, extraUsers); i++) {
    statements.push(app.db.prepare(
      "INSERT INTO users (id, organization_id, first_name, last_name, email, email_normalized, role, status, search_text, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 'user', 'active', lower(?3 || ' ' || ?4 || ' ' || ?5), 0, 0)",
    ).bind(crypto.randomUUID(), organizationId, `First${i}`, `Last${String(i).padStart(6, "0")}`, `user${i}@bench.example`));
  }
  await app.db.batch(statements);
}

async function measure(label, fn) {
  for (let i = 0; i < 10; i++) await fn();
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.floor(times.length * 0.95)];
  console.log(`${label.padEnd(40)} median ${median.toFixed(2)} ms   p95 ${p95.toFixed(2)} ms`);
  return median;
}

const cookie = await app.signIn(DEMO.admin);
const me = await measure("GET /api/me (baseline)", () => app.request("GET", "/api/me", { cookie }));
const first = await measure("GET /api/users (first page of 50)", () => app.request("GET", "/api/users", { cookie }));
// A cursor in the middle of the organization: keyset paging seeks to it.
const middle = String(Math.floor(extraUsers / 2)).padStart(6, "0");
const deepCursor = Buffer.from(`Last${middle}\u001fFirst\u001f`).toString("hex");
const deep = await measure("GET /api/users (a page in the middle)", () => app.request("GET", `/api/users?after=${deepCursor}`, { cookie }));
const common = await measure("GET /api/users?q=first1 (many match)", () => app.request("GET", "/api/users?q=first1", { cookie }));
const rare = await measure(`GET /api/users?q=user${extraUsers - 1}@ (one match)`, () => app.request("GET", `/api/users?q=user${extraUsers - 1}@`, { cookie }));
// Under 3 characters the index cannot serve: the walk of the names, here to the end.
const short = await measure("GET /api/users?q=zq (2 characters, none)", () => app.request("GET", "/api/users?q=zq", { cookie }));
const someone = (await app.request("GET", "/api/users?limit=1", { cookie })).json.users[0].id;
const detail = await measure("GET /api/users/{id}", () => app.request("GET", `/api/users/${someone}`, { cookie }));
let created = 0;
const create = await measure("POST /api/users (create one)", () => app.request("POST", "/api/users", {
  cookie, body: { first_name: "Bench", last_name: "Created", email: `created${created++}@bench.example`, birth_date: "01-01-1990" },
}));
const signInStarted = performance.now();
for (let i = 0; i < 10; i++) await app.signIn(DEMO.admin);
const signIn = (performance.now() - signInStarted) / 10;
console.log(`${"POST /api/session (Argon2id verify)".padEnd(40)} mean ${signIn.toFixed(2)} ms`);
console.log(`organization size: ${extraUsers + 6} users`);
const ratio = (value) => (value / me).toFixed(2);
const indexed = (await app.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'users_search'").first()).n > 0;
console.log(`one-match search: ${rare.toFixed(2)} ms, ${ratio(rare)} × GET /api/me (${indexed ? "trigram index" : "no index: the walk"})`);
console.log(`ratios to /api/me: first page ${ratio(first)}, middle page ${ratio(deep)}, search many ${ratio(common)}, search one ${ratio(rare)}, search 2 characters ${ratio(short)}, user ${ratio(detail)}, create ${ratio(create)}, sign-in ${ratio(signIn)}`);
await app.dispose();
