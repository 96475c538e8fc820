//! The seed tour: boto3's classic session/client/resource program, in Rust's blocking API.
//!
//! ```python
//! sqs = boto3.client('sqs')                      # default session
//! s3 = boto3.resource('s3')
//! west = boto3.Session(region_name='us-west-2'); east = boto3.Session(region_name='us-east-1')
//! backup_bucket = west.resource('s3').Bucket('backupbucket')
//! video_bucket = east.resource('s3').Bucket('videobucket')
//! def list_bucket_contents(bucket):              # the resource carries its session: just pass it
//!     for obj in bucket.objects.all(): print(obj.key)
//! backup_s3c = west.client('s3'); video_s3c = boto3.client('s3', region_name='us-east-1')
//! def list_bucket_contents_c(client, name):      # the client needs the target spelled out
//!     resp = client.list_objects_v2(Bucket=name)
//!     for obj in resp.get('Contents', []): print(obj['Key'])
//! ```
//!
//! Run it with `scripts/demo.sh`, which starts a local moto server and points `AWS_ENDPOINT_URL`
//! at it. Against real AWS it would need the two buckets to exist and be yours.

use boto::blocking::{self, Client, Resource, Session};
use boto::{doc, Error};

/// The resource carries its session: just pass it.
fn list_bucket_contents(bucket: &Resource) -> Result<(), Error> {
    for obj in bucket.objects()?.all() {
        println!("  {}", obj?.key().unwrap_or_default());
    }
    Ok(())
}

/// The client needs the target spelled out.
fn list_bucket_contents_c(client: &Client, name: &str) -> Result<(), Error> {
    let resp = client.call("list_objects_v2", doc! {"Bucket": name})?;
    for obj in resp["Contents"].iter() {
        println!("  {}", obj["Key"].as_str().unwrap_or_default());
    }
    Ok(())
}

/// Makes the two buckets and a few objects, so the tour has something to list.
fn seed(west: &Session, east: &Session) -> Result<(), Error> {
    let west_s3 = west.resource("s3")?;
    let east_s3 = east.resource("s3")?;
    west_s3.create_bucket(
        "backupbucket",
        doc! {"CreateBucketConfiguration": {"LocationConstraint": "us-west-2"}},
    )?;
    east_s3.create_bucket("videobucket", doc! {})?;
    let backup = west_s3.bucket("backupbucket")?;
    for key in ["2026/11/db.dump", "2026/11/etc.tar.gz", "README.txt"] {
        backup.put_object(key, format!("backup of {key}"))?;
    }
    let video = east_s3.bucket("videobucket")?;
    for key in ["cats/1.mp4", "cats/2.mp4", "dogs/1.mp4"] {
        video.put_object(key, format!("frames of {key}"))?;
    }
    Ok(())
}

fn main() -> Result<(), Error> {
    let sqs = blocking::client("sqs")?; // default session
    let _s3 = blocking::resource("s3")?;
    let west = Session::builder().region_name("us-west-2").build()?;
    let east = Session::builder().region_name("us-east-1").build()?;
    seed(&west, &east)?;

    let backup_bucket = west.resource("s3")?.bucket("backupbucket")?;
    let video_bucket = east.resource("s3")?.bucket("videobucket")?;
    println!("backupbucket (resource, us-west-2):");
    list_bucket_contents(&backup_bucket)?;
    println!("videobucket (resource, us-east-1):");
    list_bucket_contents(&video_bucket)?;

    let backup_s3c = west.client("s3")?;
    let video_s3c = blocking::client_in_region("s3", "us-east-1")?;
    println!("backupbucket (client, us-west-2):");
    list_bucket_contents_c(&backup_s3c, "backupbucket")?;
    println!("videobucket (client, us-east-1):");
    list_bucket_contents_c(&video_s3c, "videobucket")?;

    // An SQS round trip: create a queue, send, receive, delete.
    let url = sqs.call("create_queue", doc! {"QueueName": "seed-tour"})?["QueueUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    sqs.call(
        "send_message",
        doc! {"QueueUrl": &url, "MessageBody": "hello from boto-rs"},
    )?;
    let received = sqs.call(
        "receive_message",
        doc! {"QueueUrl": &url, "WaitTimeSeconds": 1},
    )?;
    for msg in received["Messages"].iter() {
        println!("sqs message: {}", msg["Body"].as_str().unwrap_or_default());
        sqs.call(
            "delete_message",
            doc! {"QueueUrl": &url, "ReceiptHandle": msg["ReceiptHandle"].as_str().unwrap_or_default()},
        )?;
    }
    // The same through the resource layer.
    let queue = blocking::resource("sqs")?.get_queue_by_name("seed-tour")?;
    queue.send_message("hello again, via the resource layer")?;
    for message in queue.receive_messages(doc! {"WaitTimeSeconds": 1})? {
        println!(
            "sqs message (resource): {}",
            message.body().unwrap_or_default()
        );
        message.delete()?;
    }
    Ok(())
}
