//! Pushes for different participants do not wait on each other, so two of
//! them can race to create the same record id. Whoever commits second is
//! told `participant_mismatch`, as if they had come later; never a server
//! error, and the record stays the first one's.

use alongside_harness::wire::{goal, new_id};
use alongside_harness::{Backend, Server, TestResult, fail, on_every_backend};
use alongside_server::store::Role;

use serde_json::Value;

on_every_backend!(two_participants_creating_one_record_id_at_once);

async fn two_participants_creating_one_record_id_at_once(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let rosa = server.add_user("rosa", Role::Participant).await?;
    let ana = server.add_user("ana", Role::Participant).await?;
    let (rosa_token, ana_token) = (server.token("rosa").await?, server.token("ana").await?);
    for round in 0..25 {
        let record_id = new_id();
        let with_id = |participant: &str, title: &str| -> Value {
            let mut change = goal(participant, &alongside_harness::wire::hlc(-1000, round, "r"), title);
            change["record_id"] = Value::from(record_id.as_str());
            change
        };
        let (rosa_batch, ana_batch) = ([with_id(&rosa, "Rosa's")], [with_id(&ana, "Ana's")]);
        let (first, second) = tokio::join!(server.push(&rosa_token, &rosa_batch), server.push(&ana_token, &ana_batch));
        let mut outcomes = Vec::new();
        for (status, body) in [first?, second?] {
            if !status.is_success() {
                return Err(fail(format!("round {round}: {status} {body}")));
            }
            let result = &body["results"][0];
            outcomes.push(format!("{} {}", result["status"].as_str().unwrap_or("?"), result["error"]["code"].as_str().unwrap_or("")));
        }
        outcomes.sort();
        if outcomes != ["applied ", "rejected participant_mismatch"] {
            return Err(fail(format!("round {round}: one applied and one refused as participant_mismatch, got {outcomes:?}")));
        }
    }
    server.stop().await
}
