//! The command line: `serve`, `user add|reset-code`, `caseload assign|unassign`,
//! `backup` and `restored`. (The demo of phones converging is
//! `cargo run -p alongside-e2e --bin demo`.)

use std::future::Future;
use std::io::BufRead;

use clap::{Parser, Subcommand};

use crate::auth;
use crate::store::{Database, Role, Store};

/// Alongside's sync server.
#[derive(Debug, Parser)]
#[command(name = "alongside-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How log lines are written to standard error: text for people, json
    /// (one object per line) for a log collector.
    #[arg(long, global = true, env = "ALONGSIDE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// The shape of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the sync API.
    Serve {
        /// sqlite://PATH (embedded) or postgres://USER@HOST:PORT/DB.
        #[arg(long, env = "ALONGSIDE_DATABASE_URL", default_value = "sqlite://alongside-server.db")]
        database: String,
        /// Address to listen on.
        #[arg(long, env = "ALONGSIDE_LISTEN", default_value = "127.0.0.1:8787")]
        listen: String,
        /// Longest silence on an events stream, in seconds (a comment goes out at least this often).
        #[arg(long, env = "ALONGSIDE_EVENTS_KEEP_ALIVE_SECS", default_value_t = 25, value_parser = clap::value_parser!(u64).range(1..=30))]
        events_keep_alive_secs: u64,
        /// Where to serve Prometheus metrics at /metrics (off unless given;
        /// keep it private: it has no authentication).
        #[arg(long, env = "ALONGSIDE_METRICS_LISTEN")]
        metrics_listen: Option<std::net::SocketAddr>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage peer workers' caseloads.
    Caseload {
        #[command(subcommand)]
        command: CaseloadCommand,
    },
    /// Copy a SQLite database to a new file while the server serves it (for
    /// PostgreSQL, use pg_dump -Fc). Restore: stop the server, put the copy
    /// in place of the database file (removing its -wal and -shm files), start it.
    Backup {
        /// sqlite://PATH of the database to copy.
        #[arg(long, env = "ALONGSIDE_DATABASE_URL")]
        database: String,
        /// The new file; an existing file is never overwritten.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Start a new history after restoring the database from a backup made
    /// by other means than `backup` (pg_restore, a file copy), before any
    /// server serves it: devices then pull everything again and push what
    /// the backup lacks.
    Restored {
        #[arg(long, env = "ALONGSIDE_DATABASE_URL")]
        database: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is the first line of standard input. Prints the new user's id.
    Add {
        #[arg(long, env = "ALONGSIDE_DATABASE_URL")]
        database: String,
        #[arg(long)]
        username: String,
        /// participant, peer_worker or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        display_name: String,
    },
    /// Print a single-use password reset code for a user, to read to them
    /// (valid for a day; replaces any code before).
    ResetCode {
        #[arg(long, env = "ALONGSIDE_DATABASE_URL")]
        database: String,
        #[arg(long)]
        username: String,
    },
    /// Close the account of a peer worker or admin who leaves the program:
    /// off every caseload, every device told to clear itself, no sign-in.
    Close {
        #[arg(long, env = "ALONGSIDE_DATABASE_URL")]
        database: String,
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseloadCommand {
    /// Put a participant on a peer worker's caseload.
    Assign(CaseloadArgs),
    /// Take a participant off a peer worker's caseload.
    Unassign(CaseloadArgs),
}

#[derive(Debug, clap::Args)]
pub struct CaseloadArgs {
    #[arg(long, env = "ALONGSIDE_DATABASE_URL")]
    pub database: String,
    /// The peer worker's username.
    #[arg(long)]
    pub peer_worker: String,
    /// The participant's username.
    #[arg(long)]
    pub participant: String,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
}

/// A failure of a command, in words for the shell.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    AddUser(#[from] auth::AddUserError),
    #[error(transparent)]
    Backup(#[from] crate::store::backup::BackupError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Runs a parsed command. `shutdown` ends `serve`.
pub async fn run(cli: Cli, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), CliError> {
    match cli.command {
        Command::Serve { database, listen, events_keep_alive_secs, metrics_listen } => {
            let db = Database::open(&database).await?;
            let listener =
                tokio::net::TcpListener::bind(&listen).await.map_err(|e| CliError::Usage(format!("cannot listen on {listen}: {e}")))?;
            let address = listener.local_addr()?;
            tracing::info!(%address, backend = db.backend_name(), "serving");
            let wake = crate::wake::WakeConfig::from_env().map_err(|e| CliError::Usage(format!("wake-up configuration: {e}")))?;
            let config = crate::ServerConfig {
                events_keep_alive: std::time::Duration::from_secs(events_keep_alive_secs),
                wake,
                metrics_listen,
                ..Default::default()
            };
            crate::serve_with(db, listener, config, shutdown).await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::User { command: UserCommand::Add { database, username, role, display_name } } => {
            let password = read_password()?;
            let db = Database::open(&database).await?;
            let user = auth::add_user(&db, &username, role, &display_name, &password).await?;
            println!("{}", user.id);
            Ok(())
        }
        Command::User { command: UserCommand::ResetCode { database, username } } => {
            let db = Database::open(&database).await?;
            let user = db.user_by_username(&username).await?.ok_or_else(|| CliError::Usage(format!("no user named {username}")))?;
            let (code, expires_ms) =
                auth::account::issue_reset_code(&db, &user, "command line").await.map_err(|e| CliError::Usage(e.to_string()))?;
            let expires = chrono::DateTime::from_timestamp_millis(expires_ms).unwrap_or_default();
            println!("{code} (works once, until {})", expires.format("%Y-%m-%d %H:%M UTC"));
            Ok(())
        }
        Command::User { command: UserCommand::Close { database, username } } => {
            let db = Database::open(&database).await?;
            let user = db.user_by_username(&username).await?.ok_or_else(|| CliError::Usage(format!("no user named {username}")))?;
            let closed = auth::closure::close(&db, &user, None).await.map_err(|e| CliError::Usage(e.to_string()))?;
            println!(
                "{username} closed (participants released: {}; devices told to clear themselves: {})",
                closed.participants.len(),
                closed.devices_signed_out
            );
            Ok(())
        }
        Command::Caseload { command } => {
            let (args, assigned) = match command {
                CaseloadCommand::Assign(args) => (args, true),
                CaseloadCommand::Unassign(args) => (args, false),
            };
            let db = Database::open(&args.database).await?;
            let peer_worker = find_user(&db, &args.peer_worker, Role::PeerWorker).await?;
            let participant = find_user(&db, &args.participant, Role::Participant).await?;
            let changed = db.set_caseload(&peer_worker.id, &participant.id, assigned, crate::clock::wall_ms()).await?;
            let state = match (assigned, changed) {
                (true, true) => "assigned",
                (true, false) => "already assigned",
                (false, true) => "unassigned",
                (false, false) => "was not assigned",
            };
            println!("{} {state} to {}", args.participant, args.peer_worker);
            Ok(())
        }
        Command::Backup { database, to } => {
            let copy = crate::store::backup::backup(&database, &to).await?;
            println!("backed up to {} (restored, it starts history {})", copy.path.display(), copy.history);
            Ok(())
        }
        Command::Restored { database } => {
            let mut db = Database::open(&database).await?;
            let history = db.start_new_history().await?;
            println!("history {history} started: devices will pull everything again and push what the backup lacks");
            Ok(())
        }
    }
}

async fn find_user(db: &Database, username: &str, role: Role) -> Result<crate::store::User, CliError> {
    match db.user_by_username(username).await? {
        Some(user) if user.role == role => Ok(user),
        Some(user) => Err(CliError::Usage(format!("{username} is a {}, not a {role}", user.role))),
        None => Err(CliError::Usage(format!("no user named {username}"))),
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(CliError::Usage("give the password on the first line of standard input".into()));
    }
    Ok(password)
}
