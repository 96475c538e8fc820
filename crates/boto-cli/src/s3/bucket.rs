//! `boto s3 mb` and `boto s3 rb [--force]`, printing `make_bucket: B` / `remove_bucket: B` or
//! aws-cli's `... failed: s3://B <error>` and exiting 1.

use super::args::{usage, Options};
use super::location::Location;
use super::progress::Console;
use crate::failure::{status, Failure};
use boto::{doc, Client};

fn bucket_of(opts: &Options) -> Result<(String, String, String), Failure> {
    let [path] = opts.expect_paths(1)? else {
        unreachable!("expect_paths(1) returns one path")
    };
    match Location::parse(path) {
        Location::S3 { bucket, key } if !bucket.is_empty() => Ok((path.clone(), bucket, key)),
        _ => Err(usage("<S3Uri>\nError: Invalid argument type")),
    }
}

/// Runs `mb`: CreateBucket, with the client's region as LocationConstraint outside us-east-1.
pub async fn make(client: &Client, opts: &Options) -> Result<(), Failure> {
    let (path, bucket, _) = bucket_of(opts)?;
    let mut input = doc! {"Bucket": bucket.as_str()};
    if let Some(region) = client.region().filter(|r| *r != "us-east-1") {
        input.set(
            "CreateBucketConfiguration",
            doc! {"LocationConstraint": region},
        );
    }
    match client.call("CreateBucket", input).await {
        Ok(_) => {
            println!("make_bucket: {bucket}");
            Ok(())
        }
        Err(e) => Err(failed("make_bucket", &path, e, "CreateBucket")),
    }
}

/// Runs `rb`: with `--force`, `rm --recursive` first (and no DeleteBucket if that failed).
pub async fn remove(
    client: &Client,
    opts: &Options,
    console: std::sync::Arc<Console>,
) -> Result<(), Failure> {
    let (path, bucket, key) = bucket_of(opts)?;
    if !key.is_empty() {
        return Err(Failure::param(format!(
            "Please specify a valid bucket name only. E.g. s3://{bucket}"
        )));
    }
    if opts.force {
        let rm = Options {
            paths: vec![path.clone()],
            recursive: true,
            ..Options::default()
        };
        if super::rm::run(client, &rm, console).await.is_err() {
            return Err(Failure::new(
                status::GENERIC,
                "remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted.",
            ));
        }
    }
    match client
        .call("DeleteBucket", doc! {"Bucket": bucket.as_str()})
        .await
    {
        Ok(_) => {
            println!("remove_bucket: {bucket}");
            Ok(())
        }
        Err(e) => Err(failed("remove_bucket", &path, e, "DeleteBucket")),
    }
}

/// aws-cli prints these on stderr itself (no blank line before them) and exits 1.
fn failed(what: &str, path: &str, error: boto::Error, operation: &str) -> Failure {
    let message = Failure::call(error, operation).message;
    eprintln!("{what} failed: {path} {message}");
    Failure::new(status::GENERIC, String::new())
}
