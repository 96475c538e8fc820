//! botocore's per-service handlers that change what goes over the wire, as boto-rs's declared
//! customizations: each call runs through boto-rs and the pinned boto3 on one moto server and
//! the answers are compared; what moto does not model is checked on the request boto-rs builds,
//! or on a scripted loopback server. Built with `--features full` (see scripts/test.sh).
#![cfg(all(
    feature = "iam",
    feature = "ec2",
    feature = "route53",
    feature = "apigateway",
    feature = "glacier",
    feature = "cloudformation",
    feature = "cloudsearchdomain",
    feature = "dynamodb",
    feature = "ebs",
    feature = "logs",
    feature = "machinelearning",
    feature = "sso-oidc"
))]

mod support;

use boto::{doc, Document};
use std::process::Command;
use support::{moto_url, scripted_server, session, session_at, unique};

/// Runs `body` (Python, with `c(service)` making a boto3 client on moto) through the pinned
/// boto3 and returns what it printed with `out(value)`, as JSON.
fn boto3(body: &str) -> serde_json::Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let script = format!(
        "import boto3, json, base64, hashlib, os\n\
         from botocore.utils import calculate_tree_hash\n\
         def c(name):\n    return boto3.client(name, region_name='us-east-1', endpoint_url=os.environ['MOTO_URL'], aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         def out(v):\n    print(json.dumps(v, default=str))\n\
         {body}\n"
    );
    let output = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(&script)
        .env("MOTO_URL", moto_url())
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the venv's python runs (run scripts/setup-test-env.sh first)");
    assert!(
        output.status.success(),
        "boto3 failed: {}\n{script}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("boto3 printed JSON")
}

fn json(doc: &Document) -> serde_json::Value {
    serde_json::from_str(&doc.to_json()).unwrap()
}

#[tokio::test]
async fn iam_policy_documents_come_back_parsed_as_boto3_returns_them() {
    let iam = session("us-east-1").client("iam").unwrap();
    let (role, policy) = (unique("role"), unique("policy"));
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let access = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    iam.call(
        "CreateRole",
        doc! {"RoleName": &role, "AssumeRolePolicyDocument": trust},
    )
    .await
    .unwrap();
    iam.call(
        "PutRolePolicy",
        doc! {"RoleName": &role, "PolicyName": "inline", "PolicyDocument": access},
    )
    .await
    .unwrap();
    let created = iam
        .call(
            "CreatePolicy",
            doc! {"PolicyName": &policy, "PolicyDocument": access},
        )
        .await
        .unwrap();
    let arn = created["Policy"]["Arn"].as_str().unwrap().to_string();

    let got_role = iam.call("GetRole", doc! {"RoleName": &role}).await.unwrap();
    let inline = iam
        .call(
            "GetRolePolicy",
            doc! {"RoleName": &role, "PolicyName": "inline"},
        )
        .await
        .unwrap();
    let version = iam
        .call(
            "GetPolicyVersion",
            doc! {"PolicyArn": &arn, "VersionId": "v1"},
        )
        .await
        .unwrap();
    let ours = serde_json::json!([
        json(&got_role["Role"]["AssumeRolePolicyDocument"]),
        json(&inline["PolicyDocument"]),
        json(&version["PolicyVersion"]["Document"]),
    ]);
    let theirs = boto3(&format!(
        "i = c('iam')\n\
         out([i.get_role(RoleName='{role}')['Role']['AssumeRolePolicyDocument'],\n\
              i.get_role_policy(RoleName='{role}', PolicyName='inline')['PolicyDocument'],\n\
              i.get_policy_version(PolicyArn='{arn}', VersionId='v1')['PolicyVersion']['Document']])"
    ));
    assert_eq!(ours, theirs);
    assert_eq!(
        got_role["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"].as_str(),
        Some("sts:AssumeRole"),
        "a document, not text: {}",
        got_role["Role"]["AssumeRolePolicyDocument"]
    );
}

