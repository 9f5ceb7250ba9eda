//! `parse` with the input format forced to cloudwatch: caps, spans, session
//! records and JSON Lines (see `invariants`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ttyscribe_fuzz::whole(data, ttyscribe::InputFormat::CloudWatch));
