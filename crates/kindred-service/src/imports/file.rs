//! Reading an uploaded CSV file: UTF-8, a header of known columns, records
//! of equal length. Every failure here rejects the whole file (`422` with
//! the reason under `file` or `header`); nothing is stored.

use kindred_core::import::Header;
use kindred_core::FieldErrors;

/// A file that can be imported: its header and its data records, each with
/// the row number a spreadsheet shows (the header is row 1).
#[derive(Debug)]
pub struct ParsedFile {
    pub header: Header,
    pub records: Vec<(u32, csv::StringRecord)>,
}

fn file_error(message: impl Into<String>) -> FieldErrors {
    FieldErrors::single("file", message)
}

/// Checks and reads `body`. The row number of a record is the line it starts
/// on, so blank lines count like a spreadsheet counts them (a quoted cell
/// with a line break still makes one row, numbered by its first line).
pub fn parse(body: &[u8]) -> Result<ParsedFile, FieldErrors> {
    let text = std::str::from_utf8(body).map_err(|e| {
        file_error(format!(
            "is not UTF-8 text (invalid byte at offset {}); save it as CSV UTF-8",
            e.valid_up_to()
        ))
    })?;
    parse_text(text)
}

/// [`parse`] for text already known to be UTF-8.
pub fn parse_text(text: &str) -> Result<ParsedFile, FieldErrors> {
    if text.contains('\0') {
        return Err(file_error("contains a NUL character; it is not a CSV file"));
    }
    if text.trim().is_empty() {
        return Err(file_error(
            "is empty; a header row naming the columns is required",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let names = reader.headers().map_err(not_csv)?.clone();
    let header = Header::parse(names.iter())?;
    let mut records = Vec::new();
    // The csv crate's own line count skips blank lines; count them from
    // the record's byte offset instead.
    let (mut at, mut line) = (0usize, 1u32);
    for record in reader.records() {
        let record = record.map_err(not_csv)?;
        let from = record
            .position()
            .map_or(at, |p| usize::try_from(p.byte()).unwrap_or(at));
        // The position may be that of blank lines skipped before the record.
        let start = from
            + text.get(from..).map_or(0, |rest| {
                rest.len() - rest.trim_start_matches(['\r', '\n']).len()
            });
        let newlines = text.get(at..start).map_or(0, |s| s.matches('\n').count());
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        at = start;
        records.push((line, record));
    }
    Ok(ParsedFile { header, records })
}

fn not_csv(e: csv::Error) -> FieldErrors {
    let at = e
        .position()
        .map(|p| format!("row {}: ", p.line()))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => file_error(format!(
            "{at}has {len} cell(s) but the header has {expected_len}; it is not a well-formed CSV file"
        )),
        csv::ErrorKind::Utf8 { .. } => file_error(format!("{at}is not UTF-8 text")),
        _ => file_error(format!("{at}is not a well-formed CSV file")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_like_a_spreadsheet() {
        let f = parse(b"email,role\na@b.org,mentee\n\n\"c@d.org\",mentor\n").unwrap();
        let rows: Vec<u32> = f.records.iter().map(|(n, _)| *n).collect();
        assert_eq!(rows, [2, 4]);
    }

    #[test]
    fn whole_file_problems_are_named() {
        let e = parse(&[0xff, 0xfe, b'a']).unwrap_err();
        assert!(e.get("file").unwrap()[0].contains("UTF-8"));
        let e = parse(b"").unwrap_err();
        assert!(e.get("file").unwrap()[0].contains("empty"));
        let e = parse(b"email,role\na@b.org\n").unwrap_err();
        assert!(e.get("file").unwrap()[0].contains("row 2"), "{e}");
        let e = parse(b"email,favourite_colour\n").unwrap_err();
        assert!(e.get("header").unwrap()[0].contains("favourite_colour"));
        assert!(parse(b"role\n").unwrap_err().contains("header"));
    }
}
