//! Steps a person takes that touch several records at once, each committed
//! as one transaction.

mod care;
mod goals;
pub mod messages;
mod recovery;
