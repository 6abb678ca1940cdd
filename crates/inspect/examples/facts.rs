//! Prints the facts of the files given as arguments, as JSON: `cargo run -p misend-guard-inspect --example facts -- a.xlsx`.

fn main() {
    let limits = misend_guard_inspect::Limits::default();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let name = path.rsplit('/').next().unwrap_or(&path);
        let facts = misend_guard_inspect::inspect(&bytes, name, &limits);
        println!("{}", serde_json::to_string_pretty(&facts).expect("facts serialize"));
    }
}
