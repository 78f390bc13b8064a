use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <main><h1>"lilong"</h1></main> }
}
