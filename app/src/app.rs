use crate::components::layout::Layout;
use crate::pages::calendar::{
    cadence_page::CadencePage, calendar_page::CalendarPage, freeze_page::FreezePage,
    hotfix_page::HotfixPage, rotation_page::RotationPage, slot_page::SlotPage,
};
use crate::pages::evidence::{
    artifact_page::ArtifactPage, bundle_page::BundlePage, evidence_page::EvidencePage,
};
use crate::pages::{
    admin_page::AdminPage,
    audit_page::AuditPage,
    dashboard::DashboardPage,
    deployments_page::DeploymentsPage,
    gates_page::GatesPage,
    metrics_page::MetricsPage,
    not_found_page::NotFoundPage,
    policies_page::PoliciesPage,
    services::{ServiceMonitorPage, ServicePage, ServicesPage},
    setup_page::SetupPage,
    track_page::TrackPage,
    tracks_page::{NewTrackPage, TracksPage},
    trains::changes_page::ChangesPage,
    trains::new_train_page::NewTrainPage,
    trains::train_page::TrainPage,
    trains::trains_page::TrainsPage,
    webhooks_page::{WebhookPage, WebhooksPage},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en" class="h-full bg-slate-50">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body class="h-full text-slate-900">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| format!("{page} · Trainyard") />
        <Router>
            <Layout>
                // Async: every page's HTML is complete before it is sent, so it
                // reads the same with JavaScript off.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/calendar") view=CalendarPage ssr=SsrMode::Async />
                    <Route path=path!("/calendar/trains/:name") view=SlotPage ssr=SsrMode::Async />
                    <Route path=path!("/calendar/freezes/new") view=FreezePage ssr=SsrMode::Async />
                    <Route path=path!("/calendar/freezes/:id") view=FreezePage ssr=SsrMode::Async />
                    <Route path=path!("/calendar/hotfixes/new") view=HotfixPage ssr=SsrMode::Async />
                    <Route path=path!("/calendar/tracks/:name") view=CadencePage ssr=SsrMode::Async />
                    <Route path=path!("/calendar/rotation") view=RotationPage ssr=SsrMode::Async />
                    <Route path=path!("/trains") view=TrainsPage ssr=SsrMode::Async />
                    <Route path=path!("/trains/new") view=NewTrainPage ssr=SsrMode::Async />
                    <Route path=path!("/trains/:name") view=TrainPage ssr=SsrMode::Async />
                    <Route path=path!("/trains/:name/changes") view=ChangesPage ssr=SsrMode::Async />
                    <Route path=path!("/trains/:name/evidence") view=BundlePage ssr=SsrMode::Async />
                    <Route path=path!("/trains/:name/evidence/:artifact") view=ArtifactPage ssr=SsrMode::Async />
                    <Route path=path!("/evidence") view=EvidencePage ssr=SsrMode::Async />
                    <Route path=path!("/deployments") view=DeploymentsPage ssr=SsrMode::Async />
                    <Route path=path!("/metrics") view=MetricsPage ssr=SsrMode::Async />
                    <Route path=path!("/services/:name") view=ServiceMonitorPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/policies") view=PoliciesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/gates") view=GatesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks") view=WebhooksPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks/:id") view=WebhookPage ssr=SsrMode::Async />
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/services") view=ServicesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tracks") view=TracksPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tracks/new") view=NewTrackPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tracks/:name") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/services/new") view=ServicePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/services/:name") view=ServicePage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
