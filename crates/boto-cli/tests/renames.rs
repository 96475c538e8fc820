//! aws-cli's argument renames and hidden aliases: the input each spelling builds, as
//! `--debug` shows it before the call.

mod support;
use support::boto_try;

/// The input `boto --debug ARGS` built (from its `cli: SERVICE OP input {...}` line).
fn input(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--debug"];
    all.extend_from_slice(args);
    let r = boto_try(&all);
    let line = r
        .stderr
        .lines()
        .find_map(|l| l.split_once(" input ").map(|(_, json)| json.to_string()))
        .unwrap_or_else(|| panic!("no input line: {r:?}"));
    serde_json::from_str(&line).unwrap()
}

#[test]
fn renamed_flags_set_their_members() {
    // `--version` would be the global option: aws-cli names it --kubernetes-version here.
    let got = input(&[
        "eks",
        "create-cluster",
        "--name",
        "c",
        "--role-arn",
        "arn:aws:iam::1:role/r",
        "--resources-vpc-config",
        "subnetIds=s-1",
        "--kubernetes-version",
        "1.31",
    ]);
    assert_eq!(got["version"], "1.31", "{got}");
    // A renamed negation: --reboot is --no-no-reboot.
    let got = input(&[
        "ec2",
        "create-image",
        "--instance-id",
        "i-1",
        "--name",
        "n",
        "--reboot",
    ]);
    assert_eq!(got["NoReboot"], false, "{got}");
    let got = input(&[
        "ec2",
        "create-image",
        "--instance-id",
        "i-1",
        "--name",
        "n",
        "--no-reboot",
    ]);
    assert_eq!(got["NoReboot"], true, "{got}");
    // A hidden alias of an older spelling.
    let got = input(&[
        "iam",
        "enable-mfa-device",
        "--user-name",
        "u",
        "--serial-number",
        "s",
        "--authentication-code-1",
        "111111",
        "--authentication-code2",
        "222222",
    ]);
    assert_eq!(
        (&got["AuthenticationCode1"], &got["AuthenticationCode2"]),
        (&"111111".into(), &"222222".into()),
        "{got}"
    );
}

#[test]
fn the_old_name_of_a_renamed_flag_is_unknown() {
    let r = boto_try(&[
        "eks",
        "create-cluster",
        "--name",
        "c",
        "--role-arn",
        "r",
        "--resources-vpc-config",
        "subnetIds=s-1",
        "--kubernetes-version",
        "1",
        "--no-such",
        "x",
    ]);
    assert_eq!(r.status, 252, "{r:?}");
    let r = boto_try(&["eks", "create-cluster", "help"]);
    assert!(r.stdout.contains("--kubernetes-version"), "{r:?}");
}
