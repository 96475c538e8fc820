//! The boto-rs face: Session, Client, Resource.
