// Live-update latency against a running Trainyard (see BENCHMARKS.md):
//   node end2end/bench/bench.mjs <base-url> <ci-token> [train]
// Opens BENCH_SUBSCRIBERS event streams (100), posts BENCH_POSTS gate
// results (100) to the train one after another, and prints how long each
// took to reach every stream and until every page fetched again, then the
// same fetches with nothing changed (the client's own floor), as Markdown
// table rows. Page throughput is wrk's (.ci/bench.sh).
import http from "node:http";

const [base, token, train] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node bench.mjs <base-url> <ci-token with gates:write> [train]");
  process.exit(2);
}
const TRAIN = train ?? process.env.BENCH_TRAIN ?? "curve-2.1-rollout";

// Pages are fetched as a browser asks for them (compressed) over kept-alive
// connections, and count as shown when their last byte arrived. The bytes
// are not decoded here: each browser does that on its own machine, and a
// hundred of them decoding in this one process would measure this process.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function getPage(path) {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { agent, headers: { "accept-encoding": "gzip, deflate, br" } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
        res.on("data", () => {});
        res.on("end", resolve);
      })
      .on("error", reject);
  });
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

function row(name, st, extra = "") {
  const ms = (v) => v.toFixed(1);
  console.log(`| ${name} | ${st.n} | ${ms(st.p50)} | ${ms(st.p95)} | ${ms(st.max)} | ${extra} |`);
}

// Opens an event stream and calls `onChange(resource, receivedAt)` per notice.
async function stream(onChange) {
  const controller = new AbortController();
  const res = await fetch(`${base}/events`, { signal: controller.signal });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i;
        while ((i = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = block.split("\n").find((l) => l.startsWith("data:"));
          if (data) onChange(JSON.parse(data.slice(5)).resource, performance.now());
        }
      }
    } catch {}
  })();
  return () => controller.abort();
}

// Each of `subscribers` open pages holds an event stream; when a change to
// the train arrives, it fetches the page again (as the page's live regions
// do). Measured: from sending the gate result to the notice at every page,
// and to every page holding its fresh HTML.
async function liveLatency(subscribers, posts) {
  let waiting = null;
  const closers = [];
  for (let s = 0; s < subscribers; s++) {
    closers.push(
      await stream((resource, at) => {
        if (waiting && resource === `train:${TRAIN}`) waiting.seen(at);
      }),
    );
  }
  await new Promise((r) => setTimeout(r, 300));
  const notices = [];
  const pages = [];
  const writes = [];
  for (let i = 0; i < posts; i++) {
    let resolve;
    const all = new Promise((r) => (resolve = r));
    let count = 0;
    const started = performance.now();
    waiting = {
      seen(at) {
        notices.push(at - started);
        getPage(`/trains/${TRAIN}`)
          .then(() => {
            pages.push(performance.now() - started);
            if (++count === subscribers) resolve();
          });
      },
    };
    const res = await fetch(`${base}/api/v1/release-trains/${TRAIN}/gate-results`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ results: [{ participant: PARTICIPANT, gate: "quality_score", value: 80 + (i % 20) }] }),
    });
    writes.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`POST gate-results: ${res.status} ${await res.text()}`);
    await all;
  }
  closers.forEach((c) => c());
  row(`gate result POST (commit + audit + notify)`, stats(writes), `sequential`);
  row(`gate result → change notice at ${subscribers} open pages`, stats(notices), `p99 ${p99(notices)} ms`);
  row(`gate result → fresh page HTML at ${subscribers} open pages`, stats(pages), `p99 ${p99(pages)} ms`);
}

const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(0.99 * xs.length)].toFixed(1);

// This one process fetching the page `subscribers` times at once, nothing
// having changed: the floor under the fresh-page figure, which a hundred
// browsers on a hundred machines would not share.
async function clientFloor(subscribers, rounds) {
  const pages = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: subscribers }, () =>
        getPage(`/trains/${TRAIN}`).then(() => pages.push(performance.now() - started)),
      ),
    );
  }
  row(`${subscribers} page fetches at once, nothing changed (this client's floor)`, stats(pages), `p99 ${p99(pages)} ms`);
}

// The train's first participant, to report for.
const status = await (await fetch(`${base}/api/v1/release-trains/${TRAIN}/status`)).json();
const PARTICIPANT = status.participants?.[0]?.service ?? "curve";

console.log("| measurement | n | p50 ms | p95 ms | max ms | notes |");
console.log("| --- | --- | --- | --- | --- | --- |");
await liveLatency(Number(process.env.BENCH_SUBSCRIBERS ?? 100), Number(process.env.BENCH_POSTS ?? 100));
await clientFloor(Number(process.env.BENCH_SUBSCRIBERS ?? 100), Number(process.env.BENCH_POSTS ?? 100));
