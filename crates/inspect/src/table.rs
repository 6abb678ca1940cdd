//! Tables as facts: the header row, the number of data rows, and per column a few samples and what most
//! of its cells look like (e-mail addresses, phone numbers), built row by row without keeping the rows.

use crate::{Column, ColumnClass, Table};

/// Columns beyond this are not described (a sheet can have 16,384).
const MAX_COLUMNS: usize = 256;
/// Non-empty data cells kept per column as samples.
const SAMPLES: usize = 3;
/// Characters kept of a sample or a header cell.
const SAMPLE_CHARS: usize = 64;

#[derive(Debug, Default)]
struct ColumnStats {
    filled: u64,
    emails: u64,
    phones: u64,
    samples: Vec<String>,
}

/// Builds a [`Table`] from rows given one at a time, either whole as `(column index, cell text)` or cell
/// by cell (a spreadsheet's cells are described as they are read, without keeping the row).
#[derive(Debug)]
pub(crate) struct TableBuilder {
    place: String,
    header: Option<Vec<String>>,
    /// The cells of the rows read until the header is found (the first row with a non-empty cell).
    pending: Vec<(usize, String)>,
    /// Whether the data row being read has a non-empty cell.
    filled: bool,
    rows: u64,
    columns: Vec<ColumnStats>,
}

fn shorten(text: &str) -> String {
    text.trim().chars().take(SAMPLE_CHARS).collect()
}

impl TableBuilder {
    pub(crate) fn new(place: String) -> Self {
        TableBuilder { place, header: None, pending: Vec::new(), filled: false, rows: 0, columns: Vec::new() }
    }

    pub(crate) fn row(&mut self, cells: Vec<(usize, String)>) {
        for (i, cell) in &cells {
            self.cell(*i, cell);
        }
        self.end_row();
    }

    /// One cell of the row being read, at zero-based column `i`.
    pub(crate) fn cell(&mut self, i: usize, cell: &str) {
        if self.header.is_none() {
            self.pending.push((i, cell.to_string()));
            return;
        }
        let cell = cell.trim();
        if i >= MAX_COLUMNS || cell.is_empty() {
            // A filled cell beyond the described columns still makes its row count.
            self.filled |= !cell.is_empty();
            return;
        }
        self.filled = true;
        if self.columns.len() <= i {
            self.columns.resize_with(i + 1, ColumnStats::default);
        }
        let stats = &mut self.columns[i];
        stats.filled += 1;
        if is_email(cell) {
            stats.emails += 1;
        } else if is_phone(cell) {
            stats.phones += 1;
        }
        if stats.samples.len() < SAMPLES {
            stats.samples.push(shorten(cell));
        }
    }

    /// Ends the row being read: the first row with a non-empty cell is the header, the next ones count.
    pub(crate) fn end_row(&mut self) {
        if self.header.is_some() {
            self.rows += u64::from(std::mem::take(&mut self.filled));
            return;
        }
        let cells = std::mem::take(&mut self.pending);
        if cells.iter().all(|(_, c)| c.trim().is_empty()) {
            return;
        }
        let width = cells.iter().map(|(i, _)| i + 1).max().unwrap_or(0).min(MAX_COLUMNS);
        let mut header = vec![String::new(); width];
        for (i, cell) in cells {
            if i < width {
                header[i] = shorten(&cell);
            }
        }
        self.header = Some(header);
    }

    pub(crate) fn finish(self) -> Option<Table> {
        let header = self.header?;
        let width = header.len().max(self.columns.len());
        let mut stats = self.columns;
        stats.resize_with(width, ColumnStats::default);
        let columns = stats
            .into_iter()
            .enumerate()
            .map(|(i, s)| Column {
                header: header.get(i).cloned().unwrap_or_default(),
                class: classify(&s),
                samples: s.samples,
            })
            .collect();
        Some(Table { place: self.place, header, rows: self.rows, columns })
    }
}

/// "Mostly": at least three cells and four in five of the filled ones.
fn classify(s: &ColumnStats) -> Option<ColumnClass> {
    let mostly = |n: u64| s.filled >= 3 && n * 5 >= s.filled * 4;
    if mostly(s.emails) {
        Some(ColumnClass::Email)
    } else if mostly(s.phones) {
        Some(ColumnClass::Phone)
    } else {
        None
    }
}

/// `local@domain.tld` without spaces.
pub(crate) fn is_email(cell: &str) -> bool {
    let Some((local, domain)) = cell.rsplit_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !cell.chars().any(char::is_whitespace)
}

/// A phone number as people write it: 9 to 15 digits, separated only by `-`, spaces, parentheses or a
/// leading `+`, and not a plain 12-digit number (which is as likely an order number or a My Number).
/// Full-width digits and hyphens (`０３－１２３４`) count as their ASCII forms.
pub(crate) fn is_phone(cell: &str) -> bool {
    let mut digits = 0;
    let mut separators = 0;
    for (i, c) in cell.chars().enumerate() {
        match c {
            '0'..='9' | '０'..='９' => digits += 1,
            '-' | '－' | 'ー' | '‐' | ' ' | '(' | ')' | '（' | '）' => separators += 1,
            '+' if i == 0 => {}
            _ => return false,
        }
    }
    let leading_zero =
        cell.starts_with('0') || cell.starts_with('０') || cell.starts_with('+') || cell.starts_with('(');
    (9..=15).contains(&digits) && (separators > 0 || (leading_zero && (10..=11).contains(&digits)))
}
