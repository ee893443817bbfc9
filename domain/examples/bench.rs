//! Decisions and due-date computations per second, natively. Prints figures;
//! asserts nothing. `cargo run --release -p domain --example bench`
//! (`make bench` also runs the same work in wasm under Node).

use std::hint::black_box;
use std::time::Instant;

use domain::bench_work::{due_dates, threshold_decisions};

fn measure(name: &str, unit: &str, work: impl Fn(u32) -> u64) {
    // Warm up, then run for about a second.
    black_box(work(1_000));
    let mut n = 1_000u32;
    loop {
        let start = Instant::now();
        black_box(work(n));
        let elapsed = start.elapsed().as_secs_f64();
        if elapsed > 1.0 || n >= 1 << 26 {
            println!("{name:<34} {:>12.0} {unit}/s   ({n} in {elapsed:.2} s)", n as f64 / elapsed);
            return;
        }
        n *= 4;
    }
}

fn main() {
    println!("domain benchmark (native, release)");
    measure("threshold decisions", "decisions", threshold_decisions);
    measure("due dates (mixed units)", "due dates", due_dates);
}
