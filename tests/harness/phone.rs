//! Phones: real encrypted core stores signed in to a test server.

use std::sync::Arc;

use alongside_core::Store;
use alongside_core::store::Session;
use alongside_core::sync::{SyncClient, SyncConfig, SyncEngine, SyncError, SyncObserver, SyncReport, SyncStatus, Timeouts};

use crate::{Server, TestResult};

/// A database key for test phones.
pub const KEY: [u8; 32] = [0x5a; 32];

/// A phone: an encrypted core store signed in to a server.
#[derive(Debug)]
pub struct Phone {
    pub store: Arc<Store>,
    pub client: SyncClient,
    pub user_id: String,
    pub path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// A new phone of `user_id`, talking to `url` (the server, or a proxy).
    pub async fn new(server: &Server, url: &str, user_id: &str, name: &str) -> TestResult<Phone> {
        Phone::with_timeouts(server, url, user_id, name, Timeouts::default()).await
    }

    pub async fn with_timeouts(server: &Server, url: &str, user_id: &str, name: &str, timeouts: Timeouts) -> TestResult<Phone> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("phone.db");
        let store = Arc::new(Store::open(&path, &KEY)?);
        let (token, device_id) = server.device_token(user_id, name).await?;
        store.set_session(Some(&Session {
            token,
            device_id,
            user_id: user_id.to_owned(),
            role: String::new(),
            display_name: name.to_owned(),
        }))?;
        Ok(Phone { store, client: SyncClient::new(url, timeouts)?, user_id: user_id.to_owned(), path, _dir: dir })
    }

    /// A sync engine of this phone on the current runtime, hearing nothing
    /// back; the shell's word on the network is the test's to give.
    pub fn engine(&self, config: SyncConfig) -> SyncEngine {
        SyncEngine::start(Arc::clone(&self.store), self.client.clone(), config, Arc::new(Deaf), &tokio::runtime::Handle::current())
    }

    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
        alongside_core::sync::sync_once(&self.store, &self.client, &|_| {}).await
    }

    /// Everything the phone holds for `participant_id`, as comparable JSON.
    pub fn state(&self, participant_id: &str) -> TestResult<serde_json::Value> {
        let at = chrono::DateTime::UNIX_EPOCH;
        Ok(serde_json::from_str(&self.store.export_participant(participant_id, at)?)?)
    }
}

/// An engine observer that ignores what it hears.
#[derive(Debug)]
pub struct Deaf;

impl SyncObserver for Deaf {
    fn on_status(&self, _: SyncStatus) {}
}
