//! lilong: mounts the exhibit. Everything else lives in `app` and below.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(lilong::app::App);
}
