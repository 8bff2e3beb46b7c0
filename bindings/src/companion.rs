//! `Companion`: one device's store and sync engine, as the apps hold it.
//!
//! Local reads and writes are synchronous (they take microseconds; call them
//! off the main thread all the same). Network calls are async: they run on
//! the library's own tokio runtime, which also runs the sync engine, so the
//! shell's executor never needs tokio.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use alongside_core::care::ContactRequest;
use alongside_core::devices::DeviceView;
use alongside_core::model::{EncounterNote, GoalProgress, Message, Milestone, Profile, ReachOut, RecoveryPeriod, Sharing, Urgency};
use alongside_core::protocol::RegisterRequest;
use alongside_core::push::{Offered, Registration};
use alongside_core::reminders::{Reminder, ReminderSettings};
use alongside_core::schema::Collection;
use alongside_core::store::{RecordSync, Settle, Store};
use alongside_core::sync::{self, SyncClient, SyncConfig, SyncEngine, SyncError, Timeouts};
use alongside_core::views::{ConflictView, Notice, ParticipantOverview, ReachedMilestone, Today};
use alongside_core::{CalendarDate, actions::messages::ConversationMessage};
use chrono::Utc;

use alongside_core::protocol::AuditEntry;

use crate::error::{AlongsideError, Result};
use crate::events::{DataChangeObserver, EngineObserver, Events, Subscription, SyncStatusObserver};
use crate::language;
use crate::views::{
    Account, Barc10Summary, CaseloadEntry, CrisisResource, GasSummary, Invite, OutboxItem, ParticipantSummary, RankedStrategy,
    ReachOutSent, SyncReport, SyncStatus, crisis_lines,
};

/// One device's Alongside: the encrypted store, the sync engine, and the
/// events a shell listens to. Open one per database and keep it for the life
/// of the app process.
#[derive(Debug, uniffi::Object)]
pub struct Companion {
    pub(crate) store: Arc<Store>,
    client: SyncClient,
    device_name: String,
    engine: Arc<SyncEngine>,
    pub(crate) events: Arc<Events>,
    /// The shell's last word on connectivity.
    online: AtomicBool,
    /// Dropped last, and without waiting: see `Drop`.
    runtime: Option<tokio::runtime::Runtime>,
}

#[uniffi::export]
impl Companion {
    /// Opens (or creates) the encrypted database at `path` with the 32-byte
    /// key from the platform keystore, and starts syncing with the server at
    /// `server_url` (`https://…`). `device_name` is what the person sees in
    /// their list of signed-in devices. A wrong key is `WrongKey`, and the file
    /// is left as it was.
    #[uniffi::constructor]
    pub fn open(path: String, key: Vec<u8>, server_url: String, device_name: String) -> Result<Arc<Self>> {
        let store = Arc::new(Store::open(&path, &key)?);
        let client = SyncClient::new(&server_url, Timeouts::default())?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("alongside")
            .enable_all()
            .build()
            .map_err(|e| AlongsideError::internal(format!("cannot start the sync runtime: {e}")))?;
        let events = Events::new();
        let observer = Arc::new(EngineObserver(Arc::clone(&events)));
        let engine = Arc::new(SyncEngine::start(Arc::clone(&store), client.clone(), SyncConfig::default(), observer, runtime.handle()));
        Ok(Arc::new(Companion { store, client, device_name, engine, events, online: AtomicBool::new(true), runtime: Some(runtime) }))
    }

    /// This device's id in the store: the node of every change it makes.
    pub fn device_id(&self) -> String {
        self.store.device_id().to_owned()
    }

    /// Re-encrypts the database under a new 32-byte key.
    pub fn rekey(&self, new_key: Vec<u8>) -> Result<()> {
        Ok(self.store.rekey(&new_key)?)
    }

    // --- account -------------------------------------------------------------

    /// Who is signed in on this device, if anyone.
    pub fn account(&self) -> Result<Option<Account>> {
        self.store.session()?.map(Account::try_from).transpose()
    }

    /// Signs in, keeps the session inside the encrypted store, and syncs.
    pub async fn login(&self, username: String, password: String) -> Result<Account> {
        let (store, client, device_name) = (Arc::clone(&self.store), self.client.clone(), self.device_name.clone());
        let session =
            self.run(async move { sync::sign_in(&store, &client, &username, &password, &device_name).await }).await?.map_err(|error| {
                match error {
                    SyncError::Server { status: 401, message, .. } => AlongsideError::WrongCredentials { reason: message },
                    other => other.into(),
                }
            })?;
        // Sync at once when the shell says there is a network.
        self.engine.set_network_available(self.online.load(Ordering::SeqCst));
        Account::try_from(session)
    }

