//! The same `s3` commands through the pinned aws-cli (1.46.2) and through `boto`, on one moto
//! server, each in its own bucket and its own copy of the same local tree: the printed lines
//! (bucket names and listing times aside), the exit statuses and the resulting bucket contents
//! must match. One difference is deliberate: a usage error exits 252 as aws-cli documents it
//! (`aws help return-codes`) where aws-cli 1.x exits 255 (or 2 from argparse). aws-cli comes from `$HOME/.cache/boto-rs/awscli-venv` or `/tmp/awscli-venv`;
//! without it the test says so and skips.

mod s3_support;
use s3_support::*;
use std::path::Path;

const OLD: u64 = 1_600_000_000;

fn tree(dir: &Path) {
    for (rel, body) in [
        ("a.txt", "alpha"),
        ("src/one.txt", "one"),
        ("src/two.json", "{}"),
        ("src/sub/three.txt", "three!"),
        ("src/sub/skip.log", "log"),
    ] {
        put_file(dir, rel, body.as_bytes(), OLD);
    }
}

/// What a run printed with the bucket name and the listing times taken out, lines sorted.
fn normalized(r: &Run, bucket: &str) -> (i32, Vec<String>, Vec<String>) {
    let clean = |text: &str| -> Vec<String> {
        let mut lines: Vec<String> = text
            .replace('\r', "\n")
            .lines()
            .filter(|l| !l.starts_with("Completed "))
            .map(|l| {
                let l = l.replace(bucket, "BUCKET");
                let b = l.as_bytes();
                if l.len() >= 20 && b[4] == b'-' && b[13] == b':' {
                    format!("<time>{}", &l[19..])
                } else {
                    l
                }
            })
            .collect();
        lines.sort();
        lines
    };
    (r.status, clean(&r.stdout), clean(&r.stderr))
}

#[test]
fn s3_commands_match_aws_cli() {
    let Some(aws_bin) = awscli() else {
        eprintln!(
            "SKIPPED s3_commands_match_aws_cli: no aws-cli in $HOME/.cache/boto-rs/awscli-venv or \
             /tmp/awscli-venv (pip install awscli==1.46.2 into one)"
        );
        return;
    };
    let url = moto();
    let (ours, theirs) = (bucket(url, "diff-boto"), bucket(url, "diff-aws"));
    let (our_dir, their_dir) = (workdir("diff-boto"), workdir("diff-aws"));
    tree(&our_dir);
    tree(&their_dir);
    let steps: Vec<Vec<String>> = [
        "cp a.txt s3://B/",
        "cp a.txt s3://B/renamed.txt",
        "cp src s3://B/tree --recursive --exclude * --include *.txt",
        "cp src s3://B/tree2/ --recursive --exclude sub/*",
        "sync src s3://B/sync",
        "sync src s3://B/sync",
        "ls s3://B",
        "ls s3://B/tree/",
        "ls s3://B --recursive --summarize",
        "ls s3://B --recursive --human-readable --summarize",
        "ls s3://B/nothing",
        "cp s3://B/tree down --recursive",
        "cp s3://B/a.txt down/",
        "sync s3://B/sync down2",
        "sync s3://B/sync down2",
        "mv s3://B/a.txt s3://B/moved.txt",
        "cp s3://B/renamed.txt s3://B/copies/",
        "rm s3://B/tree --recursive --dryrun",
        "rm s3://B/tree2 --recursive",
        "sync src s3://B/sync --delete --exclude *.json --dryrun",
        "cp nope.txt s3://B/",
        "cp a.txt s3://B/ --no-such-option",
        "rm s3://B/moved.txt",
    ]
    .iter()
    .map(|s| s.split(' ').map(str::to_string).collect())
    .collect();
    for (i, step) in steps.iter().enumerate() {
        let args = |bucket: &str| -> Vec<String> {
            let mut a: Vec<String> = std::iter::once("s3".to_string())
                .chain(
                    step.iter()
                        .map(|s| s.replace("s3://B", &format!("s3://{bucket}"))),
                )
                .collect();
            if matches!(step[0].as_str(), "cp" | "mv" | "sync") {
                a.push("--no-progress".into());
            }
            a
        };
        let our_args = args(&ours);
        let their_args = args(&theirs);
        let our = boto(
            url,
            &our_dir,
            &our_args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let their = aws(
            &aws_bin,
            url,
            &their_dir,
            &their_args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let (os, oo, oe) = normalized(&our, &ours);
        let (ts, to, te) = normalized(&their, &theirs);
        let usage_difference = os == 252 && (ts == 255 || ts == 2);
        assert!(
            os == ts || usage_difference,
            "step {i} {step:?}: status\nboto: {our:?}\naws: {their:?}"
        );
        assert_eq!(
            oo, to,
            "step {i} {step:?}: stdout\nboto: {our:?}\naws: {their:?}"
        );
        // Transfer errors match whole; for a usage error, the line that says what is wrong
        // (aws-cli's usage text around it differs).
        if os == 0 || os == 1 {
            assert_eq!(
                oe, te,
                "step {i} {step:?}: stderr\nboto: {our:?}\naws: {their:?}"
            );
        } else {
            let last = |e: &[String]| e.iter().rfind(|l| !l.is_empty()).cloned();
            assert_eq!(last(&oe), last(&te), "step {i} {step:?}: error line");
        }
        assert_eq!(
            contents(url, &ours),
            contents(url, &theirs),
            "step {i} {step:?}: bucket contents"
        );
    }
    // The local trees the downloads made are the same too.
    for rel in [
        "down/one.txt",
        "down/sub/three.txt",
        "down/a.txt",
        "down2/two.json",
    ] {
        assert_eq!(
            std::fs::read(our_dir.join(rel)).ok(),
            std::fs::read(their_dir.join(rel)).ok(),
            "{rel}"
        );
    }
}
