//! Entries inflated straight from an archive's bytes: stored and deflated entries are read whole, and a
//! damaged deflate stream is a visible problem on its entry, never a panic or a silently empty text.

use std::io::{Cursor, Write};

use misend_guard_inspect::{inspect, Kind, Limits, Reason};
use zip::write::SimpleFileOptions;

fn archive(method: zip::CompressionMethod) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("minutes.txt", SimpleFileOptions::default().compression_method(method)).unwrap();
    // Numbers that vary keep the ratio far below the zip-bomb limit.
    let text: String = (0..2000u64).map(|i| format!("{i} 社外秘 {}\n", i * 7919 % 10007 * 104729)).collect();
    zip.write_all(text.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn stored_and_deflated_entries_are_read_whole() {
    for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
        let facts = inspect(&archive(method), "minutes.zip", &Limits::default());
        let entry = &facts.entries[0].facts;
        assert_eq!((entry.kind, entry.problems.len()), (Kind::Text, 0), "{method:?}: {:?}", entry.problems);
        let text: String = entry.text.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\n");
        assert_eq!(text.matches("社外秘").count(), 2000, "{method:?}");
    }
}

#[test]
fn a_damaged_deflate_stream_is_a_problem_on_its_entry() {
    let mut bytes = archive(zip::CompressionMethod::Deflated);
    // The local header is 30 bytes and the name; the deflate stream follows. 0xFF starts a block of the
    // reserved type, which no inflater accepts.
    let data = 30 + "minutes.txt".len();
    bytes[data..data + 8].fill(0xFF);
    let facts = inspect(&bytes, "minutes.zip", &Limits::default());
    let entry = &facts.entries[0].facts;
    assert_eq!(entry.kind, Kind::Unread);
    assert_eq!(entry.problems[0].reason, Reason::Corrupt);
    assert!(entry.problems[0].detail.contains("corrupt deflate stream"), "{}", entry.problems[0].detail);
}
