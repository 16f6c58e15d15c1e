//! Records of a whole UTF-8 file held in memory, read in one pass over its
//! bytes without copying cells: the fast path of the bulk check (the import
//! page has the whole file). It reads exactly what the streaming path
//! (`DecodedReader` + the csv crate) reads: `\r\n`, `\r` and `\n` end lines
//! (inside quotes too, where they become `\n`), blank lines are skipped but
//! counted, `""` in quotes is a quote, text after a closing quote belongs to
//! the cell. `tests/properties.rs` holds the two paths together.

/// Where a cell's text is: a byte range of the file or, counted from the
/// file's length on, of the scratch buffer where unescaped text is (so one
/// comparison tells which). Files are far smaller than 4 GiB.
type Cell = (u32, u32);

pub struct MemoryRecords {
    text: String,
    /// Bytes before `text` in the file (a UTF-8 byte-order mark).
    skipped: usize,
    pos: usize,
    /// The line `pos` is on, counting from 1.
    line: u64,
    cells: Vec<Cell>,
    scratch: String,
    delimiter: u8,
    /// Whether the text ended inside a quoted cell.
    ended_in_quotes: bool,
}

/// The record last read, cell by cell.
pub struct MemoryRecord<'a> {
    text: &'a str,
    scratch: &'a str,
    cells: &'a [Cell],
}

impl MemoryRecord<'_> {
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Always inlined, as `len` is: the check asks for every cell, and
    /// called out of line from its large loop (as the compiler chose for a
    /// part's check) they cost a tenth of the check.
    #[inline(always)]
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.cells.get(index)?;
        let (start, end, file) = (start as usize, end as usize, self.text.len());
        debug_assert!(if start < file { self.text.get(start..end).is_some() } else { self.scratch.get(start - file..end - file).is_some() });
        // SAFETY: cells start and end at the text's ends or next to an ASCII
        // byte (a delimiter, quote or line break), and the scratch buffer
        // is whole strings pushed one after another: char boundaries, all.
        Some(unsafe { if start < file { self.text.get_unchecked(start..end) } else { self.scratch.get_unchecked(start - file..end - file) } })
    }

    /// The record's text in the file from the start of cell `index` to the
    /// end of its last cell, when that text alone reads as the cells from
    /// `index` on: the cell is not quoted (its text would start after the
    /// quote, and `"a"` would read as `a"`). A last cell read in place that
    /// is quoted ends at its closing quote, which the line break follows.
    pub fn text_from(&self, index: usize) -> Option<&str> {
        let (start, end) = (self.cells.get(index)?.0 as usize, self.cells.last()?.1 as usize);
        let quoted = start > 0 && self.text.as_bytes().get(start - 1) == Some(&b'"');
        if quoted { None } else { self.text.get(start..end) }
    }

    /// The byte range of `cell` in the file's text, when it is a slice of
    /// it (and not of the scratch buffer).
    pub fn place_in_file(&self, cell: &str) -> Option<(u32, u32)> {
        let start = (cell.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start + cell.len();
        (end <= self.text.len()).then_some((start as u32, end as u32))
    }
}

/// The lines a record started and ended on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lines {
    pub first: u64,
    pub last: u64,
}

const BOM: &str = "\u{feff}";

/// Where unquoted text from `at` ends: at the next delimiter, line break or
/// the end of the file. Cells are short, so eight bytes are looked at at
/// once.
fn unquoted_end(bytes: &[u8], at: usize, delimiter: u8) -> usize {
    let mut start = at;
    while start < bytes.len() {
        let found = bytes_among(word_at(bytes, start), [delimiter, b'\r', b'\n']);
        if found != 0 {
            // A match in the padding past the end is no match.
            return (start + (found.trailing_zeros() / 8) as usize).min(bytes.len());
        }
        start += 8;
    }
    bytes.len()
}

/// The eight bytes from `start`, padded with zeros past the end.
fn word_at(bytes: &[u8], start: usize) -> u64 {
    match bytes.get(start..start + 8) {
        Some(word) => u64::from_le_bytes(word.try_into().expect("eight bytes")),
        None => {
            let mut word = [0u8; 8];
            word[..bytes.len() - start].copy_from_slice(&bytes[start..]);
            u64::from_le_bytes(word)
        }
    }
}

