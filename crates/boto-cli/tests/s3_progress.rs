//! Progress: on a terminal a transfer draws its bar and a total line (bytes, rate, files left)
//! on stderr and erases it before it prints its result; `--no-progress`, or output that is not
//! a terminal, draws nothing.

mod s3_support;
use s3_support::*;

#[test]
fn a_terminal_shows_bars_and_a_pipe_does_not() {
    let url = moto();
    let b = bucket(url, "progress");
    let dir = workdir("progress");
    let body: Vec<u8> = (0..48u32 << 20).map(|i| (i % 253) as u8).collect();
    put_file(&dir, "big.bin", &body, 1_600_000_000);
    let dst = format!("s3://{b}/big.bin");
    let Some(shown) = boto_on_terminal(url, &dir, &["s3", "cp", "big.bin", &dst]) else {
        eprintln!("SKIPPED a_terminal_shows_bars_and_a_pipe_does_not: no `script` command");
        return;
    };
    assert_eq!(shown.status, 0, "{shown:?}");
    let screen = shown.stdout;
    assert!(screen.contains("Completed "), "{screen}");
    assert!(screen.contains("file(s) remaining"), "{screen}");
    assert!(screen.contains("[#") || screen.contains("[-"), "{screen}");
    assert!(
        screen.contains(&format!("upload: ./big.bin to {dst}")),
        "{screen}"
    );
    // The drawing is erased (cursor up, clear) before the result line.
    assert!(screen.contains("\x1b[J"), "{screen:?}");

    let quiet =
        boto_on_terminal(url, &dir, &["s3", "cp", "big.bin", &dst, "--no-progress"]).unwrap();
    assert!(!quiet.stdout.contains("Completed "), "{quiet:?}");
    assert!(quiet.stdout.contains("upload: ./big.bin"), "{quiet:?}");

    let piped = boto_ok(url, &dir, &["s3", "cp", "big.bin", &dst]);
    assert!(
        !piped.stderr.contains("Completed ") && !piped.stdout.contains("Completed "),
        "{piped:?}"
    );
}
