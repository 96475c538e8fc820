//! SQS answers SendMessage, SendMessageBatch and ReceiveMessage with MD5 digests of each
//! message's body, message attributes and system attributes as the queue holds them. The Java and
//! .NET SDKs check them against what was sent or received, so a message damaged on the way is an
//! error rather than a silent difference; botocore 1.44.8 does not. boto-rs checks them (setting
//! `sqs_verify_md5_checksums`, true by default). A mismatch is
//! [`ProtocolError::DigestMismatch`] naming the message: the call took effect, so it is not
//! retried (a retried SendMessage would send the message twice; a retried ReceiveMessage would
//! hide the messages just received).
//!
//! The attribute digest is SQS's documented one: for each attribute in name order, the name, the
//! data type, a transport byte (1: a string value, 2: a binary value) and the value, each string
//! or value preceded by its length as 4 big-endian bytes. A digest the service leaves out (no
//! attributes) is not checked.

use super::super::Customization;
use crate::document::Document;
use crate::encoding::hex_encode;
use crate::md5;
use crate::model::Operation;
use crate::protocol::{DigestMismatch, ProtocolError, RawResponse};

pub(crate) struct MessageMd5;

impl Customization for MessageMd5 {
    fn name(&self) -> &'static str {
        "sqs.message_md5"
    }

    fn after_parse(
        &self,
        op: &Operation,
        given: &Document,
        _resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        match op.name.as_str() {
            "SendMessage" => check_sent(given, output, "MessageId"),
            "SendMessageBatch" => {
                for answer in output["Successful"].iter() {
                    let id = answer["Id"].as_str();
                    let Some(entry) = given["Entries"]
                        .iter()
                        .find(|e| id.is_some() && e["Id"].as_str() == id)
                    else {
                        continue; // an id the caller did not send: nothing to compare with
                    };
                    check_sent(entry, answer, "MessageId")?;
                }
                Ok(())
            }
            "ReceiveMessage" => {
                for message in output["Messages"].iter() {
                    let id = message_id(message, "MessageId");
                    compare("MD5OfBody", &id, message, body_md5(&message["Body"]))?;
                    if let Some(attributes) = attributes_md5(&message["MessageAttributes"]) {
                        compare("MD5OfMessageAttributes", &id, message, attributes)?;
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// A sent message (`sent`: SendMessage's input or a batch entry) against its answer.
fn check_sent(sent: &Document, answer: &Document, id_member: &str) -> Result<(), ProtocolError> {
    let id = message_id(answer, id_member);
    compare(
        "MD5OfMessageBody",
        &id,
        answer,
        body_md5(&sent["MessageBody"]),
    )?;
    if let Some(digest) = attributes_md5(&sent["MessageAttributes"]) {
        compare("MD5OfMessageAttributes", &id, answer, digest)?;
    }
    if let Some(digest) = attributes_md5(&sent["MessageSystemAttributes"]) {
        compare("MD5OfMessageSystemAttributes", &id, answer, digest)?;
    }
    Ok(())
}

fn message_id(answer: &Document, member: &str) -> String {
    let id = answer[member].as_str().unwrap_or("(no id)");
    format!("message {id}")
}

/// The service's digest `member` of `answer` against `computed`, when the service sent one.
fn compare(
    member: &str,
    item: &str,
    answer: &Document,
    computed: String,
) -> Result<(), ProtocolError> {
    let Some(answered) = answer[member].as_str() else {
        return Ok(());
    };
    if answered.eq_ignore_ascii_case(&computed) {
        return Ok(());
    }
    Err(ProtocolError::DigestMismatch(Box::new(DigestMismatch {
        digest: member.to_string(),
        item: item.to_string(),
        computed,
        answered: answered.to_string(),
    })))
}

fn body_md5(body: &Document) -> String {
    hex_encode(&md5::digest(bytes_of(body).unwrap_or_default()))
}

fn bytes_of(value: &Document) -> Option<&[u8]> {
    match value {
        Document::String(s) => Some(s.as_bytes()),
        Document::Blob(b) => Some(b),
        _ => None,
    }
}

/// SQS's digest of a map of message (or system) attributes; `None` when there are none.
fn attributes_md5(attributes: &Document) -> Option<String> {
    let Document::Map(map) = attributes else {
        return None;
    };
    if map.is_empty() {
        return None;
    }
    let mut names: Vec<&crate::document::Name> = map.keys().collect();
    names.sort();
    let mut data = Vec::new();
    for name in names {
        let value = &map[name.as_str()];
        with_length(&mut data, name.as_bytes());
        with_length(&mut data, bytes_of(&value["DataType"]).unwrap_or_default());
        if let Some(text) = value["StringValue"].as_str() {
            data.push(1);
            with_length(&mut data, text.as_bytes());
        } else if let Some(bytes) = bytes_of(&value["BinaryValue"]) {
            data.push(2);
            with_length(&mut data, bytes);
        }
    }
    Some(hex_encode(&md5::digest(&data)))
}

fn with_length(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn body_digests_are_md5_hex() {
        assert_eq!(
            body_md5(&Document::from("hello")),
            "5d41402abc4b2a76b9719d911017c592"
        );
    }

    #[test]
    fn attribute_digests_follow_sqs_algorithm() {
        // Known answers from an independent implementation of SQS's documented algorithm
        // (Python's struct and hashlib).
        let attributes = doc! {
            "b": {"DataType": "Binary", "BinaryValue": Document::Blob(vec![1, 2, 3].into())},
            "a": {"DataType": "String", "StringValue": "x"},
        };
        assert_eq!(
            attributes_md5(&attributes).as_deref(),
            Some("aff7372f244d3ebae020d15edb230ef6")
        );
        let trace = doc! {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}};
        assert_eq!(
            attributes_md5(&trace).as_deref(),
            Some("5f48eef650c1d0207456969c85af2fdd")
        );
        assert_eq!(attributes_md5(&doc! {}), None);
        assert_eq!(attributes_md5(&Document::Null), None);
    }

    #[test]
    fn a_wrong_digest_names_the_message() {
        let sent = doc! {"MessageBody": "hello"};
        let answer =
            doc! {"MessageId": "m-1", "MD5OfMessageBody": "00000000000000000000000000000000"};
        let err = check_sent(&sent, &answer, "MessageId").unwrap_err();
        assert!(
            matches!(&err, ProtocolError::DigestMismatch(m) if m.item == "message m-1" && m.digest == "MD5OfMessageBody"),
            "{err:?}"
        );
        assert!(err.to_string().contains("m-1"), "{err}");
    }
}
