//! eventlab-app: the browser UI, a thin Leptos layer over eventlab-core.
pub fn start() {}
