use std::sync::Arc;

use diesel::r2d2::{self, ManageConnection};

use super::{migrations, Backend, DatabaseUrl, DbConnection, DbError};

/// An r2d2 manager that picks the backend by URL scheme itself, so the real connection
/// error is reported (diesel's derived `establish` tries each backend and hides it).
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
    busy_timeout_ms: u32,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        DbConnection::open(&self.url, self.busy_timeout_ms)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::connection::TransactionManager;
        <DbConnection as diesel::Connection>::TransactionManager::is_broken_transaction_manager(
            conn,
        )
    }
}

pub type DbPool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// The storage handle shared by handlers, workers and commands.
#[derive(Clone)]
pub struct Database {
    pool: DbPool,
    /// At most one blocking task per connection: more would only wait for a connection on a
    /// thread of their own, and every extra thread costs memory.
    permits: Arc<tokio::sync::Semaphore>,
    backend: Backend,
    url: Arc<DatabaseUrl>,
}

impl Database {
    /// Connects (failing fast with the backend's own error) and builds the pool.
    pub fn connect(
        url: &DatabaseUrl,
        pool_size: u32,
        busy_timeout_ms: u32,
    ) -> Result<Self, DbError> {
        let first = DbConnection::open(url, busy_timeout_ms)?;
        let backend = first.backend();
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            // No background top-ups: a connection being opened on a pool thread while the
            // process exits crashes inside libpq's TLS clean-up.
            .min_idle(Some(0))
            .connection_timeout(std::time::Duration::from_secs(10))
            .build(Manager {
                url: url.clone(),
                busy_timeout_ms,
            })
            .map_err(|e| DbError::Connect(e.to_string()))?;
        Ok(Self {
            pool,
            permits: Arc::new(tokio::sync::Semaphore::new(pool_size as usize)),
            backend,
            url: Arc::new(url.clone()),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn get(&self) -> Result<PooledConnection, DbError> {
        Ok(self.pool.get()?)
    }

    pub fn migrate(&self) -> Result<usize, DbError> {
        migrations::run_pending(&mut *self.get()?)
    }

    /// Runs blocking storage work on the blocking thread pool, off the async workers.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| E::from(DbError::Cancelled))?;
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            work(&mut conn)
        })
        .await
        .map_err(|_| E::from(DbError::Cancelled))?
    }
}
