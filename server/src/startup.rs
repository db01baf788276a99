//! Builds the application (database, migrations, demo data, router) and runs it
//! until SIGTERM or SIGINT.

use crate::assets::{self, SiteAssets};
use crate::auth::{self, oidc::Oidc};
use crate::config::{AuthSettings, Settings};
use crate::live::LiveHub;
use crate::page_cache;
use crate::routes::{api, events, evidence_form, exposition, health, ics};
use crate::security_headers;
use anyhow::Context;
use app::domain::webhook::Channels;
use app::services::evidence::EvidenceStore;
use app::services::read_cache::ReadCache;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use secrecy::ExposeSecret;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{migrate::Migrator, PgPool};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub auth: Arc<AuthSettings>,
    /// None when no OpenID provider is configured.
    pub oidc: Option<Arc<Oidc>>,
    /// Where browsers reach this server; writes must come from this origin.
    pub public_url: url::Url,
    /// Committed changes, for `/events`.
    pub live: LiveHub,
    /// Where evidence bytes live, and the upload limit.
    pub evidence: EvidenceStore,
    /// The built site's asset names.
    pub assets: SiteAssets,
    /// Read models shared by concurrent and repeated requests.
    pub read_cache: ReadCache,
    /// Failed tokens and sign-ins counted per client and token prefix.
    pub attempts: Arc<auth::attempts::Guards>,
    /// Where webhooks may be sent (`TRAINYARD_WEBHOOK_ALLOW`), and whether
    /// e-mail can be (`TRAINYARD_SMTP_URL`).
    pub webhook_channels: Arc<Channels>,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    header_read_timeout: Duration,
}

/// The pool that requests (pages, server functions, the API) use. A request
/// that finds every connection busy for `TRAINYARD_DB_ACQUIRE_TIMEOUT` is
/// answered 503 with `Retry-After` (`AppError::Unavailable`).
pub async fn connect(settings: &Settings) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(settings.database_acquire_timeout)
        .connect_with(connect_options(settings)?)
        .await
        .context("connecting to the database named by DATABASE_URL")
}

/// How every connection is opened. Statements are planned for each call's
/// own parameters (`plan_cache_mode = force_custom_plan`): after a few
/// calls Postgres would otherwise switch a prepared statement to a generic
/// plan that cannot see how few rows `= ANY($1)` picks, and reading one
/// train's gate matrix became a hash join over every gate result ever
/// reported (100 ms on five years of history, and growing with it, against
/// 0.6 ms planned for the call). Nor are they compiled (`jit = off`): the
/// metrics' facts of a year cost enough to pass the JIT's threshold, and
/// compiling them took 50 to 120 ms of a 40 ms query, on every call.
pub(crate) fn connect_options(settings: &Settings) -> anyhow::Result<PgConnectOptions> {
    let options = PgConnectOptions::from_str(settings.database_url.expose_secret())
        .context("reading DATABASE_URL")?;
    Ok(options.options([("plan_cache_mode", "force_custom_plan"), ("jit", "off")]))
}

/// Connections reserved for background work, so that page traffic can never
/// starve it: the LISTEN connection of live updates holds one for good, the
/// scheduler and the session clean-up share the others.
pub const BACKGROUND_CONNECTIONS: u32 = 3;

pub async fn connect_background(settings: &Settings) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(BACKGROUND_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(connect_options(settings)?)
        .await
        .context("connecting to the database named by DATABASE_URL")
}

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let pool = connect(&settings).await?;
        MIGRATOR
            .run(&pool)
            .await
            .context("applying database migrations")?;
        let evidence = crate::evidence_store::open(&settings.evidence)?;
        if settings.demo {
            app::services::demo::load_if_empty(&pool, &evidence, chrono::Utc::now())
                .await
                .context("loading the demo data set")?;
        }
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("binding TRAINYARD_ADDR={}", settings.addr))?;
        let port = listener.local_addr()?.port();
        // Port 0 (tests) binds a free port; the default public URL follows it.
        if settings.public_url.port() == Some(0) {
            let _ = settings.public_url.set_port(Some(port));
        }
        let oidc = match &settings.auth.issuer {
            Some(issuer) => Some(Arc::new(
                Oidc::discover(&settings.auth, issuer, &settings.public_url).await?,
            )),
            None => {
                tracing::warn!("OIDC_ISSUER_URL is not set: nobody can sign in; only CI tokens can change anything");
                None
            }
        };
        let sessions = auth::session::layer(&pool, &settings)?;
        let background = connect_background(&settings).await?;
        let leptos_options = settings.leptos_options();
        let assets = SiteAssets::load(&leptos_options)?;
        let read_cache = ReadCache::new(settings.read_cache_ttl);
        auth::session::spawn_cleanup(&background);
        crate::scheduler::spawn(background.clone(), settings.scheduler_tick);
        crate::webhooks::spawn(
            background.clone(),
            settings.webhooks.clone(),
            settings.public_url.clone(),
        )?;
        let state = AppState {
            live: LiveHub::spawn(background, read_cache.clone()),
            read_cache,
            leptos_options,
            assets,
            pool,
            auth: Arc::new(settings.auth.clone()),
            oidc,
            public_url: settings.public_url.clone(),
            evidence,
            attempts: Arc::new(auth::attempts::Guards::new(&settings.auth)),
            webhook_channels: Arc::new(settings.webhooks.channels()),
        };
        Ok(Self {
            listener,
            // Outermost: a body's clock starts when its request arrives.
            router: router(state, sessions).layer(axum::middleware::from_fn_with_state(
                settings.body_deadline,
                crate::body_deadline::enforce,
            )),
            port,
            header_read_timeout: settings.header_read_timeout,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(address = %self.listener.local_addr()?, "serving Trainyard");
        crate::serve::serve(self.listener, self.router, self.header_read_timeout, stop).await
    }
}

