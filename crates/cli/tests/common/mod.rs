//! What the CLI's test files share: a scratch folder per test.

use std::path::{Path, PathBuf};

/// A scratch folder for files a test writes, removed when the test ends.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new, empty folder for the test named `test` (the process id keeps parallel runs apart).
pub fn scratch(test: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("misend-guard-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}