    /// Creates a participant's account from their peer worker's invite code,
    /// signs this device in, and syncs.
    pub async fn register(&self, invite_code: String, username: String, password: String, display_name: String) -> Result<Account> {
        let request = RegisterRequest { invite_code, username, password, display_name, device_name: self.device_name.clone() };
        let (store, client) = (Arc::clone(&self.store), self.client.clone());
        let session = self.run(async move { sync::register(&store, &client, &request).await }).await??;
        self.engine.set_network_available(self.online.load(Ordering::SeqCst));
        Account::try_from(session)
    }

    /// A peer worker invites a participant: a single-use code to read aloud.
    pub async fn invite(&self, display_name: String) -> Result<Invite> {
        let (token, client) = (self.token()?, self.client.clone());
        let invite = self.run(async move { client.invite(&token, &display_name).await }).await??;
        let expires_at = chrono::DateTime::parse_from_rfc3339(&invite.expires_at)
            .map_err(|_| SyncError::Protocol("the invite's expiry is not an RFC 3339 instant".into()))?
            .to_utc();
        Ok(Invite { code: invite.code, expires_at })
    }

    /// Whose records this person sees, from the server: for a participant,
    /// themself; for a peer worker, their caseload, with what each shares.
    pub async fn participants(&self) -> Result<Vec<ParticipantSummary>> {
        let (token, client) = (self.token()?, self.client.clone());
        let me = self.run(async move { client.me(&token).await }).await??;
        Ok(me.participants.into_iter().map(ParticipantSummary::from).collect())
    }

    /// Who pushed and pulled the participant's records (a participant reads
    /// their own trail). Needs the network.
    pub async fn audit(&self, participant_id: String) -> Result<Vec<AuditEntry>> {
        let (token, client) = (self.token()?, self.client.clone());
        let audit = self.run(async move { client.audit(&token, &participant_id).await }).await??;
        Ok(audit.entries)
    }

    /// The person's signed-in devices, oldest first, this one marked.
    pub async fn devices(&self) -> Result<Vec<DeviceView>> {
        let (token, client) = (self.token()?, self.client.clone());
        Ok(self.run(async move { client.devices(&token).await }).await??.devices)
    }

    /// Signs one of the person's devices out; with `wipe` (a lost phone), it
    /// deletes everything it holds the next time it reaches the server.
    pub async fn sign_out_device(&self, device_id: String, wipe: bool) -> Result<()> {
        let (token, client) = (self.token()?, self.client.clone());
        let request = alongside_core::devices::RevokeRequest { device_id, wipe };
        Ok(self.run(async move { client.revoke_device(&token, &request).await }).await??)
    }

    /// A peer worker's own number and usual hours, which their participants'
    /// phones offer when a reach-out cannot wait. Needs the network.
    pub async fn my_contact(&self) -> Result<ContactRequest> {
        let (token, client) = (self.token()?, self.client.clone());
        Ok(self.run(async move { client.contact(&token).await }).await??)
    }

    /// Sets them; a bad number or hours is `Validation` on the field at fault
    /// (`phone`, `hours.days`, `hours.from`, …), and nothing changes.
    pub async fn set_my_contact(&self, contact: ContactRequest) -> Result<ContactRequest> {
        let (token, client) = (self.token()?, self.client.clone());
        Ok(self.run(async move { client.set_contact(&token, &contact).await }).await??)
    }

    /// The push services the server wakes devices through (Web Push with its
    /// VAPID key, FCM, APNs). Needs the network.
    pub async fn wake_up_offer(&self) -> Result<Offered> {
        let (token, client) = (self.token()?, self.client.clone());
        Ok(self.run(async move { client.push_offer(&token).await }).await??)
    }

    /// Tells the server where this device is woken (the shell's push token or
    /// subscription), replacing what it said before; `None`: woken no more.
    /// A wake-up carries nothing about anyone: on one, call `syncNow` and then
    /// `news`.
    pub async fn set_wake_ups(&self, registration: Option<Registration>) -> Result<()> {
        let (token, client) = (self.token()?, self.client.clone());
        Ok(self.run(async move { client.set_push_registration(&token, registration.as_ref()).await }).await??)
    }

