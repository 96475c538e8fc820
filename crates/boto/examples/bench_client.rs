//! boto-rs side of the anchors benchmark in `../shared/bench` (its README's "Client contract"):
//!
//! ```text
//! bench_client small N SIZE        N PutObject of SIZE bytes, then N GetObject
//! bench_client put-large FILE KEY  PutObject with the body streamed from FILE
//! bench_client get-large KEY FILE  GetObject with the body streamed into FILE
//! bench_client get-large-managed KEY FILE
//!                                  download_file (the transfer manager: ranged GETs in parallel)
//! bench_client small-concurrent N SIZE C
//!                                  N GetObject of small/NNNNN (written by `small`), C in flight
//!                                  from one client
//! bench_client seed-list N         create N empty objects list/NNNNN (setup, 32 in flight)
//! bench_client list PREFIX         ListObjectsV2, full pagination
//! bench_client client N            construct session + client N times
//! bench_client startup             one client, one HeadBucket (timed from outside)
//! ```
//!
//! Each phase prints one JSON line with its wall time, this process's CPU time over all threads
//! (summed from `/proc/self/task/*/schedstat`, nanosecond counters) and peak RSS (`VmHWM`).
//! Environment: S3_ENDPOINT, BENCH_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and
//! BENCH_TOKIO=current_thread for a current-thread runtime. Build with
//! `cargo build --release -p boto --example bench_client`; the bench line is
//! `boto-rs  $BENCH_TMP/target/release/examples/bench_client`.

use boto::{doc, ByteStream, Client, Credentials, Session};
use std::time::Instant;

fn env(k: &str, d: &str) -> String {
    std::env::var(k).unwrap_or_else(|_| d.to_string())
}

/// CPU seconds of every live thread of this process, and peak RSS in KiB.
fn usage() -> (f64, u64) {
    let mut ns = 0u64;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            let stat = std::fs::read_to_string(t.path().join("schedstat")).unwrap_or_default();
            ns += stat
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap_or("0 kB");
    (
        ns as f64 / 1e9,
        hwm.trim().trim_end_matches(" kB").parse().unwrap_or(0),
    )
}

struct Phase(Instant, f64);

impl Phase {
    fn start() -> Self {
        Phase(Instant::now(), usage().0)
    }

    fn report(self, workload: &str, ops: u64, bytes: u64, extra: &str) {
        let wall = self.0.elapsed().as_secs_f64();
        let (cpu, maxrss) = usage();
        println!(
            "{{\"client\":\"boto-rs\",\"workload\":\"{workload}\",\"ops\":{ops},\"bytes\":{bytes},\
             \"wall_s\":{wall:.6},\"cpu_s\":{:.6},\"maxrss_kb\":{maxrss}{extra}}}",
            cpu - self.1
        );
    }
}

fn make_client() -> Result<Client, boto::Error> {
    let session = Session::builder()
        .region_name("us-east-1")
        .endpoint_url(env("S3_ENDPOINT", "http://127.0.0.1:8014"))
        .credentials(Credentials::from_keys(
            env("AWS_ACCESS_KEY_ID", "anchors"),
            env("AWS_SECRET_ACCESS_KEY", "anchors-secret"),
            None,
        ))
        .build()?;
    session.client("s3")
}