#[tokio::test]
async fn ec2_user_data_is_sent_base64_encoded_as_boto3_sends_it() {
    let ec2 = session("us-east-1").client("ec2").unwrap();
    let script = "#!/bin/sh\necho hello from boto-rs\n";
    let run = ec2
        .call(
            "RunInstances",
            doc! {"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1, "UserData": script},
        )
        .await
        .unwrap();
    let id = run["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_string();
    let attr = ec2
        .call(
            "DescribeInstanceAttribute",
            doc! {"InstanceId": &id, "Attribute": "userData"},
        )
        .await
        .unwrap();
    let ours = attr["UserData"]["Value"].as_str().unwrap().to_string();
    let theirs = boto3(&format!(
        "e = c('ec2')\n\
         i = e.run_instances(ImageId='ami-12c6146b', MinCount=1, MaxCount=1, UserData={script:?})['Instances'][0]['InstanceId']\n\
         out(e.describe_instance_attribute(InstanceId=i, Attribute='userData')['UserData']['Value'])"
    ));
    assert_eq!(serde_json::Value::String(ours.clone()), theirs);
    let decoded = boto_core::encoding::base64_decode(&ours).unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), script);

    // Bytes are encoded too, as botocore encodes them.
    let run = ec2
        .call(
            "RunInstances",
            doc! {"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1,
            "UserData": Document::Blob(b"\x00\x01binary".to_vec().into())},
        )
        .await
        .unwrap();
    let id = run["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_string();
    let attr = ec2
        .call(
            "DescribeInstanceAttribute",
            doc! {"InstanceId": &id, "Attribute": "userData"},
        )
        .await
        .unwrap();
    let value = attr["UserData"]["Value"].as_str().unwrap();
    assert_eq!(
        boto_core::encoding::base64_decode(value).unwrap(),
        b"\x00\x01binary"
    );
}

#[tokio::test]
async fn ec2_console_output_is_decoded_as_boto3_decodes_it() {
    let ec2 = session("us-east-1").client("ec2").unwrap();
    let run = ec2
        .call(
            "RunInstances",
            doc! {"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1},
        )
        .await
        .unwrap();
    let id = run["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_string();
    let ours = ec2
        .call("GetConsoleOutput", doc! {"InstanceId": &id})
        .await
        .unwrap();
    let theirs = boto3(&format!(
        "out(c('ec2').get_console_output(InstanceId='{id}')['Output'])"
    ));
    assert_eq!(json(&ours["Output"]), theirs);
    assert!(
        boto_core::encoding::base64_decode(ours["Output"].as_str().unwrap()).is_err()
            || ours["Output"].as_str().unwrap().contains(' '),
        "decoded text, not base64: {}",
        ours["Output"]
    );
}

#[tokio::test]
async fn route53_ids_from_one_answer_are_taken_by_the_next_call() {
    let r53 = session("us-east-1").client("route53").unwrap();
    let created = r53
        .call(
            "CreateHostedZone",
            doc! {"Name": format!("{}.example.com", unique("zone")), "CallerReference": unique("ref")},
        )
        .await
        .unwrap();
    let full_id = created["HostedZone"]["Id"].as_str().unwrap().to_string();
    assert!(full_id.starts_with("/hostedzone/"), "{full_id}");
    let bare = full_id.trim_start_matches("/hostedzone/");

    let req = r53
        .build_request("GetHostedZone", doc! {"Id": &full_id})
        .await
        .unwrap();
    assert!(
        req.url.ends_with(&format!("/2013-04-01/hostedzone/{bare}")),
        "{}",
        req.url
    );
    let change = created["ChangeInfo"]["Id"].as_str().unwrap().to_string();
    let req = r53
        .build_request("GetChange", doc! {"Id": &change})
        .await
        .unwrap();
    assert!(
        req.url.ends_with(&format!(
            "/2013-04-01/change/{}",
            change.rsplit('/').next().unwrap()
        )),
        "{}",
        req.url
    );
    // A traffic policy's Id is another shape: it is left alone.
    let req = r53
        .build_request("GetTrafficPolicy", doc! {"Id": "a/b", "Version": 1})
        .await
        .unwrap();
    assert!(req.url.contains("/trafficpolicy/a%2Fb/1"), "{}", req.url);

    let got = r53
        .call("GetHostedZone", doc! {"Id": &full_id})
        .await
        .unwrap();
    let theirs = boto3(&format!(
        "out(c('route53').get_hosted_zone(Id='{full_id}')['HostedZone']['Id'])"
    ));
    assert_eq!(json(&got["HostedZone"]["Id"]), theirs);
}

#[tokio::test]
async fn apigateway_asks_for_plain_json() {
    let apigw = session("us-east-1").client("apigateway").unwrap();
    let req = apigw.build_request("GetRestApis", doc! {}).await.unwrap();
    assert_eq!(req.header("accept"), Some("application/json"));
    let created = apigw
        .call("CreateRestApi", doc! {"name": unique("api")})
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let ours = apigw
        .call("GetRestApi", doc! {"restApiId": &id})
        .await
        .unwrap();
    let theirs = boto3(&format!(
        "out(c('apigateway').get_rest_api(restApiId='{id}')['name'])"
    ));
    assert_eq!(json(&ours["name"]), theirs);
}

#[tokio::test]
async fn glacier_fills_in_the_account_version_and_checksums_as_boto3_does() {
    let glacier = session("us-east-1").client("glacier").unwrap();
    let sizes = [0usize, 1 << 20, (1 << 20) + 1, 5 << 20];
    let mut ours = Vec::new();
    for size in sizes {
        let body: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let req = glacier
            .build_request(
                "UploadArchive",
                doc! {"vaultName": "v", "body": Document::Blob(body.into())},
            )
            .await
            .unwrap();
        assert!(req.url.ends_with("/-/vaults/v/archives"), "{}", req.url);
        assert_eq!(req.header("x-amz-glacier-version"), Some("2012-06-01"));
        ours.push(serde_json::json!([
            req.header("x-amz-sha256-tree-hash"),
            req.header("x-amz-content-sha256"),
        ]));
    }
    let theirs = boto3(&format!(
        "import io\n\
         res = []\n\
         for size in {sizes:?}:\n    b = bytes(i % 251 for i in range(size))\n    res.append([calculate_tree_hash(io.BytesIO(b)), hashlib.sha256(b).hexdigest()])\n\
         out(res)"
    ));
    assert_eq!(serde_json::Value::Array(ours), theirs);

    // The caller's own tree hash (the `checksum` member) is kept.
    let req = glacier
        .build_request(
            "UploadArchive",
            doc! {"vaultName": "v", "checksum": "abc", "body": Document::Blob(b"x".to_vec().into())},
        )
        .await
        .unwrap();
    assert_eq!(req.header("x-amz-sha256-tree-hash"), Some("abc"));

    // And on moto: a vault made without an account id is listed by boto3 with `-`.
    let vault = unique("vault");
    glacier
        .call("CreateVault", doc! {"vaultName": &vault})
        .await
        .unwrap();
    let up = glacier
        .call(
            "UploadArchive",
            doc! {"vaultName": &vault, "body": Document::Blob(vec![7u8; 3 << 20].into())},
        )
        .await
        .unwrap();
    let theirs = boto3(&format!(
        "import io\n\
         out(c('glacier').describe_vault(accountId='-', vaultName='{vault}')['VaultName'])"
    ));
    assert_eq!(serde_json::Value::String(vault), theirs);
    assert!(up["archiveId"].as_str().is_some(), "{up}");
}

#[tokio::test]
async fn cloudformation_json_templates_come_back_parsed_as_boto3_returns_them() {
    let cfn = session("us-east-1").client("cloudformation").unwrap();
    let stack = unique("stack");
    let template = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;
    cfn.call(
        "CreateStack",
        doc! {"StackName": &stack, "TemplateBody": template},
    )
    .await
    .unwrap();
    let ours = cfn
        .call("GetTemplate", doc! {"StackName": &stack})
        .await
        .unwrap();
    let theirs = boto3(&format!(
        "out(c('cloudformation').get_template(StackName='{stack}')['TemplateBody'])"
    ));
    assert_eq!(json(&ours["TemplateBody"]), theirs);
    assert_eq!(
        ours["TemplateBody"]["Resources"]["Q"]["Type"].as_str(),
        Some("AWS::SQS::Queue")
    );
}

#[tokio::test]
async fn cloudsearchdomain_search_is_posted_as_a_form() {
    let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    let (url, seen) = scripted_server(vec![ok.to_string()]);
    let domain = session_at(&url, "us-east-1")
        .client("cloudsearchdomain")
        .unwrap();
    domain
        .call("Search", doc! {"query": "star wars", "size": 5})
        .await
        .unwrap();
    let head = seen.join().unwrap().remove(0);
    assert!(
        head.starts_with("POST /2013-01-01/search HTTP/1.1"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{head}"
    );
}

fn dynamodb_answer(crc: u32) -> String {
    let body = r#"{"TableNames":[]}"#;
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amz-crc32: {crc}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn dynamodb_crc32_mismatch_is_retried_then_an_error() {
    let good = 1315925753; // zlib.crc32(b'{"TableNames":[]}')
                           // Damaged once, then intact: the retry succeeds.
    let (url, seen) = scripted_server(vec![dynamodb_answer(good ^ 1), dynamodb_answer(good)]);
    let ddb = session_at(&url, "us-east-1").client("dynamodb").unwrap();
    let out = ddb.call("ListTables", doc! {}).await.unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"].as_i64(), Some(1));
    assert_eq!(seen.join().unwrap().len(), 2);

    // Damaged every time: an error once the attempts are spent.
    let (url, seen) = scripted_server(vec![dynamodb_answer(good ^ 1); 3]);
    let ddb = session_at(&url, "us-east-1").client("dynamodb").unwrap();
    let err = ddb.call("ListTables", doc! {}).await.unwrap_err();
    assert!(err.to_string().contains("x-amz-crc32"), "{err}");
    assert_eq!(seen.join().unwrap().len(), 3);

    // moto sends the header too, and it matches.
    let ddb = session("us-east-1").client("dynamodb").unwrap();
    ddb.call("ListTables", doc! {}).await.unwrap();
}

#[tokio::test]
async fn ec2_takes_filters_for_its_filter_members_as_boto3_does() {
    let ec2 = session("us-east-1").client("ec2").unwrap();
    let zone_type = [("us-east-1a", "m5.large"), ("us-east-1b", "c5.large")];
    let mut ids = Vec::new();
    for (zone, kind) in zone_type {
        let out = ec2
            .call(
                "AllocateHosts",
                doc! {"AvailabilityZone": zone, "InstanceType": kind, "Quantity": 1},
            )
            .await
            .unwrap();
        ids.push(out["HostIds"][0].as_str().unwrap().to_string());
    }
    let filters = doc! {"Filters": [{"Name": "instance-type", "Values": ["m5.large"]}]};
    let ours = ec2.call("DescribeHosts", filters).await.unwrap();
    let ours: Vec<&str> = ours["Hosts"]
        .as_list()
        .unwrap()
        .iter()
        .map(|h| h["HostId"].as_str().unwrap())
        .collect();
    let theirs = boto3(
        "out(sorted(h['HostId'] for h in c('ec2').describe_hosts(Filters=[{'Name': 'instance-type', 'Values': ['m5.large']}])['Hosts']))",
    );
    assert!(
        ours.contains(&ids[0].as_str()) && !ours.contains(&ids[1].as_str()),
        "{ours:?}"
    );
    let mut sorted = ours.clone();
    sorted.sort();
    assert_eq!(serde_json::json!(sorted), theirs);
    let both = doc! {"Filters": [], "Filter": []};
    let err = ec2.call("DescribeHosts", both).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Parameter 'Filter' and its alias 'Filters' were provided for operation DescribeHosts.  \
         Only one of them may be used."
    );
}

#[tokio::test]
async fn logs_export_tasks_take_from_time_as_boto3_does() {
    let (bucket, group) = (unique("export"), unique("group"));
    let s3 = session("us-east-1").client("s3").unwrap();
    s3.call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    let logs = session("us-east-1").client("logs").unwrap();
    logs.call("CreateLogGroup", doc! {"logGroupName": &group})
        .await
        .unwrap();
    let task = logs
        .call(
            "CreateExportTask",
            doc! {"logGroupName": &group, "fromTime": 1_000, "to": 5_000, "destination": &bucket},
        )
        .await
        .unwrap();
    let id = task["taskId"].as_str().unwrap();
    let theirs = boto3(&format!(
        "out([t['from'] for t in c('logs').describe_export_tasks(taskId='{id}')['exportTasks']])"
    ));
    assert_eq!(
        theirs,
        serde_json::json!([1000]),
        "the alias went out as `from`"
    );
    let err = logs
        .call(
            "CreateExportTask",
            doc! {"logGroupName": &group, "from": 1, "fromTime": 1, "to": 2, "destination": &bucket},
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("'from' and its alias 'fromTime'"),
        "{err}"
    );
}

#[tokio::test]
async fn machinelearning_predict_goes_to_the_predict_endpoint_as_boto3_sends_it() {
    let body = r#"{"Prediction": {"predictedLabel": "1"}}"#;
    let ok = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // No endpoint_url: the resolved endpoint is AWS's, and only the predict endpoint is local.
    let (url, seen) = scripted_server(vec![ok.clone()]);
    let ml = boto::Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .credentials(boto::Credentials::from_keys("testing", "testing", None))
        .build()
        .unwrap()
        .client("machinelearning")
        .unwrap();
    let input = doc! {"MLModelId": "ml-1", "Record": {"a": "1"}, "PredictEndpoint": &url};
    let out = ml.call("Predict", input).await.unwrap();
    assert_eq!(out["Prediction"]["predictedLabel"].as_str(), Some("1"));
    let ours = seen.join().unwrap().remove(0);

    let (url2, seen2) = scripted_server(vec![ok]);
    let script = format!(
        "import boto3, json\n\
         ml = boto3.client('machinelearning', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         print(json.dumps(ml.predict(MLModelId='ml-1', Record={{'a': '1'}}, PredictEndpoint='{url2}')['Prediction']))"
    );
    let theirs_out = support::python_json(&script, &[], "");
    assert_eq!(theirs_out["predictedLabel"], "1");
    let theirs = seen2.join().unwrap().remove(0);
    let line_and_host = |head: &str, url: &str| {
        let line = head.lines().next().unwrap_or_default().to_string();
        let host = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("host: ")
                    .or_else(|| l.strip_prefix("Host: "))
            })
            .unwrap_or_default()
            .replace(url.trim_start_matches("http://"), "<server>");
        (line, host)
    };
    assert_eq!(line_and_host(&ours, &url), line_and_host(&theirs, &url2));
    assert_eq!(
        line_and_host(&ours, &url),
        ("POST / HTTP/1.1".to_string(), "<server>".to_string())
    );
}

#[tokio::test]
async fn sso_oidc_oauth2_errors_carry_their_description_as_boto3_reports_it() {
    let body = r#"{"error":"invalid_grant","error_description":"Invalid grant provided"}"#;
    let answer = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nx-amzn-ErrorType: InvalidGrantException\r\nx-amzn-RequestId: rid-1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let input = doc! {"clientId": "c", "clientSecret": "s", "grantType": "refresh_token", "refreshToken": "r"};
    let (url, seen) = scripted_server(vec![answer.clone()]);
    let oidc = session_at(&url, "us-east-1").client("sso-oidc").unwrap();
    let err = oidc.call("CreateToken", input).await.unwrap_err();
    seen.join().unwrap();
    let service = err
        .sdk()
        .and_then(boto::SdkError::service_error)
        .expect("a service error");
    let ours = serde_json::json!({
        "code": service.code,
        "message": service.message,
        "error": json(&service.fields)["error"],
    });

    let (url2, seen2) = scripted_server(vec![answer]);
    let script = format!(
        "import boto3, json\n\
         c = boto3.client('sso-oidc', region_name='us-east-1', endpoint_url='{url2}', aws_access_key_id='a', aws_secret_access_key='b')\n\
         try:\n    c.create_token(clientId='c', clientSecret='s', grantType='refresh_token', refreshToken='r')\n\
         except c.exceptions.InvalidGrantException as e:\n    \
         print(json.dumps({{'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'error': e.response.get('error')}}))"
    );
    let theirs = support::python_json(&script, &[], "");
    seen2.join().unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(ours["message"], "Invalid grant provided");
}

#[tokio::test]
async fn glacier_hashes_an_archive_sent_from_a_file_as_boto3_does() {
    let path = support::temp_path("archive");
    let data = support::test_bytes((3 << 20) + 5, 7);
    std::fs::write(&path, &data).unwrap();
    let created = "HTTP/1.1 201 Created\r\nx-amz-archive-id: a1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    // The body is read before the answer: a server that answers early resets the upload.
    let (url, seen) = support::recording_server(vec![created.to_string()]);
    let glacier = session_at(&url, "us-east-1").client("glacier").unwrap();
    let body = boto::ByteStream::from_path(&path).await.unwrap();
    let out = glacier
        .invoke("UploadArchive", doc! {"vaultName": "v"}, Some(body))
        .await
        .unwrap();
    assert_eq!(out["archiveId"].as_str(), Some("a1"));
    let head = seen.join().unwrap().remove(0).0.to_ascii_lowercase();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string))
    };
    let theirs = boto3(&format!(
        "b = open({:?}, 'rb').read()\n\
         import io\n\
         out([calculate_tree_hash(io.BytesIO(b)), hashlib.sha256(b).hexdigest()])",
        path.to_string_lossy()
    ));
    std::fs::remove_file(&path).ok();
    let ours = serde_json::json!([
        header("x-amz-sha256-tree-hash"),
        header("x-amz-content-sha256")
    ]);
    assert_eq!(ours, theirs);
}

