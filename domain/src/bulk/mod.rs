//! Bulk files (product.md §5): the 15-column template, reading any file an
//! administrator will really have, and checking every row.

pub mod check;
pub mod correct;
pub mod decode;
pub mod import;
pub mod keys;
pub mod memory;
pub mod parts;
pub mod report;
pub mod template;

/// At most this many data rows per file.
pub const MAX_ROWS: u64 = 200_000;
/// At most this many bytes per file.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