    /// What to show after a wake-up and the sync it asked for: what arrived
    /// after `since` (the last time the shell showed news), in the app's
    /// language; one neutral notice in discreet mode.
    pub fn news(&self, since: alongside_core::Timestamp) -> Result<Vec<Notice>> {
        Ok(self.store.news(since, language::current())?)
    }

    /// A new password (the current one confirms it's them). The person's other
    /// devices are signed out; returns how many. A wrong current password is
    /// `Validation` on `current_password`, a weak new one on `new_password`.
    pub async fn change_password(&self, current_password: String, new_password: String) -> Result<u32> {
        let (store, client) = (Arc::clone(&self.store), self.client.clone());
        Ok(self.run(async move { sync::change_password(&store, &client, &current_password, &new_password).await }).await??)
    }

    /// Signs in with a new password and the reset code an admin read out;
    /// every other device of the person is signed out. A wrong or used code
    /// is `WrongCredentials`.
    pub async fn reset_password(&self, username: String, code: String, new_password: String) -> Result<Account> {
        let request =
            alongside_core::accounts::PasswordResetRequest { username, code, new_password, device_name: self.device_name.clone() };
        let (store, client) = (Arc::clone(&self.store), self.client.clone());
        let session =
            self.run(async move { sync::reset_password(&store, &client, &request).await }).await?.map_err(|error| match error {
                SyncError::Server { status: 401, message, .. } => AlongsideError::WrongCredentials { reason: message },
                other => other.into(),
            })?;
        self.engine.set_network_available(self.online.load(Ordering::SeqCst));
        Account::try_from(session)
    }

    /// A participant deletes their account, confirming their password: the
    /// server forgets them, their peer workers' phones drop their copies, and
    /// this phone deletes everything it holds. The shell then deletes the
    /// database file and its key, as for a cleared phone. Needs the network;
    /// nothing is deleted unless the server did it.
    pub async fn delete_account(&self, password: String) -> Result<u64> {
        let (store, client) = (Arc::clone(&self.store), self.client.clone());
        let deleted = self.run(async move { sync::erase_account(&store, &client, &password).await }).await??;
        self.events.remote_change();
        Ok(deleted)
    }

    /// Signs out: the server forgets the token, and so does the device.
    /// Changes not yet sent stay for the next sign-in.
    pub async fn logout(&self) -> Result<()> {
        let (store, client) = (Arc::clone(&self.store), self.client.clone());
        self.run(async move { sync::sign_out(&store, &client).await }).await??;
        Ok(())
    }

    // --- sync ----------------------------------------------------------------