/// The app's routes, generated once per process: while Leptos generates a
/// route list it suppresses resource loading process-wide, and a resource first
/// polled in that window never resolves (leptos-rs/leptos#4773). Generating
/// again while another server in the process renders (as the tests do) would
/// hang that render.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(
    state: AppState,
    sessions: tower_sessions::SessionManagerLayer<auth::session_store::PgSessionStore>,
) -> Router {
    let routes = route_list();
    let context = {
        let pool = state.pool.clone();
        let evidence = state.evidence.clone();
        let read_cache = state.read_cache.clone();
        let webhook_channels = state.webhook_channels.clone();
        move || {
            provide_context(pool.clone());
            provide_context(evidence.clone());
            provide_context(read_cache.clone());
            provide_context(webhook_channels.clone());
        }
    };
    let document = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    // `/pkg/*`: straight from disk, precompressed copies by Accept-Encoding,
    // before any session or database work.
    let options = &state.leptos_options;
    let pkg = Router::new()
        .route_service(
            &leptos_axum::site_pkg_dir_service_route_path(options),
            leptos_axum::site_pkg_dir_service(options).append_index_html_on_directories(false),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.assets.clone(),
            assets::cache_control,
        ));
    // Everything else the router does not know: a `public/` file at the site
    // root (favicon.svg…), else the app's 404 page.
    let site = ServeDir::new(options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(leptos_axum::ErrorHandler::new_with_context(
            context.clone(),
            shell,
            options.clone(),
        ));
    // Pages: rendered once for everyone who sees the same at that moment.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context, document)
        .layer(axum::middleware::from_fn_with_state(
            page_cache::Pages(state.read_cache.sharing_changes(page_cache::CAPACITY)),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn(
            crate::routes::form_text::refuse_control_in_forms,
        ));
    Router::new()
        .merge(auth::router())
        .nest("/api/v1", api::router())
        .route("/events", get(events::events))
        .route("/calendar.ics", get(ics::calendar_ics))
        .route("/metrics.prom", get(exposition::metrics_prom))
        .route(
            "/trains/{name}/evidence",
            post(evidence_form::upload).layer(DefaultBodyLimit::disable()),
        )
        .merge(pages)
        .fallback_service(site)
        .layer(axum::middleware::from_fn_with_state(
            state.read_cache.clone(),
            writes_invalidate_reads,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::actor::resolve,
        ))
        .layer(sessions)
        // Probes and static files answer without sessions or tokens.
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(pkg)
        // Inside the default headers, so that documents get theirs first;
        // inside compression, which would hide the document's scripts.
        .layer(axum::middleware::from_fn(security_headers::document_policy))
        .layer(axum::middleware::map_response(assets::vary_on_encoding))
        .layer(compression())
        .layer(security_headers::layers())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A write this instance served makes every cached read stale before its
/// answer leaves, so the page a form redirects to shows what it changed
/// (other instances hear of it through LISTEN a moment later).
async fn writes_invalidate_reads(
    axum::extract::State(cache): axum::extract::State<ReadCache>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let writes = !request.method().is_safe();
    let response = next.run(request).await;
    if writes {
        cache.invalidate();
    }
    response
}

/// HTML and JSON compressed on the fly (brotli or gzip, as the client
/// accepts); never server-sent events, which must reach the browser as
/// they are written, nor what is compressed already.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        SizeAbove::new(512)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::IMAGES)
            .and(NotForContentType::SSE)
            .and(NotForContentType::const_new("application/gzip"))
            .and(NotForContentType::const_new("application/octet-stream"))
            .and(NotForContentType::const_new("application/wasm")),
    )
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
