//! Request signing. [`sigv4`] is AWS Signature Version 4 as a pure function: the caller passes the clock.
pub mod plan;
pub mod sigv4;
