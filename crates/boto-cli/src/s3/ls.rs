//! `boto s3 ls`: buckets with no argument, one level of a prefix (`PRE dir/` lines and the
//! objects' names), or everything below it with `--recursive`; `--human-readable` and
//! `--summarize` as aws-cli prints them. A prefix that matches nothing exits 1.

use super::args::Options;
use super::listing::fatal;
use super::location::Location;
use super::units::{human_size, listing_time};
use crate::failure::{status, Failure};
use boto::{doc, Client, Document};
use std::io::{BufWriter, Write};

/// Runs `ls`.
pub async fn run(client: &Client, opts: &Options) -> Result<(), Failure> {
    let target = match opts.paths.as_slice() {
        [] => "s3://".to_string(),
        [one] => one.clone(),
        _ => {
            opts.expect_paths(1)?;
            unreachable!("more than one path is a usage error")
        }
    };
    let path = target.strip_prefix("s3://").unwrap_or(&target);
    let (bucket, key) = match Location::parse(&format!("s3://{path}")) {
        Location::S3 { bucket, key } => (bucket, key),
        _ => (String::new(), String::new()),
    };
    let mut out = BufWriter::with_capacity(64 << 10, std::io::stdout().lock());
    if bucket.is_empty() {
        return buckets(client, &mut out).await;
    }
    let mut input = doc! {"Bucket": bucket.as_str(), "Prefix": key.as_str()};
    if !opts.recursive {
        input.set("Delimiter", "/");
    }
    let mut pages = client
        .paginate("ListObjectsV2", input)
        .map_err(|e| fatal(e, "ListObjectsV2"))?;
    if let Some(n) = opts.page_size {
        pages = pages.page_size(n);
    }
    let (mut objects, mut bytes) = (0u64, 0u64);
    let mut first_empty = None;
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(|e| Failure::call(e, "ListObjectsV2"))?;
        let empty = page["Contents"].iter().next().is_none()
            && page["CommonPrefixes"].iter().next().is_none();
        first_empty.get_or_insert(empty);
        let written = print_page(&page, opts, &mut out, &mut objects, &mut bytes);
        if written.is_err() {
            // A closed pipe (`boto s3 ls ... | head`) ends the listing quietly.
            return Ok(());
        }
    }
    if opts.summarize {
        let size = if opts.human_readable {
            human_size(bytes)
        } else {
            bytes.to_string()
        };
        let _ = write!(
            out,
            "\n{:>15}{objects}\n{:>15}{size}\n",
            "Total Objects: ", "Total Size: "
        );
    }
    let _ = out.flush();
    if !key.is_empty() && first_empty.unwrap_or(true) {
        return Err(Failure::new(status::GENERIC, String::new()));
    }
    Ok(())
}

fn print_page(
    page: &Document,
    opts: &Options,
    out: &mut impl Write,
    objects: &mut u64,
    bytes: &mut u64,
) -> std::io::Result<()> {
    for p in page["CommonPrefixes"].iter() {
        let prefix = p["Prefix"].as_str().unwrap_or_default();
        let name = prefix
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        writeln!(out, "{:>30} {name}/", "PRE")?;
    }
    for o in page["Contents"].iter() {
        let key = o["Key"].as_str().unwrap_or_default();
        let name = if opts.recursive {
            key
        } else {
            key.rsplit('/').next().unwrap_or(key)
        };
        let size = u64::try_from(o["Size"].as_i64().unwrap_or(0)).unwrap_or(0);
        *objects += 1;
        *bytes += size;
        let size = if opts.human_readable {
            human_size(size)
        } else {
            size.to_string()
        };
        let time = o["LastModified"]
            .as_timestamp()
            .map(listing_time)
            .unwrap_or_default();
        writeln!(out, "{time:<19} {size:>10} {name}")?;
    }
    Ok(())
}

async fn buckets(client: &Client, out: &mut impl Write) -> Result<(), Failure> {
    let mut pages = client
        .paginate("ListBuckets", doc! {})
        .map_err(|e| Failure::call(e, "ListBuckets"))?;
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(|e| Failure::call(e, "ListBuckets"))?;
        for b in page["Buckets"].iter() {
            let time = b["CreationDate"]
                .as_timestamp()
                .map(listing_time)
                .unwrap_or_default();
            let name = b["Name"].as_str().unwrap_or_default();
            if writeln!(out, "{time:<19} {name}").is_err() {
                return Ok(());
            }
        }
    }
    let _ = out.flush();
    Ok(())
}