/// botocore's SigV4 signer, run on a request as received at the instant it says it was signed,
/// accepts its signature: the payload hash of a body sent from a file is the file's.
#[tokio::test]
async fn a_streamed_body_is_signed_with_its_own_hash() {
    let path = support::temp_path("signed-archive");
    std::fs::write(&path, support::test_bytes((1 << 20) + 3, 11)).unwrap();
    let created = "HTTP/1.1 201 Created\r\nx-amz-archive-id: a1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let (url, seen) = support::recording_server(vec![created.to_string()]);
    let glacier = session_at(&url, "us-east-1").client("glacier").unwrap();
    let body = boto::ByteStream::from_path(&path).await.unwrap();
    glacier
        .invoke("UploadArchive", doc! {"vaultName": "v"}, Some(body))
        .await
        .unwrap();
    std::fs::remove_file(&path).ok();
    let (head, body) = seen.join().unwrap().remove(0);
    let script = r#"
import sys, json, datetime
from unittest import mock
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
head = json.loads(sys.argv[1])
lines = head.split("\r\n")
method, path, _ = lines[0].split(" ")
headers = {k.lower(): v for k, v in (l.split(": ", 1) for l in lines[1:] if l)}
given = headers.pop("authorization")
body = sys.stdin.buffer.read()
req = AWSRequest(method=method, url="http://" + headers["host"] + path, data=body, headers=headers)
at = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
with mock.patch("botocore.auth.get_current_datetime", return_value=at):
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "glacier", "us-east-1").add_auth(req)
print(json.dumps([given.split("Signature=")[1], req.headers["Authorization"].split("Signature=")[1]]))
"#;
    let head_json = serde_json::Value::String(head.clone()).to_string();
    let out = python_with_bytes(script, &head_json, &body);
    assert_eq!(
        out[0], out[1],
        "botocore computes the same signature: {head}"
    );
}

