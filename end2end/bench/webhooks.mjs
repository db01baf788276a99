// Outgoing webhooks against a running Trainyard (see BENCHMARKS.md):
//   node end2end/bench/webhooks.mjs <base-url> <ci-token> <admin-session> <train> <participant>
// Starts a receiver on a free port, subscribes it (as the signed-in admin)
// to gate.results_recorded, then
//   1. posts BENCH_STEADY (100) gate results one after another, 100 ms
//      apart: the delay from each change's commit (its event's timestamp)
//      to its delivery, at rest;
//   2. posts BENCH_BURST (2,000) with 16 clients at once: how fast the
//      outbox drains (deliveries per second from the first commit to the
//      last delivery) and the delay under that load.
// Every delivery is counted by webhook-id; duplicates and losses are said.
import http from "node:http";

const [base, token, session, train, participant] = process.argv.slice(2);
if (!participant) {
  console.error("usage: node webhooks.mjs <base-url> <ci-token> <admin-session> <train> <participant>");
  process.exit(2);
}
const STEADY = Number(process.env.BENCH_STEADY ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 2000);
const CLIENTS = 16;

const arrivals = new Map(); // webhook-id -> { at, committed, count }
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const id = req.headers["webhook-id"];
    const seen = arrivals.get(id);
    if (seen) seen.count += 1;
    else arrivals.set(id, { at: Date.now(), committed: Date.parse(JSON.parse(body).timestamp), count: 1 });
    res.writeHead(204).end();
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const hook = `http://127.0.0.1:${receiver.address().port}/hook`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function call(method, path, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : undefined;
    const req = http.request(`${base}${path}`, {
      method, agent,
      headers: { "content-type": "application/json", ...headers },
    }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => (res.statusCode < 300 ? resolve(text) : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`))));
    });
    req.on("error", reject);
    req.end(data);
  });
}
const asAdmin = { cookie: `trainyard_session=${session}`, origin: base };
const asCi = { authorization: `Bearer ${token}` };
let n = 0;
const post = () =>
  call("POST", `/api/v1/release-trains/${train}/gate-results`, {
    results: [{ participant, gate: "quality_score", value: 80 + (n++ % 20) }],
  }, asCi);

const created = JSON.parse(await call("POST", "/api/v1/webhooks", {
  url: hook, description: "bench receiver", events: ["gate.results_recorded"],
}, asAdmin));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function drained(expected, within) {
  const deadline = Date.now() + within;
  while (arrivals.size < expected && Date.now() < deadline) await sleep(20);
  return arrivals.size;
}
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] };
}
const delays = () => [...arrivals.values()].map((a) => a.at - a.committed);
const duplicates = () => [...arrivals.values()].filter((a) => a.count > 1).length;

for (let i = 0; i < STEADY; i++) {
  await post();
  await sleep(100);
}
const steadyGot = await drained(STEADY, 30_000);
const steady = stats(delays());
console.log(`| at rest: ${STEADY} changes 100 ms apart | ${steadyGot}/${STEADY} | ${steady.p50} | ${steady.p99} | ${steady.max} | — | ${duplicates()} |`);

arrivals.clear();
const started = Date.now();
let sent = 0;
await Promise.all(Array.from({ length: CLIENTS }, async () => {
  while (sent < BURST) {
    sent++;
    await post();
  }
}));
const committed = Date.now() - started;
const burstGot = await drained(BURST, 300_000);
const took = Math.max(...[...arrivals.values()].map((a) => a.at)) - started;
const burst = stats(delays());
console.log(`| burst: ${BURST} changes from ${CLIENTS} clients (committed in ${(committed / 1000).toFixed(1)} s) | ${burstGot}/${BURST} | ${burst.p50} | ${burst.p99} | ${burst.max} | ${Math.round(burstGot / (took / 1000))} | ${duplicates()} |`);

await call("DELETE", `/api/v1/webhooks/${created.webhook.id}?reason=bench%20done`, undefined, asAdmin);
receiver.close();
agent.destroy();