/// The top bit of each byte of `word` that is one of `wanted`, exactly (no
/// carry crosses a byte).
fn bytes_among<const N: usize>(word: u64, wanted: [u8; N]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW_SEVEN: u64 = 0x7f * ONES;
    // The top bit of each byte that differs from `byte`.
    let differs = |byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        ((x & LOW_SEVEN) + LOW_SEVEN) | x
    };
    !wanted.into_iter().fold(u64::MAX, |all_differ, byte| all_differ & differs(byte)) & (ONES << 7)
}

/// The bytes of a line looked at at once, and which of them are the
/// delimiter, a line break or a quote: sixteen with WebAssembly's vector
/// instructions, where the import page checks files; eight in a word
/// elsewhere.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod block {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load, v128_or};

    pub const BYTES: usize = 16;
    /// Bits of a mark per byte: a byte's mark is bit `i` for byte `i`.
    pub const MARK_BITS: u32 = 1;

    pub fn marks(block: &[u8; BYTES], delimiter: u8) -> [u64; 3] {
        // SAFETY: the load reads the block's sixteen bytes; it needs no
        // alignment.
        let bytes = unsafe { v128_load(block.as_ptr().cast::<v128>()) };
        let [delimiters, returns, newlines, quotes] = [delimiter, b'\r', b'\n', b'"'].map(|byte| u8x16_eq(bytes, u8x16_splat(byte)));
        [delimiters, v128_or(returns, newlines), quotes].map(|found| u64::from(u8x16_bitmask(found)))
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod block {
    pub const BYTES: usize = 8;
    /// Bits of a mark per byte: a byte's mark is the top bit of its byte.
    pub const MARK_BITS: u32 = 8;

    pub fn marks(block: &[u8; BYTES], delimiter: u8) -> [u64; 3] {
        let word = u64::from_le_bytes(*block);
        [super::bytes_among(word, [delimiter]), super::bytes_among(word, [b'\r', b'\n']), super::bytes_among(word, [b'"'])]
    }
}

/// Past the line break at `at`; `\r\n` is one.
fn past_line_break(bytes: &[u8], at: usize) -> usize {
    if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
        at + 2
    } else {
        at + 1
    }
}

impl MemoryRecords {
    /// The file as text, or its bytes back when it is not plain UTF-8 (the
    /// streaming path then decodes it).
    pub fn new(bytes: Vec<u8>) -> Result<MemoryRecords, Vec<u8>> {
        let mut text = String::from_utf8(bytes).map_err(|error| error.into_bytes())?;
        let skipped = if text.starts_with(BOM) { BOM.len() } else { 0 };
        // As the decoder does: the text ends in a line break, which an
        // unclosed quote at the end takes into its cell.
        if text.len() > skipped && !text.ends_with(['\n', '\r']) {
            text.push('\n');
        }
        Ok(MemoryRecords { text, skipped, pos: skipped, line: 1, cells: Vec::new(), scratch: String::new(), delimiter: b';', ended_in_quotes: false })
    }

    /// The first line, for choosing the delimiter.
    pub fn first_line(&self) -> &str {
        self.text[self.skipped..].split(['\n', '\r']).next().unwrap_or_default()
    }

