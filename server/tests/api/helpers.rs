use rand::Rng;
use server::{config::Settings, startup::MIGRATOR, Application};
use sqlx::{postgres::PgPoolOptions, Connection, PgConnection, PgPool};
use std::collections::HashMap;

/// The server URL the tests create their databases on (`make test` sets it).
fn admin_url() -> String {
    std::env::var("DATABASE_URL")
        .expect("DATABASE_URL must point at a Postgres server the tests may create databases on")
}

pub fn database_url(name: &str) -> String {
    database_url_on(&admin_url(), name)
}

/// The URL of database `name` on the server of `admin`.
pub fn database_url_on(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{name}")
}

/// Creates an empty database with every migration applied.
pub async fn fresh_database() -> (String, String, PgPool) {
    fresh_database_on(&admin_url()).await
}

/// [`fresh_database`] on the server of `admin_url`.
pub async fn fresh_database_on(admin_url: &str) -> (String, String, PgPool) {
    let name = format!("trainyard_test_{:016x}", rand::rng().random::<u64>());
    let mut admin = PgConnection::connect(admin_url)
        .await
        .expect("connect to the admin database");
    sqlx::query(&format!(r#"CREATE DATABASE "{name}""#))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let url = database_url_on(admin_url, &name);
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .expect("connect to the test database");
    MIGRATOR
        .run(&pool)
        .await
        .expect("migrate the test database");
    (name, url, pool)
}

/// Runs `sql` on the admin connection (as the database owner), behind the
/// application's back.
pub async fn admin_execute(sql: &str) {
    let mut admin = PgConnection::connect(&admin_url())
        .await
        .expect("connect to the admin database");
    sqlx::query(sql)
        .execute(&mut admin)
        .await
        .expect("admin statement");
}

#[derive(Clone)]
pub struct TestApp {
    pub address: String,
    pub db_name: String,
    pub pool: PgPool,
    pub client: reqwest::Client,
    /// A CI token with every scope, sent as `Authorization: Bearer`.
    pub bearer: Option<String>,
    /// Stops the server (and closes its connections) when the last handle
    /// to it is dropped, so finished tests do not hold database connections.
    #[allow(dead_code)] // held for its Drop
    pub server: std::sync::Arc<ServerGuard>,
    /// This app's own evidence store (`TRAINYARD_EVIDENCE_STORE`), removed
    /// with the last handle.
    pub evidence_dir: std::sync::Arc<tempfile::TempDir>,
}

pub struct ServerGuard(std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if let Some(stop) = self.0.lock().ok().and_then(|mut s| s.take()) {
            let _ = stop.send(());
        }
    }
}

impl TestApp {
    /// The same server, asked by somebody without a token or session.
    pub fn anonymous(&self) -> TestApp {
        TestApp {
            bearer: None,
            client: no_redirects(None),
            ..self.clone()
        }
    }

    /// The same server, asked with this bearer secret.
    pub fn with_bearer(&self, secret: &str) -> TestApp {
        TestApp {
            bearer: Some(secret.to_owned()),
            client: no_redirects(None),
            ..self.clone()
        }
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self
            .client
            .request(method, format!("{}{path}", self.address));
        match &self.bearer {
            Some(secret) => request.bearer_auth(secret),
            None => request,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request failed")
    }

    /// Sends JSON and returns the status and the JSON body.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let response = self.send(method, path, body).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// The page's HTML without Leptos' hydration markers (`<!>`, `<!--…-->`),
    /// which sit between text and tags.
    pub async fn page(&self, path: &str) -> String {
        let html = self.get(path).await.text().await.expect("a text body");
        strip_markers(&html)
    }
}

pub fn strip_markers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = if tail.starts_with("<!--") {
            tail.find("-->").map(|i| i + 3)
        } else {
            tail.find('>').map(|i| i + 1)
        };
        match end {
            Some(end) if !tail.starts_with("<!DOCTYPE") => rest = &tail[end..],
            _ => {
                out.push_str("<!");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A directory of its own for an app's evidence blobs.
pub fn evidence_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("trainyard-evidence-")
        .tempdir()
        .expect("a temporary evidence directory")
}

/// Boots the whole application on a free port over a fresh database.
pub async fn spawn_app(extra: &[(&str, &str)]) -> TestApp {
    spawn_app_on(&admin_url(), extra).await
}

/// [`spawn_app`] on a database of the Postgres server of `admin`.
pub async fn spawn_app_on(admin: &str, extra: &[(&str, &str)]) -> TestApp {
    let (db_name, url, pool) = fresh_database_on(admin).await;
    let evidence = evidence_dir();
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".to_owned(), url),
        ("TRAINYARD_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "TRAINYARD_EVIDENCE_STORE".to_owned(),
            evidence.path().display().to_string(),
        ),
    ]);
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings =
        Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid");
    let (address, server) = start_server(settings).await;
    let ci = app::services::tokens::create_token(
        &pool,
        &app::services::actor::Actor::new("test"),
        "test-ci",
        "gates:write,evidence:write,trains:write",
        "",
        "",
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("a CI token for the tests");
    TestApp {
        address,
        server,
        db_name,
        pool,
        client: no_redirects(None),
        bearer: Some(ci.secret),
        evidence_dir: std::sync::Arc::new(evidence),
    }
}

/// A client that shows redirects instead of following them, keeping cookies
/// in `jar` when given.
pub fn no_redirects(jar: Option<std::sync::Arc<reqwest::cookie::Jar>>) -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30));
    match jar {
        Some(jar) => builder.cookie_provider(jar),
        None => builder,
    }
    .build()
    .expect("an HTTP client")
}

/// Another server process' worth of application on `app`'s database, as a
/// second instance behind a load balancer would be.
pub async fn spawn_second_instance(app: &TestApp) -> TestApp {
    spawn_second_instance_with(app, &[]).await
}

/// A second instance with settings of its own.
pub async fn spawn_second_instance_with(app: &TestApp, extra: &[(&str, &str)]) -> TestApp {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".to_owned(), database_url(&app.db_name)),
        ("TRAINYARD_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "TRAINYARD_EVIDENCE_STORE".to_owned(),
            app.evidence_dir.path().display().to_string(),
        ),
    ]);
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings =
        Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid");
    let (address, server) = start_server(settings).await;
    TestApp {
        address,
        server,
        ..app.clone()
    }
}

/// Starts the application and returns its address. The server runs on its
/// own multi-threaded runtime in its own thread, as it does in production,
/// rather than sharing the test's single thread with the client.
async fn start_server(settings: Settings) -> (String, std::sync::Arc<ServerGuard>) {
    let (started, port) = tokio::sync::oneshot::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the server");
        runtime.block_on(async move {
            let app = Application::build(settings)
                .await
                .expect("the application builds");
            let _ = started.send(app.port());
            let _ = app
                .run_until(async move {
                    let _ = stopped.await;
                })
                .await;
        });
    });
    let address = format!(
        "http://127.0.0.1:{}",
        port.await.expect("the server started")
    );
    (
        address,
        std::sync::Arc::new(ServerGuard(std::sync::Mutex::new(Some(stop)))),
    )
}
