//! lilong: mounts the exhibit. Everything else lives in `app` and below.
fn main() {
    // Before anything else: a panic or an unhandled error never leaves a blank or frozen page.
    lilong::recovery::install();
    lilong::app::mount();
}
