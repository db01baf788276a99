use tracing_subscriber::EnvFilter;

/// Logs to stderr; `RUST_LOG` filters (default `info`).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use app::error::{AppError, ResultExt};
    use std::sync::{Arc, Mutex};

    /// What the subscriber wrote, for the test to read.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_internal_errors_cause_reaches_the_log_and_not_the_answer() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let error = tracing::subscriber::with_default(subscriber, || {
            let failed: Result<(), std::io::Error> =
                Err(std::io::Error::other("the evidence disk is full"));
            failed.or_internal("writing to the evidence store")
        })
        .unwrap_err();
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("ERROR"), "{log}");
        assert!(log.contains("writing to the evidence store"), "{log}");
        assert!(log.contains("the evidence disk is full"), "{log}");
        assert_eq!(error, AppError::Internal);
        assert!(!error.to_string().contains("disk"));
    }
}
