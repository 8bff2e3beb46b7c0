//! `GET /healthz`: the process is up and answering.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::failures::InvalidRequest;

/// `{"status": "ok"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    status: Up,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum Up {
    Ok,
}

/// Answers without a token and without asking the database.
#[utoipa::path(
    get, path = "/healthz", tag = "meta", operation_id = "healthz",
    responses((status = 200, description = "The process is up.", body = Health), InvalidRequest),
)]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: Up::Ok })
}
