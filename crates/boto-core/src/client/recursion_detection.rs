//! botocore's `add_recursion_detection_header`: a call made inside AWS Lambda carries the
//! invocation's trace id (`_X_AMZN_TRACE_ID`) as `X-Amzn-Trace-Id`, so that Lambda can see a
//! function that triggers itself in a loop. Read at every call, as the runtime changes it per
//! invocation; a header the caller set is kept.

use crate::config::Env;
use crate::protocol::SerializedRequest;

const HEADER: &str = "X-Amzn-Trace-Id";

/// Adds the header when running in Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) with a trace id.
pub(super) fn add(env: &Env, request: &mut SerializedRequest) {
    if !env.contains("AWS_LAMBDA_FUNCTION_NAME") {
        return;
    }
    let Some(trace_id) = env.get("_X_AMZN_TRACE_ID") else {
        return;
    };
    if request.get_header(HEADER).is_some() {
        return;
    }
    request.header(HEADER, quote(&trace_id));
}

/// Percent-encodes what a header value must not carry raw, keeping what trace ids are made of,
/// as botocore's `quote(trace_id, safe='-=;:+&[]{}"\',')`.
fn quote(value: &str) -> String {
    crate::encoding::percent_encode(value.as_bytes(), b"-=;:+&[]{}\"',")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SerializedRequest {
        SerializedRequest::default()
    }

    #[test]
    fn inside_lambda_the_trace_id_goes_out_encoded_as_botocore_encodes_it() {
        let env = Env::from_vars([
            ("AWS_LAMBDA_FUNCTION_NAME", "f"),
            (
                "_X_AMZN_TRACE_ID",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1 é/\n",
            ),
        ]);
        let mut r = request();
        add(&env, &mut r);
        assert_eq!(
            r.get_header("x-amzn-trace-id"),
            Some("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1%20%C3%A9%2F%0A")
        );
    }

    #[test]
    fn outside_lambda_or_without_a_trace_id_or_with_the_callers_header_nothing_changes() {
        for vars in [
            vec![("_X_AMZN_TRACE_ID", "Root=1")],
            vec![("AWS_LAMBDA_FUNCTION_NAME", "f")],
            vec![("AWS_LAMBDA_FUNCTION_NAME", "f"), ("_X_AMZN_TRACE_ID", "")],
        ] {
            let mut r = request();
            add(&Env::from_vars(vars.clone()), &mut r);
            assert!(r.headers.is_empty(), "{vars:?}");
        }
        let env = Env::from_vars([
            ("AWS_LAMBDA_FUNCTION_NAME", "f"),
            ("_X_AMZN_TRACE_ID", "new"),
        ]);
        let mut r = request();
        r.headers.push("x-amzn-trace-id", "mine");
        add(&env, &mut r);
        assert_eq!(
            r.headers,
            [("x-amzn-trace-id", "mine")].into_iter().collect()
        );
    }
}
