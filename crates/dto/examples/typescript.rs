//! Prints the TypeScript declarations of the engine's JSON shapes, for `cargo xtask codegen`
//! (`extension/engine/review.d.ts`): the JavaScript of the add-on and the playground is
//! type-checked against them, so the review's shape has one source, `crates/dto`.

use misend_guard_dto::typescript_declarations;

fn main() {
    print!("{}", typescript_declarations());
}
