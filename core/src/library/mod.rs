//! What ships inside the core: crisis lines and the coping strategy library.

pub mod coping;
mod coping_es;
pub mod crisis;
mod localize;
pub(crate) mod seed;

pub use localize::StrategyLanguage;
pub use seed::builtin_strategy_id;
