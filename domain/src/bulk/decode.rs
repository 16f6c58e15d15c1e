//! Turns the bytes of a file into UTF-8 with `\n` line endings, whatever the
//! spreadsheet wrote: UTF-8 with or without BOM, UTF-16 with BOM, or
//! Windows-1252 (detected when the start of the file is not UTF-8).

use std::io::{self, Read};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How much of the file is looked at to choose the encoding.
pub const SNIFF_BYTES: usize = 64 * 1024;
const CHUNK: usize = 64 * 1024;

pub struct DecodedReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    input: Vec<u8>,
    input_start: usize,
    output: Vec<u8>,
    output_start: usize,
    /// Reused buffer for the decoder's output.
    scratch: Vec<u8>,
    pending_cr: bool,
    inner_done: bool,
    finished: bool,
    bytes_read: u64,
    had_replacements: bool,
    /// The last byte handed out, to know whether the text ended in a newline.
    last_byte: Option<u8>,
    /// The decoded start of the file, for choosing the delimiter.
    pub first_line: String,
}

fn read_up_to<R: Read>(reader: &mut R, buffer: &mut Vec<u8>, limit: usize) -> io::Result<bool> {
    let start = buffer.len();
    buffer.resize(start + limit, 0);
    let mut filled = start;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => {
                buffer.truncate(filled);
                return Ok(true);
            }
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    buffer.truncate(filled);
    Ok(false)
}

/// Chooses the encoding from a byte-order mark, else UTF-8 when the sample
/// is valid UTF-8 (a character cut off at its end is allowed), else
/// Windows-1252. Returns the encoding and the length of the BOM.
pub fn sniff(sample: &[u8]) -> (&'static Encoding, usize) {
    if let Some((encoding, bom)) = Encoding::for_bom(sample) {
        return (encoding, bom);
    }
    match std::str::from_utf8(sample) {
        Ok(_) => (UTF_8, 0),
        Err(error) if error.error_len().is_none() => (UTF_8, 0),
        Err(_) => (WINDOWS_1252, 0),
    }
}

impl<R: Read> DecodedReader<R> {
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut input = Vec::with_capacity(SNIFF_BYTES);
        let inner_done = read_up_to(&mut inner, &mut input, SNIFF_BYTES)?;
        let (encoding, bom) = sniff(&input);
        let bytes_read = input.len() as u64;
        let (sample, _) = encoding.decode_without_bom_handling(&input[bom..]);
        let first_line = sample.split(['\n', '\r']).next().unwrap_or_default().to_owned();
        Ok(DecodedReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            encoding,
            input,
            input_start: bom,
            output: Vec::with_capacity(CHUNK * 3),
            output_start: 0,
            scratch: Vec::new(),
            pending_cr: false,
            inner_done,
            finished: false,
            bytes_read,
            had_replacements: false,
            last_byte: None,
            first_line,
        })
    }

    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// Bytes of the file read so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Whether some bytes were not valid in the encoding and were replaced.
    pub fn had_replacements(&self) -> bool {
        self.had_replacements
    }

    fn refill(&mut self) -> io::Result<()> {
        self.last_byte = self.output.last().copied().or(self.last_byte);
        self.output.clear();
        self.output_start = 0;
        while self.output.is_empty() && !self.finished {
            if self.input_start == self.input.len() && !self.inner_done {
                self.input.clear();
                self.input_start = 0;
                self.inner_done = read_up_to(&mut self.inner, &mut self.input, CHUNK)?;
                self.bytes_read += self.input.len() as u64;
            }
            let last = self.inner_done;
            let needed = self.decoder.max_utf8_buffer_length(self.input.len() - self.input_start).unwrap_or(CHUNK * 3) + 4;
            let mut decoded = std::mem::take(&mut self.scratch);
            if decoded.len() < needed {
                decoded.resize(needed, 0);
            }
            let (result, read, written, replaced) =
                self.decoder.decode_to_utf8(&self.input[self.input_start..], &mut decoded, last);
            self.input_start += read;
            self.had_replacements |= replaced;
            self.normalize_newlines(&decoded[..written]);
            self.scratch = decoded;
            if last && result == encoding_rs::CoderResult::InputEmpty && self.input_start == self.input.len() {
                // A last line without its line break gets one, so that every
                // line, the last included, ends the same way.
                if self.pending_cr || (self.output.last().is_some_and(|b| *b != b'\n')) || (self.output.is_empty() && self.last_byte.is_some_and(|b| b != b'\n')) {
                    self.output.push(b'\n');
                }
                self.pending_cr = false;
                self.finished = true;
            }
        }
        Ok(())
    }

    /// CRLF and lone CR become LF, so that line numbers mean the same in
    /// every file.
    fn normalize_newlines(&mut self, mut text: &[u8]) {
        if text.is_empty() {
            return;
        }
        if self.pending_cr {
            self.pending_cr = false;
            self.output.push(b'\n');
            if text[0] == b'\n' {
                text = &text[1..];
            }
        }
        // Whole stretches between carriage returns are copied at once.
        while let Some(at) = text.iter().position(|&byte| byte == b'\r') {
            self.output.extend_from_slice(&text[..at]);
            match text.get(at + 1) {
                Some(b'\n') => {
                    self.output.push(b'\n');
                    text = &text[at + 2..];
                }
                Some(_) => {
                    self.output.push(b'\n');
                    text = &text[at + 1..];
                }
                None => {
                    self.pending_cr = true;
                    text = &[];
                }
            }
        }
        self.output.extend_from_slice(text);
    }
}

impl<R: Read> Read for DecodedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output.len() {
            self.refill()?;
        }
        let available = &self.output[self.output_start..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.output_start += n;
        Ok(n)
    }
}

/// The display name of an encoding in reports.
pub fn encoding_label(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else {
        encoding.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (String, &'static str) {
        let mut reader = DecodedReader::new(bytes).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        (text, encoding_label(reader.encoding()))
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("Søren\n".as_bytes()), ("Søren\n".into(), "UTF-8"));
        assert_eq!(decode("\u{feff}Søren\n".as_bytes()), ("Søren\n".into(), "UTF-8"));
    }

    #[test]
    fn windows_1252_is_detected() {
        assert_eq!(decode(b"S\xf8ren \xc6r\xf8\r\n"), ("Søren Ærø\n".into(), "windows-1252"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Ærø\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes), ("Ærø\n".into(), "UTF-16LE"));
    }

    #[test]
    fn every_line_ending_becomes_lf() {
        assert_eq!(decode(b"a\r\nb\rc\nd\r").0, "a\nb\nc\nd\n");
        assert_eq!(decode(b"a\r\nb").0, "a\nb\n", "the last line gets its line break");
        assert_eq!(decode(b"").0, "");
    }

    #[test]
    fn large_inputs_decode_across_chunks() {
        let line = "Æble;Øl;Å\r\n";
        let text = line.repeat(20_000);
        let (decoded, _) = decode(text.as_bytes());
        assert_eq!(decoded, "Æble;Øl;Å\n".repeat(20_000));
    }
}
