//! `GET /v1/sync/events`: Server-Sent Events for a signed-in device.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use super::AppState;
use super::extract::Authenticated;
use super::failures::{Internal, InvalidRequest, Unauthorized};
use crate::error::ApiError;
use crate::events::Listener;
use crate::policy::Actor;

/// `event: changes` (`data: {}`) whenever something this user may see was
/// applied after the stream opened; a comment at least every keep-alive
/// interval. A store failure while judging an announcement wakes the device
/// anyway: a needless pull is cheap, a missed one is not.
#[utoipa::path(
    get, path = "/v1/sync/events", tag = "sync", operation_id = "events",
    security(("bearer" = [])),
    responses(
        (status = 200, content_type = "text/event-stream", body = ChangesEvent,
         description = "Server-Sent Events that never end on their own: `event: changes` with `data: {}`, \
                        and a comment line at least every 30 s (the server's keep-alive setting)."),
        InvalidRequest, Unauthorized, Internal,
    ),
)]
pub async fn events(
    State(state): State<AppState>,
    Authenticated(session): Authenticated,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let actor = Actor { user_id: session.user.id.clone(), role: session.user.role };
    // Subscribe before anything else, so nothing applied from now on is missed.
    let receiver = state.events.subscribe();
    let listener = Listener::new(&state.db, actor).await?;
    let db = state.db.clone();
    let stopping = state.stopping.clone();
    // While the stream is open, the stream tells the device; no wake-up.
    let awake = (state.wake.stream_opened(&session.device_id), state.metrics.stream_opened());
    let stream =
        stream::unfold((receiver, listener, db, stopping, awake), |(mut receiver, mut listener, db, mut stopping, awake)| async move {
            loop {
                if *stopping.borrow() {
                    return None;
                }
                let received = tokio::select! {
                    received = receiver.recv() => received,
                    _ = stopping.changed() => return None,
                };
                let wake = match received {
                    Ok(notice) => listener.concerns(&db, &notice).await.unwrap_or(true),
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return None,
                };
                if wake {
                    return Some((Ok(Event::default().event("changes").data("{}")), (receiver, listener, db, stopping, awake)));
                }
            }
        });
    tracing::info!(user_id = %session.user.id, "events stream opened");
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(state.events.keep_alive).text("keep-alive")))
}

/// One event of the stream, as a reader parses it (`event` and `data`):
/// "pull now". It carries no record data.
#[derive(Debug)]
pub struct ChangesEvent;

impl utoipa::PartialSchema for ChangesEvent {
    fn schema() -> RefOr<Schema> {
        let only = |value: &str| ObjectBuilder::new().schema_type(Type::String).enum_values(Some([value]));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("event", only("changes"))
            .property("data", only("{}"))
            .required("event")
            .required("data")
            .into()
    }
}

impl utoipa::ToSchema for ChangesEvent {}
