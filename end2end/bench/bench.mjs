// Load measurements against a running Trainyard (see BENCHMARKS.md).
//   node end2end/bench/bench.mjs <base-url> <ci-token>
// Prints one Markdown table row per measurement.
const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node bench.mjs <base-url> <ci-token with gates:write>");
  process.exit(2);
}
const TRAIN = process.env.BENCH_TRAIN ?? "curve-2.1-rollout";

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
  const latencies = [];
  const writes = [];
  for (let i = 0; i < posts; i++) {
    let resolve;
    const all = new Promise((r) => (resolve = r));
    let count = 0;
    const started = performance.now();
    waiting = {
      seen(at) {
        latencies.push(at - started);
        if (++count === subscribers) resolve();
      },
    };
    const res = await fetch(`${base}/api/v1/release-trains/${TRAIN}/gate-results`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ results: [{ participant: "curve", gate: "quality_score", value: 80 + (i % 20) }] }),
    });
    writes.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`POST gate-results: ${res.status} ${await res.text()}`);
    await all;
  }
  closers.forEach((c) => c());
  row(`gate result POST (commit + audit + notify)`, stats(writes), `sequential`);
  row(`gate result → SSE change at ${subscribers} open pages`, stats(latencies), `issue 5 asks for < 1000 ms`);
}

async function pageLatency(path, requests, concurrency) {
  const samples = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const started = performance.now();
        const res = await fetch(`${base}${path}`);
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        samples.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  row(`GET ${path}`, stats(samples), `${concurrency} at a time, ${(requests / seconds).toFixed(0)} req/s`);
}

console.log("| measurement | n | p50 ms | p95 ms | max ms | notes |");
console.log("| --- | --- | --- | --- | --- | --- |");
await liveLatency(Number(process.env.BENCH_SUBSCRIBERS ?? 20), Number(process.env.BENCH_POSTS ?? 100));
for (const path of ["/", `/trains/${TRAIN}`, "/calendar", "/calendar?view=month", "/trains", "/calendar.ics"]) {
  await pageLatency(path, Number(process.env.BENCH_REQUESTS ?? 200), Number(process.env.BENCH_CONCURRENCY ?? 4));
}
