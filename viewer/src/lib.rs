//! `rstat top`, the terminal viewer (live and replay). Its screens are built in issue #5; the
//! crate exists now so that the workspace layout users were promised is in place, and it
//! depends only on data-format: the viewer reads figures through data-format's derivation.
