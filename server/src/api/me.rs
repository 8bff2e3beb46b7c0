//! `GET /v1/me`, `PUT /v1/me/contact` and `GET /v1/audit`.

use alongside_protocol::care::ContactRequest;
use alongside_protocol::protocol::{AuditEntry, AuditResponse, MeResponse, ParticipantView};
use alongside_protocol::schema::check_id;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::auth::{instant, user_view};
use super::extract::{ApiJson, ApiQuery, Authenticated};
use super::failures::{Forbidden, Internal, InvalidRequest, PayloadTooLarge, Unauthorized, ValidationFailed};
use crate::error::ApiError;
use crate::policy;
use crate::store::{RecordKey, Role, Session, Store};

/// Most audit entries one answer carries (the newest).
pub const MAX_AUDIT_ENTRIES: usize = 1000;

/// Who this is, and whose records they see: a participant themself (with what
/// they share), a peer worker their caseload (with what each shares now), an
/// admin nobody.
#[utoipa::path(
    get, path = "/v1/me", tag = "me", operation_id = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "Who is asking.", body = MeResponse), InvalidRequest, Unauthorized, Internal),
)]
pub async fn me(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<Json<MeResponse>, ApiError> {
    let user = session.user;
    let ids = match user.role {
        Role::Participant => vec![user.id.clone()],
        Role::PeerWorker => state.db.caseload(&user.id).await?,
        Role::Admin => Vec::new(),
    };
    let keys: Vec<RecordKey> = ids.iter().flat_map(|id| [RecordKey::new("sharing", id), RecordKey::new("profile", id)]).collect();
    let records = state.db.records(&keys).await?;
    let today = chrono::Utc::now().date_naive();
    let mut participants = Vec::with_capacity(ids.len());
    for id in ids {
        let fields = |collection: &str| records.iter().find(|r| r.collection == collection && r.record_id == id).map(|r| &r.fields);
        let profile_name = fields("profile").and_then(|f| f.get("display_name")).and_then(|v| v.as_str()).map(str::to_owned);
        let display_name = match profile_name {
            Some(name) => name,
            None => state.db.user(&id).await?.map(|u| u.display_name).unwrap_or_default(),
        };
        participants.push(ParticipantView { shared: policy::shared_categories(fields("sharing"), today), id, display_name });
    }
    let care = match user.role {
        Role::Participant => Some(state.db.care(&user.id).await?),
        Role::PeerWorker | Role::Admin => None,
    };
    Ok(Json(MeResponse { user: user_view(user), participants, care }))
}

fn require_peer_worker(session: &Session) -> Result<(), ApiError> {
    if session.user.role == Role::PeerWorker {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only peer workers share a number with their participants".into()))
    }
}

/// `GET /v1/me/contact`: what a peer worker shares with their participants.
#[utoipa::path(
    get, path = "/v1/me/contact", tag = "me", operation_id = "get_contact",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The peer worker's number and hours.", body = ContactRequest),
        InvalidRequest, Unauthorized, Forbidden, Internal,
    ),
)]
pub async fn contact(State(state): State<AppState>, Authenticated(session): Authenticated) -> Result<Json<ContactRequest>, ApiError> {
    require_peer_worker(&session)?;
    Ok(Json(state.db.contact(&session.user.id).await?))
}

/// `PUT /v1/me/contact`: a peer worker's own number and usual hours, which
/// their participants' phones offer when a reach-out cannot wait.
#[utoipa::path(
    put, path = "/v1/me/contact", tag = "me", operation_id = "set_contact",
    security(("bearer" = [])),
    request_body = ContactRequest,
    responses(
        (status = 200, description = "Kept; the body as sent.", body = ContactRequest),
        InvalidRequest, Unauthorized, Forbidden, PayloadTooLarge, ValidationFailed, Internal,
    ),
)]
pub async fn set_contact(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiJson(request): ApiJson<ContactRequest>,
) -> Result<Json<ContactRequest>, ApiError> {
    require_peer_worker(&session)?;
    request.check().map_err(|e| ApiError::validation(e.field, e.reason))?;
    state.db.set_contact(&session.user.id, &request).await?;
    // Their participants' phones learn it with their next pull.
    state.events.announce_users(state.db.caseload(&session.user.id).await?);
    Ok(Json(request))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Whose trail: the participant's own id, or for an admin anyone's.
    /// Missing is 400; not a UUID, 422.
    #[param(required = true, value_type = String, pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    participant_id: Option<String>,
}

/// The audit trail of one participant's records, newest first: the participant
/// reads their own, an admin anyone's.
#[utoipa::path(
    get, path = "/v1/audit", tag = "me", operation_id = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "At most the newest 1000 entries.", body = AuditResponse),
        InvalidRequest, Unauthorized, Forbidden, ValidationFailed, Internal,
    ),
)]
pub async fn audit(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditResponse>, ApiError> {
    let participant_id = query.participant_id.ok_or_else(|| ApiError::InvalidRequest("give participant_id".into()))?;
    check_id("participant_id", &participant_id).map_err(|e| ApiError::validation("participant_id", e.to_string()))?;
    let allowed = match session.user.role {
        Role::Admin => true,
        Role::Participant => session.user.id == participant_id,
        Role::PeerWorker => false,
    };
    if !allowed {
        return Err(ApiError::Forbidden("a participant reads their own audit trail; admins read any".into()));
    }
    let entries = state
        .db
        .audit(&participant_id, MAX_AUDIT_ENTRIES)
        .await?
        .into_iter()
        .map(|e| AuditEntry {
            at: instant(e.at_ms),
            actor_id: e.actor_id,
            actor_role: e.actor_role.name().to_owned(),
            action: e.action.name().to_owned(),
            participant_id: e.participant_id,
            collections: e.collections,
            count: e.count,
        })
        .collect();
    Ok(Json(AuditResponse { entries }))
}
