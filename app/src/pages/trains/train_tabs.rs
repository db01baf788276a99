use leptos::prelude::*;

const OTHER_TAB: &str = concat!(
    "inline-block border-b-2 border-transparent px-1 pb-2 text-slate-600 ",
    "hover:border-slate-300 hover:text-slate-900"
);

/// Which part of a train the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainTab {
    Overview,
    Changes,
    Evidence,
}

/// "Overview | Changes | Evidence": the sections of a train, as plain links.
#[component]
pub fn TrainTabs(train: String, current: TrainTab) -> impl IntoView {
    let tabs = [
        (TrainTab::Overview, "Overview", format!("/trains/{train}")),
        (
            TrainTab::Changes,
            "Changes",
            format!("/trains/{train}/changes"),
        ),
        (
            TrainTab::Evidence,
            "Evidence",
            format!("/trains/{train}/evidence"),
        ),
    ];
    view! {
        <nav aria-label="Train sections" class="mb-4 border-b border-slate-200">
            <ul class="-mb-px flex gap-4 text-sm">
                {tabs
                    .into_iter()
                    .map(|(tab, label, href)| {
                        let here = tab == current;
                        let class = if here {
                            "inline-block border-b-2 border-sky-700 px-1 pb-2 font-medium text-sky-800"
                        } else {
                            OTHER_TAB
                        };
                        view! {
                            <li>
                                <a
                                    href=href
                                    class=class
                                    aria-current=here.then_some("page")
                                    data-testid=format!("tab-{}", label.to_lowercase())
                                >
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