    /// The file's text, as `MemoryRecord::place_in_file` counts it.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set_delimiter(&mut self, delimiter: u8) {
        self.delimiter = delimiter;
    }

    pub fn bytes_read(&self) -> u64 {
        self.pos as u64
    }

    /// The line the reader is on: after the last record, the line after it.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Whether the last record's quote was never closed: the text ended
    /// inside a quoted cell.
    pub fn ended_in_quotes(&self) -> bool {
        self.ended_in_quotes
    }

    pub fn record(&self) -> MemoryRecord<'_> {
        MemoryRecord { text: &self.text, scratch: &self.scratch, cells: &self.cells }
    }

    /// Reads the next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Option<Lines> {
        let end = self.text.len();
        let mut at = self.pos;
        // Blank lines are no records, but they are lines.
        while at < end && matches!(self.text.as_bytes()[at], b'\r' | b'\n') {
            self.line += 1;
            at = past_line_break(self.text.as_bytes(), at);
        }
        if at >= end {
            self.pos = end;
            return None;
        }
        self.cells.clear();
        self.scratch.clear();
        let first = self.line;
        if let Some(line_break) = self.unquoted_line(at) {
            self.line += 1;
            self.pos = past_line_break(self.text.as_bytes(), line_break);
            return Some(Lines { first, last: first });
        }
        loop {
            at = if self.text.as_bytes()[at..].first() == Some(&b'"') { self.quoted_cell(at + 1) } else { self.plain_cell(at) };
            match self.text.as_bytes().get(at) {
                Some(b) if *b == self.delimiter => at += 1,
                Some(b'\r' | b'\n') => {
                    let last = self.line;
                    self.line += 1;
                    self.pos = past_line_break(self.text.as_bytes(), at);
                    return Some(Lines { first, last });
                }
                _ => {
                    // Only a quote left open reaches the end without a line
                    // break (the text ends in one). The streaming reader then
                    // counts that last line break as the record's end, not its
                    // cell's, so its lines are one earlier; so are these.
                    self.pos = end;
                    self.ended_in_quotes = true;
                    return Some(Lines { first: first - 1, last: self.line - 1 });
                }
            }
        }
    }

    /// The usual record: a line without quotes, whose cells end at each
    /// delimiter. Its cells and where its line break is; `None`, with no
    /// cells kept, when a quote comes first (the general reader then reads
    /// the record). A `block` of bytes is looked at at once, and each
    /// delimiter found ends a cell without looking at the bytes between.
    fn unquoted_line(&mut self, at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut cell_start = at;
        let mut block_start = at;
        // The text ends in a line break, so a line without quotes meets one
        // within the text.
        while let Some(block) = bytes.get(block_start..block_start + block::BYTES) {
            let [delimiters, breaks, quotes] = block::marks(block.try_into().expect("a block"), self.delimiter);
            // Marks past the block's first line break are the next line's.
            let before_break = if breaks == 0 { u64::MAX } else { (breaks & breaks.wrapping_neg()) - 1 };
            if quotes & before_break != 0 {
                break;
            }
            let mut ends = delimiters & before_break;
            while ends != 0 {
                let at = block_start + (ends.trailing_zeros() / block::MARK_BITS) as usize;
                ends &= ends - 1;
                self.cells.push((cell_start as u32, at as u32));
                cell_start = at + 1;
            }
            if breaks != 0 {
                let at = block_start + (breaks.trailing_zeros() / block::MARK_BITS) as usize;
                self.cells.push((cell_start as u32, at as u32));
                return Some(at);
            }
            block_start += block::BYTES;
        }
        // A quote, or the last few bytes of the text: read generally.
        self.cells.clear();
        None
    }

    /// An unquoted cell from `at` to the next delimiter or line break.
    fn plain_cell(&mut self, at: usize) -> usize {
        let stop = unquoted_end(self.text.as_bytes(), at, self.delimiter);
        self.cells.push((at as u32, stop as u32));
        stop
    }

    /// A quoted cell whose text starts at `start` (after the opening quote);
    /// returns where the cell ends. The text stays in the file unless it
    /// holds `""` or `\r`, which need rewriting.
    fn quoted_cell(&mut self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let end = bytes.len();
        // Text from `copied` on is not yet in the scratch buffer; `None`
        // while the cell is still a plain slice of the file.
        let mut scratch_start: Option<usize> = None;
        let mut copied = start;
        let mut at = start;
        let close = loop {
            let Some(offset) = bytes[at..].iter().position(|b| matches!(b, b'"' | b'\r' | b'\n')) else {
                break end;
            };
            at += offset;
            match bytes[at] {
                b'\n' => {
                    self.line += 1;
                    at += 1;
                }
                b'\r' => {
                    scratch_start.get_or_insert(self.scratch.len());
                    self.scratch.push_str(&self.text[copied..at]);
                    self.scratch.push('\n');
                    self.line += 1;
                    at = past_line_break(bytes, at);
                    copied = at;
                }
                _ if bytes.get(at + 1) == Some(&b'"') => {
                    scratch_start.get_or_insert(self.scratch.len());
                    self.scratch.push_str(&self.text[copied..=at]);
                    at += 2;
                    copied = at;
                }
                _ => break at,
            }
        };
        let after_quote = (close + 1).min(end);
        // Text after the closing quote, up to the delimiter or line break, is part of the cell.
        let trailing_end = unquoted_end(bytes, after_quote, self.delimiter);
        if scratch_start.is_none() && trailing_end == after_quote {
            self.cells.push((start as u32, close as u32));
            return after_quote;
        }
        let from = *scratch_start.get_or_insert(self.scratch.len());
        self.scratch.push_str(&self.text[copied..close]);
        self.scratch.push_str(&self.text[after_quote..trailing_end]);
        let file = self.text.len();
        self.cells.push(((file + from) as u32, (file + self.scratch.len()) as u32));
        trailing_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(Vec<String>, Lines)> {
        let mut memory = MemoryRecords::new(text.as_bytes().to_vec()).unwrap();
        let mut found = Vec::new();
        while let Some(lines) = memory.next_record() {
            let record = memory.record();
            found.push(((0..record.len()).map(|i| record.get(i).unwrap().to_owned()).collect(), lines));
        }
        found
    }

    fn cells(text: &str) -> Vec<Vec<String>> {
        records(text).into_iter().map(|(cells, _)| cells).collect()
    }

    #[test]
    fn cells_split_at_delimiters_and_records_at_any_line_break() {
        assert_eq!(cells("a;b\r\nc;d\re;f\ng;"), vec![vec!["a", "b"], vec!["c", "d"], vec!["e", "f"], vec!["g", ""]]);
        assert_eq!(cells("\u{feff}x;y\n"), vec![vec!["x", "y"]]);
    }

    #[test]
    fn quotes_are_read_as_a_spreadsheet_writes_them() {
        assert_eq!(cells("\"a;b\";\"say \"\"hi\"\"\"\n"), vec![vec!["a;b", "say \"hi\""]]);
        assert_eq!(cells("\"two\r\nlines\";x\n"), vec![vec!["two\nlines", "x"]]);
        assert_eq!(cells("\"a\"b\"c;d\n"), vec![vec!["ab\"c", "d"]]);
        assert_eq!(cells("x\"y;\"open"), vec![vec!["x\"y", "open\n"]], "the text ends in a line break, which an open quote takes");
        assert_eq!(cells("\"a\"\"\""), vec![vec!["a\""]]);
    }

    #[test]
    fn blank_lines_and_line_breaks_in_cells_count_as_lines() {
        let found = records("h\n\n\"a\nb\";c\r\n\r\nd\n");
        let lines: Vec<(u64, u64)> = found.iter().map(|(_, l)| (l.first, l.last)).collect();
        assert_eq!(lines, vec![(1, 1), (3, 4), (6, 6)]);
    }

    #[test]
    fn unquoted_text_ends_at_the_first_delimiter_or_line_break_in_any_word() {
        let text = b"abcdefghijklmnopq;rs\ntuvwxyz\r";
        for at in 0..text.len() {
            let expected = text[at..].iter().position(|b| matches!(b, b';' | b'\r' | b'\n')).map_or(text.len(), |n| at + n);
            assert_eq!(unquoted_end(text, at, b';'), expected, "from {at}");
        }
        assert_eq!(unquoted_end(b"abcdefghij", 0, b';'), 10);
        // A byte just above a match must not be taken for one.
        assert_eq!(unquoted_end(b"a\x01;bcdefgh", 0, b';'), 2);
        assert_eq!(unquoted_end(b"\x3c;aaaaaaaa", 0, b';'), 1);
    }

    #[test]
    fn exactly_the_wanted_bytes_of_a_word_are_marked() {
        for byte in 0..=255u8 {
            for lane in 0..8 {
                for filler in [b'a', 0x00, 0xff, b';'] {
                    let mut bytes = [filler; 8];
                    bytes[lane] = byte;
                    let wanted = |b: u8| matches!(b, b';' | b'\r' | b'\n' | b'"');
                    let expected = (0..8).filter(|i| wanted(bytes[*i])).fold(0u64, |marks, i| marks | 0x80 << (8 * i));
                    assert_eq!(bytes_among(u64::from_le_bytes(bytes), [b';', b'\r', b'\n', b'"']), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_given_back() {
        assert_eq!(MemoryRecords::new(vec![b'a', 0xe6]).err(), Some(vec![b'a', 0xe6]));
    }
}
