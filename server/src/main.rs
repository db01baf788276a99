use server::{cli, config::Settings, startup::Application, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::from_env()?;
    match cli::Command::parse(std::env::args().skip(1))? {
        cli::Command::Serve => {
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await?
        }
        cli::Command::Migrate => cli::migrate(&settings).await?,
        cli::Command::Import(args) => cli::import(&settings, &args).await?,
        cli::Command::Export(dir) => cli::export(&settings, &dir).await?,
        cli::Command::AuditVerify => cli::audit_verify(&settings).await?,
        cli::Command::Token(command) => cli::token(&settings, &command).await?,
        cli::Command::SeedHistory(options) => cli::seed_history(&settings, &options).await?,
    }
    Ok(())
}
