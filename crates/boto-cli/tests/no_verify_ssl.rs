//! `--no-verify-ssl` against a TLS loopback server whose certificate nobody signed:
//! `openssl s_server -WWW` serving a folder, so `GET /bucket/key` (a path-style GetObject)
//! answers the file.

mod support;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::{run, unique};

/// The server process, stopped when the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tls_server(dir: &std::path::Path) -> (Server, String) {
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .current_dir(dir)
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(made.success());
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("openssl")
        .args([
            "s_server", "-quiet", "-WWW", "-cert", "cert.pem", "-key", "key.pem",
        ])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (server, format!("https://127.0.0.1:{port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("openssl s_server did not start");
}

#[test]
fn no_verify_ssl_accepts_a_self_signed_certificate_and_warns() {
    let dir = std::env::temp_dir().join(unique("boto-tls"));
    std::fs::create_dir_all(dir.join("bucket")).unwrap();
    std::fs::write(dir.join("bucket/key"), "hello").unwrap();
    let (_server, url) = tls_server(&dir);
    let outfile = dir.join("downloaded");
    let outfile = outfile.to_str().unwrap();
    let get = [
        "s3api",
        "get-object",
        "--bucket",
        "bucket",
        "--key",
        "key",
        outfile,
    ];
    let mut args = vec!["--endpoint-url", url.as_str()];
    args.extend_from_slice(&get);
    let bin = env!("CARGO_BIN_EXE_boto");

    // Verified (the default): the handshake fails on the certificate.
    let r = run(bin, &args);
    assert_eq!(r.status, 255, "{r:?}");
    assert!(r.stderr.contains("certificate"), "{r:?}");

    args.push("--no-verify-ssl");
    let r = run(bin, &args);
    assert_eq!(r.status, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("InsecureRequestWarning: Unverified HTTPS request")
            && r.stderr.contains("'127.0.0.1'"),
        "{r:?}"
    );
    assert!(
        r.stdout.contains("\"ContentType\": \"text/plain\""),
        "{r:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
