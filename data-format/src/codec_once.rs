//! One frame compressed with a built-in dictionary loaded as a single-use prefix, without
//! the prepared dictionary (zstd's CDict) a context keeps for many frames.
//!
//! Why: a CDict digests the whole dictionary into match tables of its own, then each frame
//! attaches them; for a single frame that work is wasted. A one-shot collector (the timer's:
//! one process per sample) compresses exactly one frame, and a chunk's key frame is the only
//! key frame its context compresses. A prefix is loaded straight into the frame's own
//! tables, every third position rather than every one (zstd's fast dictionary load).
//!
//! The prefix is read as a context reads a dictionary it is given (`ZSTD_dct_auto`): a
//! zstd-format dictionary (the delta dictionary) has its entropy tables used and its id
//! written in the frame header, raw content (the key dictionaries) is content, exactly as
//! with a CDict, so every reader decodes these frames with the same dictionary. The
//! compression parameters are the codec's (level and table caps); the output may differ
//! from a CDict's by a few bytes.
//!
//! `ZSTD_CCtx_refPrefix_advanced` is in zstd's experimental API (the `experimental` feature
//! of the `zstd` crate, whose safe wrapper has no call for it): the FFI is here, alone.

use zstd::zstd_safe::zstd_sys as sys;

/// A compression context owned here, freed on drop.
struct Context(*mut sys::ZSTD_CCtx);

impl Drop for Context {
    fn drop(&mut self) {
        // SAFETY: the pointer came from ZSTD_createCCtx, is not null, and is freed once.
        unsafe {
            sys::ZSTD_freeCCtx(self.0);
        }
    }
}

/// Compresses `raw` into `out` (replacing its content) as one zstd frame, with `parameters`
/// set and `dictionary` (a zstd-format dictionary, or empty for none) as a prefix.
pub(super) fn compress(
    raw: &[u8],
    dictionary: &[u8],
    parameters: &[(sys::ZSTD_cParameter, i32)],
    out: &mut Vec<u8>,
) -> Result<usize, String> {
    // SAFETY: no argument; a null result is checked below.
    let context = Context(unsafe { sys::ZSTD_createCCtx() });
    if context.0.is_null() {
        return Err("zstd: cannot allocate a compression context".into());
    }
    for &(parameter, value) in parameters {
        // SAFETY: a live context; the parameter is an enum value of zstd's own bindings.
        check(unsafe { sys::ZSTD_CCtx_setParameter(context.0, parameter, value) })?;
    }
    if !dictionary.is_empty() {
        // SAFETY: a live context; `dictionary` outlives the compression below (it is
        // borrowed for this whole call), which is the only one that uses the prefix.
        check(unsafe {
            sys::ZSTD_CCtx_refPrefix_advanced(
                context.0,
                dictionary.as_ptr().cast(),
                dictionary.len(),
                sys::ZSTD_dictContentType_e::ZSTD_dct_auto,
            )
        })?;
    }
    out.clear();
    out.reserve(zstd::zstd_safe::compress_bound(raw.len()));
    // SAFETY: `out` has `capacity()` writable bytes, `raw` is `raw.len()` readable bytes, and
    // zstd writes at most `capacity()` bytes (its result, checked before `set_len`).
    let written = check(unsafe {
        sys::ZSTD_compress2(
            context.0,
            out.as_mut_ptr().cast(),
            out.capacity(),
            raw.as_ptr().cast(),
            raw.len(),
        )
    })?;
    // SAFETY: zstd initialised the first `written` bytes, and `written <= capacity()`.
    unsafe { out.set_len(written) };
    Ok(written)
}

/// A zstd result: a size, or an error named by zstd.
fn check(code: usize) -> Result<usize, String> {
    // SAFETY: pure functions of an integer; the name is a static C string.
    unsafe {
        if sys::ZSTD_isError(code) == 0 {
            return Ok(code);
        }
        let name = std::ffi::CStr::from_ptr(sys::ZSTD_getErrorName(code));
        Err(format!("zstd: {}", name.to_string_lossy()))
    }
}
