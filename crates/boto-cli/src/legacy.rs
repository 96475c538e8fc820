//! The commands boto had before the model-driven ones: `boto call SERVICE OP [JSON]` (input as
//! one JSON document, operation in any spelling) and the high-level `boto s3 ls/cp/rm/presign`.

use boto::blocking::{Client, Session};
use boto::{doc, Document};

/// Usage of these commands.
pub const USAGE: &str = "usage: boto [--region R] [--profile P] [--endpoint-url URL] COMMAND
  call SERVICE OPERATION [JSON]
  s3 ls [s3://BUCKET[/PREFIX]]
  s3 cp SRC DST            (one of them s3://BUCKET/KEY, the other a local path)
  s3 rm s3://BUCKET/KEY
  s3 presign s3://BUCKET/KEY [--expires-in SECONDS]";

/// `s3://bucket/key` split into bucket and key (the key may be empty).
fn s3_url(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    (!bucket.is_empty()).then(|| (bucket.to_string(), key.to_string()))
}

pub fn call(session: &Session, args: &[String]) -> Result<(), String> {
    let [service, operation, input @ ..] = args else {
        return Err(USAGE.to_string());
    };
    if input.len() > 1 {
        return Err(USAGE.to_string());
    }
    let input = match input.first() {
        Some(text) => {
            Document::from_json(text).map_err(|e| format!("the input is not JSON: {e}"))?
        }
        None => Document::map(),
    };
    let client = session.client(service).map_err(|e| e.to_string())?;
    let mut output = client.call(operation, input).map_err(|e| e.to_string())?;
    output.remove("ResponseMetadata");
    println!("{output:#}");
    Ok(())
}

fn ls(s3: &Client, target: Option<&String>) -> Result<(), String> {
    let Some(target) = target else {
        let out = s3.call("ListBuckets", doc! {}).map_err(|e| e.to_string())?;
        for b in out["Buckets"].iter() {
            let date = b["CreationDate"]
                .as_timestamp()
                .map(|t| t.to_iso8601())
                .unwrap_or_default();
            println!("{date}  {}", b["Name"].as_str().unwrap_or_default());
        }
        return Ok(());
    };
    let (bucket, prefix) =
        s3_url(target).ok_or_else(|| format!("{target:?} is not s3://BUCKET[/PREFIX]"))?;
    let pages = s3
        .paginate(
            "ListObjectsV2",
            doc! {"Bucket": bucket, "Prefix": prefix, "Delimiter": "/"},
        )
        .map_err(|e| e.to_string())?;
    for page in pages {
        let page = page.map_err(|e| e.to_string())?;
        for p in page["CommonPrefixes"].iter() {
            println!(
                "{:>30}  PRE {}",
                "",
                p["Prefix"].as_str().unwrap_or_default()
            );
        }
        for o in page["Contents"].iter() {
            let date = o["LastModified"]
                .as_timestamp()
                .map(|t| t.to_iso8601())
                .unwrap_or_default();
            let size = o["Size"].as_i64().unwrap_or_default();
            println!(
                "{date} {size:>10}  {}",
                o["Key"].as_str().unwrap_or_default()
            );
        }
    }
    Ok(())
}

fn cp(s3: &Client, src: &str, dst: &str) -> Result<(), String> {
    match (s3_url(src), s3_url(dst)) {
        (None, Some((bucket, mut key))) => {
            if key.is_empty() || key.ends_with('/') {
                let name = std::path::Path::new(src)
                    .file_name()
                    .ok_or("the source has no file name")?;
                key.push_str(&name.to_string_lossy());
            }
            s3.upload_file(src, &bucket, &key)
                .map_err(|e| e.to_string())?;
            println!("upload: {src} to s3://{bucket}/{key}");
        }
        (Some((bucket, key)), None) if !key.is_empty() => {
            let n = s3
                .download_file(&bucket, &key, dst)
                .map_err(|e| e.to_string())?;
            println!("download: s3://{bucket}/{key} to {dst} ({n} bytes)");
        }
        _ => return Err("cp copies between a local file and s3://BUCKET/KEY".into()),
    }
    Ok(())
}

pub fn s3(session: &Session, args: &[String]) -> Result<(), String> {
    let s3 = session.client("s3").map_err(|e| e.to_string())?;
    match args {
        [cmd, rest @ ..] if cmd == "ls" && rest.len() <= 1 => ls(&s3, rest.first()),
        [cmd, src, dst] if cmd == "cp" => cp(&s3, src, dst),
        [cmd, target] if cmd == "rm" => {
            let (bucket, key) = s3_url(target)
                .filter(|(_, k)| !k.is_empty())
                .ok_or("rm takes s3://BUCKET/KEY")?;
            s3.call("DeleteObject", doc! {"Bucket": &bucket, "Key": &key})
                .map_err(|e| e.to_string())?;
            println!("delete: s3://{bucket}/{key}");
            Ok(())
        }
        [cmd, target, rest @ ..] if cmd == "presign" => {
            let expires = match rest {
                [] => 3600,
                [flag, secs] if flag == "--expires-in" => secs
                    .parse()
                    .map_err(|_| format!("{secs:?} is not a number of seconds"))?,
                _ => return Err(USAGE.to_string()),
            };
            let (bucket, key) = s3_url(target)
                .filter(|(_, k)| !k.is_empty())
                .ok_or("presign takes s3://BUCKET/KEY")?;
            let url = s3
                .generate_presigned_url("GetObject", doc! {"Bucket": bucket, "Key": key}, expires)
                .map_err(|e| e.to_string())?;
            println!("{url}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}
