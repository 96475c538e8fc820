//! CloudFormation's resources on moto, as boto3 uses them: `create_stack` returns a Stack, which
//! loads from DescribeStacks, lists its events and resource summaries, names its resources
//! (`stack.Resource(logical_id)`), and is updated and deleted through its actions. The same calls
//! through the pinned boto3 on the same server give the same identifiers and attributes.
#![cfg(feature = "cloudformation")]

mod support;

use boto::doc;
use boto::resource::Resource;
use support::{moto_url, session, unique};

fn template(queue: &str) -> String {
    format!(
        r#"{{"Resources": {{"Q": {{"Type": "AWS::SQS::Queue", "Properties": {{"QueueName": "{queue}"}}}},
           "T": {{"Type": "AWS::SNS::Topic"}}}}}}"#
    )
}

/// Runs `script` with the pinned boto3 (`cf` is a CloudFormation resource on moto) and returns
/// what it prints as JSON.
fn boto3(script: &str) -> serde_json::Value {
    let prelude = "import boto3, json, sys\n\
        s = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n\
        cf = s.resource('cloudformation', endpoint_url=sys.argv[1])\n";
    support::python_json(&format!("{prelude}{script}"), &[&moto_url()], "")
}

fn ids(resources: &[Resource]) -> Vec<Vec<String>> {
    resources
        .iter()
        .map(|r| r.identifiers().iter().map(|(_, v)| v.clone()).collect())
        .collect()
}