type R = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn main() -> R {
    let mut rt = match std::env::var("BENCH_TOKIO").as_deref() {
        Ok("current_thread") => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    rt.enable_all().build()?.block_on(run())
}

async fn run() -> R {
    let args: Vec<String> = std::env::args().collect();
    let bucket = env("BENCH_BUCKET", "anchors");
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(1).as_str() {
        "small" => {
            let (n, size): (u64, usize) = (arg(2).parse()?, arg(3).parse()?);
            let s3 = make_client()?;
            let data = bytes::Bytes::from(vec![b'x'; size]);
            let p = Phase::start();
            for i in 0..n {
                let input =
                    doc! {"Bucket": &bucket, "Key": format!("small/{i:05}"), "Body": data.clone()};
                s3.call("PutObject", input).await?;
            }
            p.report("small-put", n, n * size as u64, "");
            let p = Phase::start();
            let mut got = 0u64;
            for i in 0..n {
                let out = s3
                    .invoke(
                        "GetObject",
                        doc! {"Bucket": &bucket, "Key": format!("small/{i:05}")},
                        None,
                    )
                    .await?;
                got += out.body.ok_or("no body")?.collect().await?.len() as u64;
            }
            if got != n * size as u64 {
                return Err(format!("read {got} bytes, expected {}", n * size as u64).into());
            }
            p.report("small-get", n, got, "");
        }
        "put-large" => {
            let s3 = make_client()?;
            let p = Phase::start();
            let body = ByteStream::from_path(arg(2)).await?;
            let bytes = body.content_length().unwrap_or(0);
            s3.invoke(
                "PutObject",
                doc! {"Bucket": &bucket, "Key": arg(3)},
                Some(body),
            )
            .await?;
            p.report("large-put", 1, bytes, "");
        }
        "get-large" => {
            let s3 = make_client()?;
            let p = Phase::start();
            let out = s3
                .invoke("GetObject", doc! {"Bucket": &bucket, "Key": arg(2)}, None)
                .await?;
            let bytes = out.body.ok_or("no body")?.into_file(arg(3)).await?;
            p.report("large-get", 1, bytes, "");
        }
        "get-large-managed" => {
            // Beyond the contract: boto3's own `download_file` is the transfer manager, so this
            // is the row to hold against aws-sdk-rust's single stream (`get-large`).
            let s3 = make_client()?;
            let p = Phase::start();
            let bytes = s3.download_file(&bucket, &arg(2), arg(3)).await?;
            p.report("large-get-managed", 1, bytes, "");
        }
        "small-concurrent" => {
            // Beyond the contract: C GETs in flight on one client (its pool), `ops` requests in
            // all; reads the keys `small N SIZE` wrote.
            let (n, size, c): (u64, u64, u64) = (arg(2).parse()?, arg(3).parse()?, arg(4).parse()?);
            let s3 = make_client()?;
            let p = Phase::start();
            let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..c {
                let (s3, b, next) = (s3.clone(), bucket.clone(), next.clone());
                tasks.spawn(async move {
                    let mut got = 0u64;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= n {
                            return Ok::<u64, boto::Error>(got);
                        }
                        let key = format!("small/{i:05}");
                        let out = s3
                            .invoke("GetObject", doc! {"Bucket": &b, "Key": key}, None)
                            .await?;
                        if let Some(body) = out.body {
                            got += body.collect().await?.len() as u64;
                        }
                    }
                });
            }
            let mut got = 0u64;
            while let Some(r) = tasks.join_next().await {
                got += r??;
            }
            if got != n * size {
                return Err(format!("read {got} bytes, expected {}", n * size).into());
            }
            p.report(
                "small-get-concurrent",
                n,
                got,
                &format!(",\"in_flight\":{c}"),
            );
        }
        "seed-list" => {
            let n: usize = arg(2).parse()?;
            let s3 = make_client()?;
            let p = Phase::start();
            let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
            let mut tasks = tokio::task::JoinSet::new();
            for i in 0..n {
                let (s3, b, permit) = (
                    s3.clone(),
                    bucket.clone(),
                    sem.clone().acquire_owned().await?,
                );
                tasks.spawn(async move {
                    let r = s3
                        .call(
                            "PutObject",
                            doc! {"Bucket": b, "Key": format!("list/{i:05}"), "Body": ""},
                        )
                        .await;
                    drop(permit);
                    r.map(|_| ())
                });
            }
            while let Some(r) = tasks.join_next().await {
                r??;
            }
            p.report("seed-list", n as u64, 0, "");
        }
        "list" => {
            let s3 = make_client()?;
            let p = Phase::start();
            let mut pages =
                s3.paginate("ListObjectsV2", doc! {"Bucket": &bucket, "Prefix": arg(2)})?;
            let (mut keys, mut n_pages) = (0u64, 0u64);
            while let Some(page) = pages.next_page().await {
                keys += page?["Contents"].iter().count() as u64;
                n_pages += 1;
            }
            p.report("list", n_pages, 0, &format!(",\"keys\":{keys}"));
        }
        "client" => {
            let n: usize = arg(2).parse()?;
            let mut times = Vec::with_capacity(n);
            let p = Phase::start();
            for _ in 0..n {
                let t = Instant::now();
                let c = make_client()?;
                times.push(t.elapsed().as_secs_f64());
                std::hint::black_box(c);
            }
            let first = times.first().copied().unwrap_or_default();
            let mut rest = if n > 1 {
                times[1..].to_vec()
            } else {
                times.clone()
            };
            rest.sort_by(f64::total_cmp);
            let median = rest.get(rest.len() / 2).copied().unwrap_or_default();
            let t = Instant::now();
            make_client()?
                .call("HeadBucket", doc! {"Bucket": &bucket})
                .await?;
            let first_req = t.elapsed().as_secs_f64();
            p.report(
                "client",
                n as u64,
                0,
                &format!(
                    ",\"first_s\":{first:.6},\"median_rest_s\":{median:.6},\"new_client_plus_first_request_s\":{first_req:.6}"
                ),
            );
        }
        "startup" => {
            let p = Phase::start();
            make_client()?
                .call("HeadBucket", doc! {"Bucket": &bucket})
                .await?;
            p.report("startup", 1, 0, "");
        }
        other => return Err(format!("unknown workload {other:?}").into()),
    }
    Ok(())
}
