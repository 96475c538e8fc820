//! CloudWatch's resources on moto, as boto3 uses them: `cloudwatch.Metric(ns, name)` puts data,
//! reads statistics and creates alarms (`put_alarm` returns an Alarm); an Alarm loads from
//! DescribeAlarms, sets its state, toggles its actions, names its Metric (from its data), and
//! alarms are deleted one by one or as a batch over a collection (`alarms.filter(..).delete()`).
#![cfg(feature = "cloudwatch")]

mod support;

use boto::doc;
use boto::resource::{Resource, ServiceResource};
use support::{moto_url, session, unique};

/// Runs `script` with the pinned boto3 (`cw` is a CloudWatch resource on moto) and returns what
/// it prints as JSON.
fn boto3(script: &str) -> serde_json::Value {
    let prelude = "import boto3, json, sys\n\
        s = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n\
        cw = s.resource('cloudwatch', endpoint_url=sys.argv[1])\n";
    support::python_json(&format!("{prelude}{script}"), &[&moto_url()], "")
}

async fn put_alarm(metric: &Resource, name: &str) -> Resource {
    metric
        .action(
            "put_alarm",
            doc! {
                "AlarmName": name,
                "ComparisonOperator": "GreaterThanThreshold",
                "EvaluationPeriods": 1,
                "Period": 60,
                "Statistic": "Sum",
                "Threshold": 1.0,
            },
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap()
}

async fn alarm_names(cw: &ServiceResource, prefix: &str) -> Vec<String> {
    cw.collection("alarms")
        .unwrap()
        .filter(doc! {"AlarmNamePrefix": prefix})
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|a| a.identifier("Name").unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn metrics_put_data_and_make_alarms() {
    let cw = session("us-east-1").resource("cloudwatch").unwrap();
    let ns = unique("NS");
    let metric = cw.resource("Metric", &[&ns, "Latency"]).unwrap();
    for v in [2.0, 5.0] {
        metric
            .action(
                "put_data",
                doc! {"MetricData": [{"MetricName": "Latency", "Value": v}]},
            )
            .await
            .unwrap();
    }
    let stats = metric
        .action(
            "get_statistics",
            doc! {"StartTime": "2020-01-01T00:00:00Z", "EndTime": "2100-01-01T00:00:00Z", "Period": 60, "Statistics": ["Sum"]},
        )
        .await
        .unwrap()
        .into_output()
        .unwrap();
    assert_eq!(stats.document["Label"].as_str(), Some("Latency"));
    let total: f64 = stats.document["Datapoints"]
        .iter()
        .filter_map(|d| d["Sum"].as_f64())
        .sum();
    assert_eq!(total, 7.0);

    // The Metric loads from ListMetrics (path Metrics[0]).
    let mut loaded = metric.clone();
    loaded.load().await.unwrap();
    assert_eq!(loaded.attr_loaded("MetricName").as_str(), Some("Latency"));
    assert_eq!(loaded.attr_loaded("Namespace").as_str(), Some(ns.as_str()));
    let listed = cw
        .collection("metrics")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(listed.contains(&metric));

    let prefix = unique("alarm");
    let mut alarm = put_alarm(&metric, &format!("{prefix}-a")).await;
    put_alarm(&metric, &format!("{prefix}-b")).await;
    assert_eq!(alarm.type_name(), "Alarm");
    assert_eq!(
        alarm.get_attr("StateValue").await.unwrap().as_str(),
        Some("OK")
    );
    assert_eq!(alarm.attr_loaded("ActionsEnabled"), doc!(true));
    let mut for_metric: Vec<String> = metric
        .collection("alarms")
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|a| a.identifier("Name").unwrap().to_string())
        .collect();
    for_metric.sort();
    assert_eq!(for_metric, [format!("{prefix}-a"), format!("{prefix}-b")]);

    // A reference from data: the alarm's Metric.
    assert_eq!(alarm.related("Metric").unwrap(), metric);

    alarm
        .action(
            "set_state",
            doc! {"StateValue": "ALARM", "StateReason": "testing"},
        )
        .await
        .unwrap();
    alarm.action("disable_actions", doc! {}).await.unwrap();
    alarm.load().await.unwrap();
    assert_eq!(alarm.attr_loaded("StateValue").as_str(), Some("ALARM"));
    assert_eq!(alarm.attr_loaded("ActionsEnabled"), doc!(false));
    alarm.action("enable_actions", doc! {}).await.unwrap();
    alarm.load().await.unwrap();
    assert_eq!(alarm.attr_loaded("ActionsEnabled"), doc!(true));

    alarm.delete().await.unwrap();
    assert_eq!(alarm_names(&cw, &prefix).await, [format!("{prefix}-b")]);
}

#[tokio::test]
async fn an_unloaded_alarm_loads_for_a_data_reference_and_batch_actions_cover_a_page() {
    let cw = session("us-east-1").resource("cloudwatch").unwrap();
    let metric = cw.resource("Metric", &[&unique("NS"), "Errors"]).unwrap();
    let prefix = unique("batch");
    let names: Vec<String> = (0..3).map(|i| format!("{prefix}-{i}")).collect();
    for n in &names {
        put_alarm(&metric, n).await;
    }
    // A `has` whose identifiers come from data needs the data: a fresh Alarm says so.
    let fresh = cw.resource("Alarm", &[&names[0]]).unwrap();
    let err = fresh.related("Metric").unwrap_err();
    assert!(err.to_string().contains("load"), "{err}");

    let alarms = cw
        .collection("alarms")
        .unwrap()
        .filter(doc! {"AlarmNamePrefix": &prefix});
    let outputs = alarms
        .batch_action("disable_actions", doc! {})
        .await
        .unwrap();
    assert_eq!(outputs.len(), 1, "one page, one request");
    for a in alarms.collect_all().await.unwrap() {
        assert_eq!(a.attr_loaded("ActionsEnabled"), doc!(false), "{a:?}");
    }
    alarms.delete().await.unwrap();
    assert!(alarm_names(&cw, &prefix).await.is_empty());
}

#[tokio::test]
async fn alarms_and_metrics_agree_with_boto3() {
    let cw = session("us-east-1").resource("cloudwatch").unwrap();
    let ns = unique("CmpNS");
    let metric = cw.resource("Metric", &[&ns, "Hits"]).unwrap();
    metric
        .action(
            "put_data",
            doc! {"MetricData": [{"MetricName": "Hits", "Value": 1.0, "Unit": "Count"}]},
        )
        .await
        .unwrap();
    let prefix = unique("cmp");
    let mut alarm = put_alarm(&metric, &format!("{prefix}-x")).await;
    alarm.load().await.unwrap();
    let mut m = metric.clone();
    m.load().await.unwrap();
    let ours = serde_json::json!({
        "alarms": alarm_names(&cw, &prefix).await,
        "state": alarm.attr_loaded("StateValue").as_str(),
        "threshold": alarm.attr_loaded("Threshold").as_f64(),
        "metric": [alarm.attr_loaded("Namespace").as_str(), alarm.attr_loaded("MetricName").as_str()],
        "dimensions": m.attr_loaded("Dimensions").as_list().map(<[_]>::len),
    });
    let theirs = boto3(&format!(
        "a = cw.Alarm({:?})\n\
         m = cw.Metric({ns:?}, 'Hits')\n\
         print(json.dumps({{'alarms': [x.name for x in cw.alarms.filter(AlarmNamePrefix={prefix:?})],\n\
           'state': a.state_value, 'threshold': a.threshold,\n\
           'metric': [a.metric.namespace, a.metric.name],\n\
           'dimensions': len(m.dimensions)}}))",
        format!("{prefix}-x")
    ));
    assert_eq!(ours, theirs);
}

#[test]
fn blocking_alarm_tour() {
    let cw = boto::blocking::Session::from(session("us-east-1"))
        .resource("cloudwatch")
        .unwrap();
    let metric = cw.resource("Metric", &[&unique("BNS"), "Ops"]).unwrap();
    let name = unique("balarm");
    let mut alarm = metric
        .action(
            "PutAlarm",
            doc! {
                "AlarmName": &name, "ComparisonOperator": "LessThanThreshold", "EvaluationPeriods": 1,
                "Period": 60, "Statistic": "Average", "Threshold": 0.5,
            },
        )
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(
        alarm.get_attr("ComparisonOperator").unwrap().as_str(),
        Some("LessThanThreshold")
    );
    let found: Vec<_> = cw
        .collection("Alarms")
        .unwrap()
        .filter(doc! {"AlarmNames": [&name]})
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(found, [alarm.clone()]);
    cw.collection("Alarms")
        .unwrap()
        .filter(doc! {"AlarmNames": [&name]})
        .delete()
        .unwrap();
    assert!(cw
        .collection("Alarms")
        .unwrap()
        .filter(doc! {"AlarmNames": [&name]})
        .collect_all()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_metrics_collection_pages() {
    let cw = session("us-east-1").resource("cloudwatch").unwrap();
    let ns = unique("PagedNS");
    // moto answers ListMetrics 500 at a time: 501 metrics take two pages.
    let data: Vec<boto::Document> = (0..501)
        .map(|i| doc! {"MetricName": format!("m{i:03}"), "Value": 1.0})
        .collect();
    cw.client()
        .call("PutMetricData", doc! {"Namespace": &ns, "MetricData": data})
        .await
        .unwrap();
    let metrics = cw
        .collection("metrics")
        .unwrap()
        .filter(doc! {"Namespace": &ns});
    let mut it = metrics.iter().unwrap();
    let mut pages = Vec::new();
    while let Some(page) = it.next_page().await {
        pages.push(page.unwrap().len());
    }
    assert_eq!(pages, [500, 1]);
    let all = metrics.collect_all().await.unwrap();
    assert_eq!(all.len(), 501);
    assert!(all
        .iter()
        .all(|m| m.identifier("Namespace") == Some(ns.as_str())));
    assert_eq!(
        metrics.clone().limit(3).collect_all().await.unwrap().len(),
        3
    );
}
