//! Plain exports (no JS glue) so Node can time the domain in wasm.

#[unsafe(no_mangle)]
pub extern "C" fn threshold_decisions(n: u32) -> f64 {
    domain::bench_work::threshold_decisions(n) as f64
}

#[unsafe(no_mangle)]
pub extern "C" fn due_dates(n: u32) -> f64 {
    domain::bench_work::due_dates(n) as f64
}
