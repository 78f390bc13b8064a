//! The list of sources a record names.

use crate::dom::{El, el};
use crate::state::{ctx, tr};

/// The sources named by `ids`, each a link when it has a web address.
pub fn sources(ids: Vec<String>) -> El {
    let c = ctx();
    el("section")
        .class("sources")
        .child(el("h3").dyn_text(tr("panel.sources")))
        .child(el("ul").dyn_children(move || {
            let lang = c.lang();
            c.with(|e| {
                ids.iter()
                    .filter_map(|id| e.source(id))
                    .map(|s| {
                        let title = s.title.get(lang);
                        let url = s
                            .url
                            .as_deref()
                            .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
                        let name = match url {
                            Some(u) => el("a")
                                .attr("href", u)
                                .attr("target", "_blank")
                                .attr("rel", "noopener noreferrer")
                                .text(title),
                            None => el("cite").text(title),
                        };
                        let publisher = s
                            .publisher
                            .as_ref()
                            .map(|p| el("span").class("publisher").text(" · ").text(p.get(lang)));
                        el("li").child(name).maybe(publisher)
                    })
                    .collect()
            })
        }))
}
