//! The streaming API: the input fed in fuzzer-chosen chunks (through `feed` and
//! `feed_each`) gives the records of one `parse`, and those keep every promise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ttyscribe_fuzz::{Stream, invariants};

fuzz_target!(|data: &[u8]| {
    let Some(s) = Stream::decode(data) else {
        return;
    };
    if let Err(f) = invariants::check(s.input, &s.config, &s.chunks) {
        panic!("{f}");
    }
});
