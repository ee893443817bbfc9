//! The HTTP edge: the route table, request bodies, replies and the error body.

pub mod body;
pub mod context;
pub mod error;
pub mod origin;
pub mod reply;
pub mod routes;
