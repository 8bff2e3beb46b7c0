//! What ships inside the core: crisis lines and the coping strategy library.

pub mod coping;
pub mod crisis;
mod seed;
