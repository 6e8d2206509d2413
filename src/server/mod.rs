//! Starting the service: storage, the shipped questionnaire, the response writer, the
//! periodic tasks (`periodic`), HTTP.

mod periodic;

use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

use crate::accounts::setup::SetupLink;
use crate::accounts::PasswordHasher;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Database, DatabaseUrl, DbError};
use crate::release::ResponseSeal;
use crate::respond::{ResponseWriter, WriterThread};
use crate::survey::{self, Catalog};
use crate::web::{self as http, AppState, RequestLog};

use periodic::Periodic;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot prepare the database: {0}")]
    Seed(#[from] crate::error::AppError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Mail(#[from] crate::mail::TransportError),
    #[error("{0}")]
    MailFrom(String),
    #[error(transparent)]
    Key(#[from] crate::server_key::KeyError),
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Connects to the configured database and applies pending migrations.
pub fn open_database(settings: &Settings) -> Result<Database, DbError> {
    let url = DatabaseUrl::parse(settings.database.url.expose())
        .map_err(|e| DbError::Connect(format!("database.url {e}")))?;
    let db = Database::connect(
        &url,
        settings.database.pool_size,
        settings.database.busy_timeout_ms,
    )?;
    db.migrate()?;
    Ok(db)
}

/// One migrated connection, for commands that run once and exit.
pub fn open_connection(settings: &Settings) -> Result<crate::db::DbConnection, DbError> {
    let url = DatabaseUrl::parse(settings.database.url.expose())
        .map_err(|e| DbError::Connect(format!("database.url {e}")))?;
    let mut conn = crate::db::DbConnection::open(&url, settings.database.busy_timeout_ms)?;
    crate::db::migrations::run_pending(&mut conn)?;
    Ok(conn)
}

/// A server that is listening; `wait` runs it until it is stopped.
pub struct RunningServer {
    pub addrs: Vec<SocketAddr>,
    /// The one-time `/setup?token=…` link, when the database has no account yet.
    pub setup_link: Option<String>,
    pub handle: actix_web::dev::ServerHandle,
    server: actix_web::dev::Server,
    writer: WriterThread,
    periodic: Periodic,
}

impl RunningServer {
    /// Serves until shutdown (SIGINT/SIGTERM or `handle.stop`), finishing in-flight requests
    /// and storing every response already accepted by the writer.
    pub async fn wait(self) -> Result<(), StartError> {
        let result = self.server.await.map_err(StartError::Serve);
        // The sender finishes the batch it is sending and records it.
        self.periodic.stop().await;
        // The workers (and their writer handles) are gone; the writer drains and stops.
        let writer = self.writer;
        let _ = actix_web::rt::task::spawn_blocking(move || writer.join()).await;
        result
    }
}

/// Prepares everything and starts listening. Must be called inside an actix system.
pub fn start(settings: Settings, db: Database) -> Result<RunningServer, StartError> {
    start_with_clock(settings, db, Clock::system())
}

/// `start` with a clock the caller keeps (tests move it forward).
pub fn start_with_clock(
    settings: Settings,
    db: Database,
    clock: Clock,
) -> Result<RunningServer, StartError> {
    let settings = Arc::new(settings);
    let setup = SetupLink::none();
    let setup_link = if crate::db::users::count(&mut *db.get()?).map_err(DbError::from)? == 0 {
        let token = setup.issue();
        Some(format!(
            "{}setup?token={}",
            settings.server.public_url,
            token.expose()
        ))
    } else {
        None
    };
    let secret_key = crate::server_key::load(&settings)?;
    crate::server_key::check(&mut *db.get()?, &secret_key)?;
    if let Some(slug) = survey::seed_shipped_questionnaire(&mut *db.get()?, clock.now())? {
        tracing::info!(slug, "imported the shipped questionnaire as a draft");
        let page = format!("{}s/{slug}", settings.server.public_url);
        let command = crate::invocation::command_prefix();
        let open_link = crate::questionnaire::parse_questionnaire(survey::SHIPPED_QUESTIONNAIRE)
            .is_ok_and(|q| q.open_link);
        let answering = if open_link {
            format!("Its open link: {page}")
        } else {
            format!(
                "It is invitation-only (open_link = false): invite people with\n  \
                 {command} invite import {slug} FILE.csv\n\
                 and answer through an invitation's link; its page: {page}"
            )
        };
        println!(
            "Imported the shipped questionnaire as a draft survey \"{slug}\".\n\
             Open it with:  {command} survey open {slug}\n\
             {answering}"
        );
    }
    let submissions = crate::release::Submissions::default();
    let (writer, writer_thread) = ResponseWriter::start(
        db.clone(),
        settings.responses.max_batch,
        settings.responses.queue_capacity,
        submissions.clone(),
    );
    let state = web::Data::new(AppState {
        settings: settings.clone(),
        db: db.clone(),
        catalog: Catalog::new(),
        clock,
        passwords: PasswordHasher::new(settings.security.password_hash_concurrency),
        setup,
        seal: ResponseSeal::new(&secret_key),
        secret_key,
    });
    let periodic = periodic::start(
        &settings,
        &db,
        &state.clock,
        &state.seal,
        &state.secret_key,
        submissions,
    )?;

    let https = settings.is_https();
    let app_state = state.clone();
    // Each worker holds a handle; once they and this one are gone, the writer drains and stops.
    let writer = web::Data::new(writer);
    let app_writer = writer.clone();
    let draft_starts = web::Data::new(crate::respond::DraftStarts::new(
        &state.secret_key,
        settings.server.drafts_per_address_per_hour,
    ));
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(app_state.clone())
            .app_data(app_writer.clone())
            .app_data(draft_starts.clone())
            .wrap(http::security_headers(https))
            .wrap(actix_web::middleware::from_fn(http::referrer_policy))
            .wrap(RequestLog)
            .configure(routes)
            .default_service(web::to(not_found))
    })
    .shutdown_timeout(30);
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    let addr = settings.server.bind;
    let server = server
        .bind(addr)
        .map_err(|source| StartError::Bind { addr, source })?;
    let addrs = server.addrs();
    let server = server.run();
    drop(state);
    drop(writer);
    Ok(RunningServer {
        addrs,
        setup_link,
        handle: server.handle(),
        server,
        writer: writer_thread,
        periodic,
    })
}

/// `candour serve`: run until stopped.
pub async fn serve(settings: Settings) -> Result<(), StartError> {
    let db = open_database(&settings)?;
    tracing::info!(database = %db.url(), "database ready");
    let running = start(settings, db)?;
    for addr in &running.addrs {
        println!("Candour is listening on http://{addr}/");
    }
    if let Some(link) = &running.setup_link {
        println!(
            "No account exists yet. Create the first admin account, once, at:\n  {link}\n\
             The link works only until it is used or this process stops."
        );
    }
    running.wait().await
}

/// Every route of the service.
fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(http::routes)
        .configure(crate::admin::routes)
        .configure(crate::respond::pages::routes)
        .configure(crate::respond::invitation::routes)
        .configure(crate::respond::api::routes);
}

/// Unknown addresses get the same page as an unknown survey; in the review team's area, in
/// its frame.
async fn not_found(req: HttpRequest) -> HttpResponse {
    let path = req.path();
    if path == "/admin" || path.starts_with("/admin/") || path == "/setup" {
        return crate::admin::views::error_page(
            crate::error::ErrorCode::NotFound,
            crate::messages::NOT_FOUND,
            crate::messages::NOT_FOUND_DETAIL,
        );
    }
    http::not_found_page()
}
