//! The committed fuzz corpus of the attachment inspector (`fuzz/corpus/inspect`), replayed on stable
//! by `cargo test`, through the very function the fuzz target `inspect` calls (`fuzz/common/inspect.rs`).
//! The corpus is seeded with the real files of `tests/attachments/`, each under its own name.

#[path = "../../../fuzz/common/inspect.rs"]
mod inspect;
#[path = "../../../fuzz/common/replay.rs"]
mod replay;

#[test]
fn inspect_corpus_replays() {
    replay::replay("inspect", 20, inspect::run);
}
