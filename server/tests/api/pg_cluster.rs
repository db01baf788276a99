//! A Postgres cluster of a test's own (`.ci/pg.sh`, the private cluster of
//! `make run`), for tests that stop and start the database under the server.

use std::process::Command;

/// A Postgres cluster of this test's own.
pub struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("a directory for the cluster");
        // The cluster's owner (postgres, when the tests run as root) must
        // reach its data directory.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let cluster = Self { dir, port };
        cluster.pg(&["start", &cluster.data(), &port.to_string()]);
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    pub fn admin(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pg(&self, args: &[&str]) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/pg.sh");
        let out = Command::new(script)
            .args(args)
            .output()
            .expect("pg.sh runs");
        assert!(
            out.status.success(),
            "pg.sh {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn stop(&self, mode: &str) {
        self.pg(&["stop", &self.data(), mode]);
    }

    pub fn start_again(&self) {
        self.pg(&["start", &self.data(), &self.port.to_string()]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop("immediate");
    }
}