/// Runs `script` with `arg` as `sys.argv[1]` and `stdin` as raw bytes; returns its JSON.
/// What a request head says about its payload signature: the `X-Amz-Content-SHA256` value and
/// whether `Authorization` signs it. (The full signed-header lists differ: botocore adds
/// `Content-Length` and the `amz-sdk-*` headers after signing, boto-rs signs them too.)
fn payload_signature(head: &str) -> serde_json::Value {
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let signed = header("authorization")
        .and_then(|a| {
            let rest = a.split("SignedHeaders=").nth(1)?.to_string();
            Some(rest.split(',').next()?.to_string())
        })
        .unwrap_or_default();
    let signs_it = signed.split(';').any(|h| h == "x-amz-content-sha256");
    serde_json::json!({"x-amz-content-sha256": header("x-amz-content-sha256"), "signed": signs_it})
}

/// EBS `PutSnapshotBlock` is `unsignedPayload`: botocore announces `UNSIGNED-PAYLOAD` in
/// `X-Amz-Content-SHA256` and signs that header, over plain HTTP as over TLS (without it the
/// service would hash the block to check the signature). boto-rs sends the same.
#[tokio::test]
async fn an_unsigned_payload_operation_is_signed_as_boto3_signs_it() {
    let created = "HTTP/1.1 201 Created\r\nx-amz-Checksum: c\r\nx-amz-Checksum-Algorithm: SHA256\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let (url, seen) = support::recording_server(vec![created.to_string()]);
    let ebs = session_at(&url, "us-east-1").client("ebs").unwrap();
    let block = bytes::Bytes::from(vec![7u8; 512 * 1024]);
    ebs.call(
        "PutSnapshotBlock",
        doc! {"SnapshotId": "snap-1", "BlockIndex": 0, "BlockData": Document::Blob(block),
        "DataLength": 524288, "Checksum": "c", "ChecksumAlgorithm": "SHA256"},
    )
    .await
    .unwrap();
    let ours = payload_signature(&seen.join().unwrap().remove(0).0);
    let (url2, seen2) = support::recording_server(vec![created.to_string()]);
    let script = format!(
        "import boto3\n\
         c = boto3.client('ebs', region_name='us-east-1', endpoint_url='{url2}', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')\n\
         c.put_snapshot_block(SnapshotId='snap-1', BlockIndex=0, BlockData=b'\\x07' * 524288, DataLength=524288, Checksum='c', ChecksumAlgorithm='SHA256')\n\
         print('{{}}')"
    );
    support::python_json(&script, &[], "");
    let theirs = payload_signature(&seen2.join().unwrap().remove(0).0);
    assert_eq!(ours, theirs);
    assert_eq!(ours["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
}

fn python_with_bytes(script: &str, arg: &str, stdin: &[u8]) -> serde_json::Value {
    use std::io::Write;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut child = Command::new(format!("{root}/.venv/bin/python"))
        .args(["-c", script, arg])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