#[tokio::test]
async fn a_stack_loads_lists_and_names_its_resources() {
    let cf = session("us-east-1").resource("cloudformation").unwrap();
    let name = unique("stack");
    let queue = unique("cfq");
    let mut stack = cf
        .action(
            "create_stack",
            doc! {"StackName": &name, "TemplateBody": template(&queue)},
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(stack.type_name(), "Stack");
    assert_eq!(stack.identifier("Name"), Some(name.as_str()));
    assert!(stack.data().is_none(), "create_stack makes no load");
    assert_eq!(
        stack.get_attr("StackStatus").await.unwrap().as_str(),
        Some("CREATE_COMPLETE")
    );
    let stack_id = stack.attr_loaded("StackId");
    assert!(stack_id.as_str().unwrap().contains(&name), "{stack_id:?}");

    // hasMany: ResourceSummaries (data from the listing) and Events.
    let summaries = stack
        .collection("resource_summaries")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let mut logical: Vec<&str> = summaries
        .iter()
        .map(|s| s.identifier("LogicalId").unwrap())
        .collect();
    logical.sort();
    assert_eq!(logical, ["Q", "T"]);
    let q = summaries
        .iter()
        .find(|s| s.identifier("LogicalId") == Some("Q"))
        .unwrap();
    assert_eq!(q.type_name(), "StackResourceSummary");
    assert_eq!(q.identifier("StackName"), Some(name.as_str()));
    assert_eq!(
        q.attr_loaded("ResourceType").as_str(),
        Some("AWS::SQS::Queue")
    );
    let events = stack
        .collection("events")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.type_name() == "Event"));
    assert!(events
        .iter()
        .any(|e| e.attr_loaded("ResourceStatus").as_str() == Some("CREATE_COMPLETE")));

    // has: a summary's Resource, the stack's Resource(logical_id), and back to the Stack.
    let mut from_summary = q.related("Resource").unwrap();
    assert_eq!(from_summary.type_name(), "StackResource");
    let mut resource = stack.related_with("Resource", &["Q"]).unwrap();
    assert_eq!(resource, from_summary);
    assert!(resource
        .get_attr("PhysicalResourceId")
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .ends_with(&queue));
    assert_eq!(
        from_summary
            .get_attr("ResourceType")
            .await
            .unwrap()
            .as_str(),
        Some("AWS::SQS::Queue")
    );
    let back = resource.related("Stack").unwrap();
    assert_eq!(back, stack);

    // Service-level collection and resource by identifier.
    let all = cf
        .collection("stacks")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(all
        .iter()
        .any(|s| s.identifier("Name") == Some(name.as_str())));
    let listed = all
        .iter()
        .find(|s| s.identifier("Name") == Some(name.as_str()))
        .unwrap();
    assert_eq!(
        listed.attr_loaded("StackStatus").as_str(),
        Some("CREATE_COMPLETE"),
        "stacks carry their DescribeStacks data"
    );

    // Actions: update, then delete.
    stack
        .action(
            "update",
            doc! {"TemplateBody": template(&format!("{queue}-2"))},
        )
        .await
        .unwrap();
    stack.load().await.unwrap();
    assert!(stack
        .attr_loaded("StackStatus")
        .as_str()
        .unwrap()
        .starts_with("UPDATE"));
    stack.action("delete", doc! {}).await.unwrap();
    let listed: Vec<String> = cf
        .collection("stacks")
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .filter(|s| s.identifier("Name") == Some(name.as_str()))
        .map(|s| {
            s.attr_loaded("StackStatus")
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert!(
        listed.iter().all(|status| status == "DELETE_COMPLETE"),
        "{listed:?}"
    );
}

#[tokio::test]
async fn stack_collections_agree_with_boto3() {
    let cf = session("us-east-1").resource("cloudformation").unwrap();
    let name = unique("cmpstack");
    let stack = cf
        .action(
            "create_stack",
            doc! {"StackName": &name, "TemplateBody": template(&unique("cmpq"))},
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    let summaries = stack
        .collection("resource_summaries")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let events = stack
        .collection("events")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let mut stack = stack;
    stack.load().await.unwrap();
    let ours = serde_json::json!({
        "summaries": ids(&summaries),
        "types": summaries.iter().map(|s| s.attr_loaded("ResourceType").as_str().unwrap_or_default().to_string()).collect::<Vec<_>>(),
        "events": ids(&events),
        "status": stack.attr_loaded("StackStatus").as_str(),
        "id": stack.attr_loaded("StackId").as_str(),
    });
    let theirs = boto3(&format!(
        "st = cf.Stack({name:?})\n\
         rs = list(st.resource_summaries.all())\n\
         print(json.dumps({{'summaries': [[r.stack_name, r.logical_id] for r in rs],\n\
           'types': [r.resource_type for r in rs],\n\
           'events': [[e.id] for e in st.events.all()],\n\
           'status': st.stack_status, 'id': st.stack_id}}))"
    ));
    assert_eq!(ours, theirs);
}

#[test]
fn blocking_stack_tour() {
    let cf = boto::blocking::Session::from(session("us-east-1"))
        .resource("cloudformation")
        .unwrap();
    let name = unique("bstack");
    let mut stack = cf
        .action(
            "create_stack",
            doc! {"StackName": &name, "TemplateBody": template(&unique("bq"))},
        )
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(
        stack.get_attr("stack_status").unwrap().as_str(),
        Some("CREATE_COMPLETE")
    );
    let summaries: Vec<_> = stack
        .collection("ResourceSummaries")
        .unwrap()
        .page_size(1)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(summaries.len(), 2);
    let mut resource = stack.related_with("Resource", &["T"]).unwrap();
    assert_eq!(
        resource.get_attr("ResourceType").unwrap().as_str(),
        Some("AWS::SNS::Topic")
    );
    let by_id = cf.resource("Stack", &[&name]).unwrap();
    assert_eq!(by_id.identifiers(), stack.identifiers());
    stack.action("delete", doc! {}).unwrap();
}

#[tokio::test]
async fn the_stacks_collection_pages() {
    let cf = session("us-east-1").resource("cloudformation").unwrap();
    // moto answers DescribeStacks 50 at a time.
    let prefix = unique("paged");
    let noop = r#"{"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}"#;
    for i in 0..55 {
        cf.action(
            "create_stack",
            doc! {"StackName": format!("{prefix}-{i}"), "TemplateBody": noop},
        )
        .await
        .unwrap();
    }
    let mut it = cf.collection("stacks").unwrap().iter().unwrap();
    let (mut pages, mut mine) = (0, 0);
    while let Some(page) = it.next_page().await {
        let page = page.unwrap();
        assert!(page.len() <= 50);
        pages += 1;
        mine += page
            .iter()
            .filter(|s| {
                s.identifier("Name")
                    .is_some_and(|n| n.starts_with(&format!("{prefix}-")))
            })
            .count();
    }
    assert!(pages >= 2, "{pages} page(s)");
    assert_eq!(mine, 55);
}
