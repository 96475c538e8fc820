//! Amazon Machine Learning's customizations.

mod predict_endpoint;

pub(super) use predict_endpoint::PredictEndpoint;
