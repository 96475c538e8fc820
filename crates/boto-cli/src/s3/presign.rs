//! `boto s3 presign s3://B/K [--expires-in SECONDS]`: a GetObject URL (an hour by default).

use super::args::{usage, Options};
use super::location::Location;
use crate::failure::Failure;
use boto::{doc, Client};

/// Runs `presign`.
pub async fn run(client: &Client, opts: &Options) -> Result<(), Failure> {
    let [path] = opts.expect_paths(1)? else {
        unreachable!("expect_paths(1) returns one path")
    };
    let Location::S3 { bucket, key } = Location::parse(path) else {
        return Err(usage("<S3Uri>\nError: Invalid argument type"));
    };
    let expires = opts.expires_in.unwrap_or(3600);
    let url = client
        .generate_presigned_url(
            "GetObject",
            doc! {"Bucket": bucket.as_str(), "Key": key.as_str()},
            expires,
        )
        .await
        .map_err(|e| Failure::call(e, "GetObject"))?;
    println!("{url}");
    Ok(())
}
