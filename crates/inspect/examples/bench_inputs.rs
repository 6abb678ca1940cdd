//! Writes the generated inputs of the inspector's benchmarks (`people.xlsx`, 5,000 rows, and
//! `contract.docx`, 10 MB of `document.xml`) into the folder given as the argument, for the node wasm
//! benchmark (`tests/bench/inspect-bench.mjs`), which inspects the same bytes as the criterion benchmark.
//!
//! With `--time N` it instead inspects each input N times natively and prints the mean wall time and,
//! on Linux, the mean time on the CPU (which a machine shared with other work does not inflate).

#[path = "../benches/inputs.rs"]
mod inputs;

use std::time::Instant;

use misend_guard_inspect::{inspect, Limits};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inputs = [("people.xlsx", inputs::workbook()), ("contract.docx", inputs::document())];
    if let Some(at) = args.iter().position(|a| a == "--time") {
        let rounds: u32 = args.get(at + 1).and_then(|n| n.parse().ok()).unwrap_or(20);
        let limits = Limits::default();
        // A third argument picks one input by name (`--time 20 xlsx`), for a profile of that one alone.
        let only = args.get(at + 2).map(String::as_str).unwrap_or("");
        for (name, bytes) in inputs.iter().filter(|(name, _)| name.contains(only)) {
            let (start, cpu) = (Instant::now(), cpu_ns());
            for _ in 0..rounds {
                std::hint::black_box(inspect(bytes, name, &limits));
            }
            let per = |total: f64| total / f64::from(rounds);
            let wall = per(start.elapsed().as_secs_f64() * 1000.0);
            let cpu = cpu.zip(cpu_ns()).map(|(a, b)| per((b - a) as f64 / 1e6));
            println!("{name}: {wall:.2} ms wall, {} ms on the CPU", cpu.map_or("?".into(), |c| format!("{c:.2}")));
        }
        return;
    }
    let dir = args.first().expect("usage: bench_inputs <folder> | --time N");
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
    for (name, bytes) in &inputs {
        let path = format!("{dir}/{name}");
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("{path}: {} bytes", bytes.len());
    }
}

/// The nanoseconds this thread has run on a CPU (Linux's schedstat), if known.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