    /// Runs a sync pass now (push, then pull) and says what it did.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        let report = self.engine.sync_now().await?;
        if report.purges > 0 {
            // The engine's status only counts pulled changes; a purge alone
            // changes data too.
            self.events.remote_change();
        }
        Ok(report.into())
    }

    /// The shell's word on connectivity: `false` stops sync attempts (writes
    /// queue up); `true` syncs at once.
    pub fn set_network_available(&self, available: bool) {
        self.online.store(available, Ordering::SeqCst);
        self.engine.set_network_available(available);
    }

    /// The app came to the foreground (`true`: listen for the server's events,
    /// so what others send arrives in seconds) or went to the background.
    pub fn set_foreground(&self, foreground: bool) {
        self.engine.set_foreground(foreground);
    }

    /// The last sync status reported.
    pub fn sync_status(&self) -> SyncStatus {
        self.events.last_status()
    }

    /// Calls `observer` with the sync status now, then with every later one,
    /// in order, until the returned subscription is cancelled or dropped.
    pub fn observe_sync(&self, observer: Arc<dyn SyncStatusObserver>) -> Result<Arc<Subscription>> {
        let handle = self.handle()?;
        Ok(self.events.observe_status(&handle, move |status| {
            // A failing observer is the shell's bug: it must not stop sync,
            // and it cannot cross back as a panic.
            let _ = observer.on_status(status);
        }))
    }

    /// Calls `observer` whenever records change, here or through sync, until
    /// the returned subscription is cancelled or dropped.
    pub fn observe_changes(&self, observer: Arc<dyn DataChangeObserver>) -> Result<Arc<Subscription>> {
        let handle = self.handle()?;
        Ok(self.events.changes.subscribe(&handle, None, move |change| {
            let _ = observer.on_change(change);
        }))
    }

    /// Changes not yet taken by the server: waiting, or refused with the
    /// server's reason. Refused ones stay here until the person sees them.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.store.outbox()?.into_iter().map(OutboxItem::try_from).collect()
    }

    /// How many changes the server refused (see `outbox()` for why).
    pub fn refused_count(&self) -> Result<u64> {
        Ok(self.store.refused_count()?)
    }

    /// Whether the server has a record as this device last wrote it:
    /// `Synced`, `Waiting` for signal, or `Refused` with the server's reason.
    pub fn record_sync(&self, record_id: String) -> Result<RecordSync> {
        Ok(self.store.record_sync(&record_id)?)
    }

    /// How many changes wait to be sent.
    pub fn pending_count(&self) -> Result<u64> {
        Ok(self.store.pending_count()?)
    }

    /// Sends a refused change again with the next sync, with the record's
    /// values as they are now (after the person fixed what the server said).
    pub fn retry_refused(&self, change_id: String) -> Result<()> {
        let change = self.store.retry_refused(&change_id)?;
        self.wrote_change(&change);
        Ok(())
    }

    /// Lets a refused change go: what it wrote here is taken back and the
    /// server's copy comes back with the next sync.
    pub fn discard_refused(&self, change_id: String) -> Result<()> {
        let change = self.store.discard_refused(&change_id)?;
        self.wrote_change(&change);
        Ok(())
    }

    /// Edits made on this phone that lost to someone else's made at the
    /// same time, kept for the person to look at.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>> {
        Ok(self.store.conflict_views()?)
    }

    /// Keeps my version (written again, it syncs as a new edit) or lets it go.
    pub fn settle_conflict(&self, id: String, settle: Settle) -> Result<()> {
        let (participant_id, collection) = self.store.settle_conflict(&id, settle)?;
        self.wrote(&participant_id, &[collection]);
        Ok(())
    }

    // --- views ---------------------------------------------------------------

    /// The participant's home screen: days in recovery (in their own time
    /// zone), the next milestone, milestones to celebrate, active goals, open
    /// reach-outs, and changes waiting to sync.
    pub fn today(&self, participant_id: String) -> Result<Today> {
        Ok(self.store.today(&participant_id, Utc::now(), language::current())?)
    }

    /// A peer worker's caseload, who needs contact first.
    pub fn caseload(&self) -> Result<Vec<CaseloadEntry>> {
        Ok(self.store.caseload(Utc::now())?.into_iter().map(CaseloadEntry::from).collect())
    }

    /// One participant's page on a peer worker's device: what they share
    /// today, and only that (goals with the GAS T-score, recent check-ins,
    /// recovery time), open reach-outs, encounter notes, unread messages.
    pub fn participant_overview(&self, participant_id: String) -> Result<ParticipantOverview> {
        Ok(self.store.participant_overview(&participant_id, Utc::now())?)
    }

    /// Coping strategies, favorites first, then by how much they helped.
    pub fn ranked_strategies(&self, participant_id: String) -> Result<Vec<RankedStrategy>> {
        Ok(self.store.ranked_strategies(&participant_id, language::current())?.into_iter().map(RankedStrategy::from).collect())
    }

    /// Contacts, emergency ones first.
    pub fn contacts(&self, participant_id: String) -> Result<Vec<alongside_core::model::Contact>> {
        Ok(self.store.contacts(&participant_id)?)
    }

    /// The participant's peer worker among their contacts, if they added them.
    pub fn peer_worker(&self, participant_id: String) -> Result<Option<alongside_core::model::Contact>> {
        Ok(self.store.peer_worker_contact(&participant_id)?)
    }

    /// The built-in crisis lines (no database needed; see also the free
    /// function `crisis_resources()`).
    pub fn crisis_resources(&self) -> Vec<CrisisResource> {
        crisis_lines()
    }

    /// Goal Attainment Scaling T-score over the active scored goals.
    pub fn gas_summary(&self, participant_id: String) -> Result<GasSummary> {
        Ok(self.store.gas_summary(&participant_id)?.into())
    }

    /// The latest BARC-10 total and its change, if any was taken.
    pub fn barc10_summary(&self, participant_id: String) -> Result<Option<Barc10Summary>> {
        Ok(self.store.barc10_summary(&participant_id)?.map(Barc10Summary::from))
    }

    /// All of a participant's data on this device, as JSON.
    pub fn export_participant(&self, participant_id: String) -> Result<String> {
        Ok(self.store.export_participant(&participant_id, Utc::now())?)
    }

    // --- actions -------------------------------------------------------------

    /// First run for a participant: their profile (kept if it exists) and the
    /// built-in coping strategies.
    pub fn set_up_participant(&self, profile: Profile) -> Result<Profile> {
        let profile = self.store.set_up_participant(&profile)?;
        self.wrote(&profile.participant_id, &[Collection::Profile, Collection::CopingStrategies]);
        Ok(profile)
    }

    /// A new recovery period from `start_date`; the current one is closed and
    /// kept as history.
    pub fn start_recovery_period(&self, participant_id: String, start_date: CalendarDate, note: Option<String>) -> Result<RecoveryPeriod> {
        let period = self.store.start_recovery_period(&participant_id, start_date, note)?;
        self.wrote(&participant_id, &[Collection::RecoveryPeriods]);
        Ok(period)
    }

    /// Marks a reached milestone (from `today().to_celebrate`) as celebrated.
    pub fn celebrate(&self, participant_id: String, reached: ReachedMilestone) -> Result<Milestone> {
        let milestone = self.store.celebrate(&participant_id, &reached)?;
        self.wrote(&participant_id, &[Collection::Milestones]);
        Ok(milestone)
    }

    /// What the participant shares with their peer worker (nothing, if never set).
    pub fn sharing(&self, participant_id: String) -> Result<Sharing> {
        Ok(self.store.sharing(&participant_id)?)
    }

    /// Sets what the participant shares, signed now, until `expires_on`.
    pub fn set_sharing(&self, participant_id: String, shared: Sharing, expires_on: Option<CalendarDate>) -> Result<Sharing> {
        let sharing = self.store.set_sharing(&participant_id, &shared, expires_on, Utc::now())?;
        self.wrote(&participant_id, &[Collection::Sharing]);
        Ok(sharing)
    }

    /// "I need to talk": keeps the reach-out on the phone, then sends it
    /// alone, ahead of anything else waiting. The answer comes at once when
    /// the shell said there is no network, and within 3 seconds otherwise:
    /// delivered, no peer worker yet, refused (with why), or waiting; always
    /// with whom to call instead or as well.
    pub async fn reach_out(&self, participant_id: String, urgency: Urgency, message: Option<String>) -> Result<ReachOutSent> {
        let (store, engine, participant) = (Arc::clone(&self.store), Arc::clone(&self.engine), participant_id.clone());
        let answer = self
            .run(async move { sync::reach_out(&store, &engine, &participant, urgency, message, Utc::now(), language::current()).await })
            .await??;
        self.wrote(&participant_id, &[Collection::ReachOuts]);
        Ok(answer.into())
    }

    /// What became of a reach-out as this phone knows it now: ask again after
    /// each sync while it is waiting.
    pub fn reach_out_answer(&self, id: String) -> Result<ReachOutSent> {
        let reach_out = self.store.get::<ReachOut>(&id)?;
        Ok(self.store.reach_out_answer(reach_out, Utc::now(), language::current())?.into())
    }

    // --- reminders -------------------------------------------------------------

    /// This device's reminder settings (the defaults until the person saves
    /// some). Kept on this device only.
    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        Ok(self.store.reminder_settings()?)
    }

    /// Saves the reminder settings; a time out of range is `Validation` on
    /// the part at fault, and nothing is saved.
    pub fn set_reminder_settings(&self, settings: ReminderSettings) -> Result<()> {
        Ok(self.store.set_reminder_settings(&settings)?)
    }

    /// The local notifications to have scheduled for `participant_id` from
    /// now on (the next two weeks), in their own time zone and the app's
    /// language. The shell replaces what it scheduled with these after every
    /// change of data or settings, and once a day; each `id` is stable.
    pub fn reminders(&self, participant_id: String) -> Result<Vec<Reminder>> {
        Ok(self.store.reminders(&participant_id, Utc::now(), language::current())?)
    }

    /// Progress on a goal; a GAS level becomes the goal's current score.
    pub fn record_goal_progress(&self, goal_id: String, score: Option<i64>, note: Option<String>) -> Result<GoalProgress> {
        let progress = self.store.record_goal_progress(&goal_id, score, note, Utc::now())?;
        self.wrote(&progress.participant_id, &[Collection::GoalProgress, Collection::Goals]);
        Ok(progress)
    }

    /// A peer worker has seen the reach-out.
    pub fn acknowledge_reach_out(&self, id: String) -> Result<ReachOut> {
        let reach_out = self.store.acknowledge_reach_out(&id, Utc::now())?;
        self.wrote(&reach_out.participant_id, &[Collection::ReachOuts]);
        Ok(reach_out)
    }

    /// The reach-out was followed up.
    pub fn resolve_reach_out(&self, id: String) -> Result<ReachOut> {
        let reach_out = self.store.resolve_reach_out(&id, Utc::now())?;
        self.wrote(&reach_out.participant_id, &[Collection::ReachOuts]);
        Ok(reach_out)
    }

    /// Sends a message in the participant's conversation with their peer
    /// worker (delivered on the next sync).
    pub fn send_message(&self, participant_id: String, body: String) -> Result<Message> {
        let message = self.store.send_message(&participant_id, &body, Utc::now())?;
        self.wrote(&participant_id, &[Collection::Messages]);
        Ok(message)
    }

    /// The conversation, oldest first, each message marked whether it is ours.
    pub fn conversation(&self, participant_id: String) -> Result<Vec<ConversationMessage>> {
        Ok(self.store.conversation(&participant_id)?)
    }

    /// Messages from the other person not yet read.
    pub fn unread_messages(&self, participant_id: String) -> Result<u64> {
        Ok(u64::try_from(self.store.unread_messages(&participant_id)?).unwrap_or(u64::MAX))
    }

    /// A read receipt (only for a message someone else wrote).
    pub fn mark_message_read(&self, id: String) -> Result<Message> {
        let message = self.store.mark_message_read(&id, Utc::now())?;
        self.wrote(&message.participant_id, &[Collection::Messages]);
        Ok(message)
    }

    /// A peer worker's note, kept as an editable draft.
    pub fn draft_encounter_note(&self, note: EncounterNote) -> Result<EncounterNote> {
        let note = self.store.draft_encounter_note(&note)?;
        self.wrote(&note.participant_id, &[Collection::EncounterNotes]);
        Ok(note)
    }

    /// Submits a draft; from then on it is locked (`Rejected` with code `locked`).
    pub fn submit_encounter_note(&self, id: String) -> Result<EncounterNote> {
        let note = self.store.submit_encounter_note(&id)?;
        self.wrote(&note.participant_id, &[Collection::EncounterNotes]);
        Ok(note)
    }

    /// Corrects a submitted note with a new, submitted note that amends it.
    pub fn amend_encounter_note(&self, id: String, corrected: EncounterNote) -> Result<EncounterNote> {
        let note = self.store.amend_encounter_note(&id, &corrected)?;
        self.wrote(&note.participant_id, &[Collection::EncounterNotes]);
        Ok(note)
    }
}

