//! The API's OpenAPI 3.1 description, generated from the handlers'
//! `#[utoipa::path]` annotations and the protocol's types (its `openapi`
//! feature), and served at `GET /v1/openapi.json`. A route is added only
//! with `routes!(handler)` (`super::routes`), which takes the handler's
//! description with it, so the two cannot drift apart.

use std::sync::Arc;

use alongside_protocol::protocol::ErrorEnvelope;
use axum::{Extension, Json};
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};
use utoipa::{PartialSchema, ToSchema};

use super::failures::{self, Internal, InvalidRequest};
use crate::error::ApiError;

/// The name of the bearer-token scheme, as operations' `security(...)` name it.
pub const BEARER: &str = "bearer";

/// What the generated paths are added to: the title, the bearer scheme, the
/// error body and the tags.
pub fn base() -> OpenApi {
    let info = InfoBuilder::new()
        .title("Alongside sync API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The sync server of PROTOCOL.md and the additions in protocol/README.md. \
             Every error is `{\"error\": {\"code\", \"message\", \"field\"?}}`; a route named here with a method \
             it does not take answers 405 (`components.responses.MethodNotAllowed`), and a path not named here 404.",
        ))
        .license(Some(LicenseBuilder::new().name("AGPL-3.0-or-later").identifier(Some("AGPL-3.0-or-later")).build()))
        .build();
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some("The token a device got from login or register; it stops working at logout or revocation."))
        .build();
    let mut schemas = vec![(ErrorEnvelope::name().into_owned(), ErrorEnvelope::schema())];
    ErrorEnvelope::schemas(&mut schemas);
    let components = ComponentsBuilder::new().security_scheme(BEARER, SecurityScheme::Http(bearer)).schemas_from_iter(schemas).build();
    let tags = [
        ("auth", "Signing in and out, invites and registration"),
        ("me", "Who is asking, their contact details and audit trail"),
        ("admin", "Users, caseloads and the program (admins only)"),
        ("sync", "Push, pull and the event stream"),
        ("devices", "A person's signed-in devices, and where a device is woken"),
        ("accounts", "Passwords, reset codes and erasure"),
        ("meta", "The server itself"),
    ]
    .map(|(name, description)| TagBuilder::new().name(name).description(Some(description)).build());
    OpenApiBuilder::new().info(info).components(Some(components)).tags(Some(tags)).build()
}

/// The description as JSON, with the error answers (`failures`) that
/// operations refer to.
pub fn to_json(description: &OpenApi) -> Result<Value, serde_json::Error> {
    let mut document = serde_json::to_value(description)?;
    document["components"]["responses"] = failures::components();
    Ok(document)
}

/// The description of the running server's routes.
#[derive(Clone)]
pub struct Description(pub Arc<OpenApi>);

impl std::fmt::Debug for Description {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Description").field("paths", &self.0.paths.paths.len()).finish()
    }
}

/// This document.
#[utoipa::path(
    get, path = "/v1/openapi.json", tag = "meta", operation_id = "openapi",
    responses(
        (status = 200, description = "This description of the API, OpenAPI 3.1.", body = Object),
        InvalidRequest, Internal,
    ),
)]
pub async fn document(Extension(Description(description)): Extension<Description>) -> Result<Json<Value>, ApiError> {
    to_json(&description).map(Json).map_err(|e| ApiError::internal(format!("the API description did not serialize: {e}")))
}
