// Times the domain's decisions and due dates in wasm under Node: the same work
// as `cargo run --release -p domain --example bench --features bench`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const path = new URL('../target/wasm32-unknown-unknown/release/bench_wasm.wasm', import.meta.url);
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const { threshold_decisions: decisions, due_dates: dueDates } = instance.exports;

function measure(name, unit, work) {
  work(1000);
  for (let n = 1000; ; n *= 4) {
    const start = performance.now();
    work(n);
    const seconds = (performance.now() - start) / 1000;
    if (seconds > 1 || n >= 2 ** 26) {
      console.log(`${name.padEnd(34)} ${Math.round(n / seconds).toString().padStart(12)} ${unit}/s   (${n} in ${seconds.toFixed(2)} s)`);
      return;
    }
  }
}

console.log(`domain benchmark (wasm32 under Node ${process.version})`);
measure('threshold decisions', 'decisions', decisions);
measure('due dates (mixed units)', 'due dates', dueDates);