impl Companion {
    /// After a local write: tell the engine (it syncs soon) and the screens.
    pub(crate) fn wrote(&self, participant_id: &str, collections: &[Collection]) {
        self.engine.notify_local_write();
        self.events.local_change(participant_id, collections);
    }

    fn wrote_change(&self, change: &alongside_core::Change) {
        let collections: Vec<Collection> = change.collection.parse().into_iter().collect();
        self.wrote(&change.participant_id, &collections);
    }

    fn token(&self) -> Result<String> {
        Ok(self.store.session()?.ok_or(AlongsideError::NotSignedIn)?.token)
    }

    fn handle(&self) -> Result<tokio::runtime::Handle> {
        self.runtime.as_ref().map(|runtime| runtime.handle().clone()).ok_or_else(|| AlongsideError::internal("the runtime has stopped"))
    }

    /// Runs `work` on the library's runtime (reqwest and the store's blocking
    /// pool need one) and awaits it from whatever executor the shell uses.
    async fn run<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> Result<T> {
        self.handle()?.spawn(work).await.map_err(|e| AlongsideError::internal(format!("the task ended early: {e}")))
    }
}

impl Drop for Companion {
    fn drop(&mut self) {
        self.engine.stop();
        // The last reference may go on any thread; shutting down without
        // waiting never blocks it.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
