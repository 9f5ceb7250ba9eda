//! `parse` with the input format detected from the first bytes: caps, spans, session
//! records and JSON Lines (see `invariants`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ttyscribe_fuzz::whole(data, ttyscribe::InputFormat::Auto));
