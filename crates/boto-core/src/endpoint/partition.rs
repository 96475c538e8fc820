//! AWS partitions (`partitions.json`) and the `aws.partition` lookup.

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use super::regex::Regex;
use super::EndpointError;

/// The AWS partitions, parsed once from the content of botocore's `partitions.json`.
///
/// `aws.partition(region)` picks, in file order, the first partition that lists the region
/// explicitly or whose `regionRegex` matches it, and falls back to the first partition (like
/// botocore). The result is the partition's `outputs` with `name` set to the partition id; a region
/// entry that carries output fields besides `description` overrides those fields.
#[derive(Debug, Clone)]
pub struct Partitions {
    version: Option<String>,
    partitions: Vec<Partition>,
    /// Every explicitly listed region -> index of the partition botocore picks for it
    /// (precomputed, so known regions need no regex matching).
    listed: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    region_regex: Regex,
    /// Region name -> overriding outputs (`None` when the region only has a description).
    regions: HashMap<String, Option<PartitionOutputs>>,
    outputs: PartitionOutputs,
}

/// The outputs of one partition as seen by rules: `name`, `dnsSuffix`, `dualStackDnsSuffix`,
/// `supportsFIPS`, `supportsDualStack`, `implicitGlobalRegion`, ...
#[derive(Debug, Clone)]
pub(crate) struct PartitionOutputs {
    fields: Map<String, Json>,
}

impl PartitionOutputs {
    /// The output field `key` (`name` is the partition id).
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        self.fields.get(key)
    }

    pub(crate) fn fields(&self) -> &Map<String, Json> {
        &self.fields
    }
}

fn bad(msg: impl Into<String>) -> EndpointError {
    EndpointError::InvalidPartitions(msg.into())
}

impl Partitions {
    /// Parses `partitions.json` content.
    pub fn from_json_str(json: &str) -> Result<Partitions, EndpointError> {
        let value: Json = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        Partitions::from_json(&value)
    }

    /// Parses `partitions.json` content given as bytes (UTF-8 JSON).
    pub fn from_json_slice(json: &[u8]) -> Result<Partitions, EndpointError> {
        let value: Json = serde_json::from_slice(json).map_err(|e| bad(e.to_string()))?;
        Partitions::from_json(&value)
    }

    /// Builds the partitions from an already parsed `partitions.json` document.
    pub fn from_json(value: &Json) -> Result<Partitions, EndpointError> {
        let root = value
            .as_object()
            .ok_or_else(|| bad("the document is not a JSON object"))?;
        let version = root
            .get("version")
            .and_then(Json::as_str)
            .map(str::to_string);
        let list = root
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| bad("missing `partitions` array"))?;
        let mut partitions = Vec::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            partitions
                .push(Partition::parse(entry).map_err(|m| bad(format!("partition {i}: {m}")))?);
        }
        if partitions.is_empty() {
            return Err(bad("the `partitions` array is empty"));
        }
        let mut listed = HashMap::new();
        for p in &partitions {
            for region in p.regions.keys() {
                if !listed.contains_key(region) {
                    let pick = partitions.iter().position(|q| {
                        q.regions.contains_key(region) || q.region_regex.is_match(region)
                    });
                    if let Some(pick) = pick {
                        listed.insert(region.clone(), pick);
                    }
                }
            }
        }
        Ok(Partitions {
            version,
            partitions,
            listed,
        })
    }

    /// The `version` field of the document, if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The partition ids, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }

    /// The id of the partition `region` belongs to (see the type docs for the matching rules).
    pub fn partition_id_for_region(&self, region: &str) -> Option<&str> {
        self.resolve(Some(region))?
            .get("name")
            .and_then(Json::as_str)
    }

    /// The outputs for `region` (`None`: the default, first, partition).
    /// `from_json` guarantees at least one partition, so this is `Some` in practice.
    pub(crate) fn resolve(&self, region: Option<&str>) -> Option<&PartitionOutputs> {
        if let Some(region) = region {
            // botocore picks the first partition that lists the region or whose regex matches.
            if let Some(p) = self
                .listed
                .get(region)
                .and_then(|&i| self.partitions.get(i))
            {
                let overridden = p.regions.get(region).and_then(Option::as_ref);
                return Some(overridden.unwrap_or(&p.outputs));
            }
            if let Some(p) = self
                .partitions
                .iter()
                .find(|p| p.region_regex.is_match(region))
            {
                return Some(&p.outputs);
            }
        }
        self.partitions.first().map(|p| &p.outputs)
    }
}

impl Partition {
    fn parse(entry: &Json) -> Result<Partition, String> {
        let obj = entry.as_object().ok_or("not a JSON object")?;
        let id = obj
            .get("id")
            .and_then(Json::as_str)
            .ok_or("missing string `id`")?
            .to_string();
        let pattern = obj
            .get("regionRegex")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("{id}: missing string `regionRegex`"))?;
        let region_regex =
            Regex::new(pattern).map_err(|e| format!("{id}: regionRegex {pattern:?}: {e}"))?;
        let mut fields = obj
            .get("outputs")
            .and_then(Json::as_object)
            .ok_or_else(|| format!("{id}: missing object `outputs`"))?
            .clone();
        fields.insert("name".to_string(), Json::String(id.clone()));
        let outputs = PartitionOutputs { fields };

        let mut regions = HashMap::new();
        if let Some(region_map) = obj.get("regions") {
            let region_map = region_map
                .as_object()
                .ok_or_else(|| format!("{id}: `regions` is not an object"))?;
            for (name, info) in region_map {
                let overrides = info
                    .as_object()
                    .filter(|o| o.keys().any(|k| k != "description"));
                let merged = overrides.map(|o| {
                    let mut fields = outputs.fields.clone();
                    for (k, v) in o {
                        if k != "description" && k != "name" {
                            fields.insert(k.clone(), v.clone());
                        }
                    }
                    PartitionOutputs { fields }
                });
                regions.insert(name.clone(), merged);
            }
        }
        Ok(Partition {
            id,
            region_regex,
            regions,
            outputs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Partitions;

    const DOC: &str = r#"{
      "version": "1.1",
      "partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
         "regions": {"aws-global": {"description": "global"},
                     "us-special-1": {"description": "x", "dnsSuffix": "special.example"}},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "supportsFIPS": true}},
        {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"dnsSuffix": "amazonaws.com.cn", "supportsFIPS": true}}
      ]
    }"#;

    #[test]
    fn lookup() {
        let p = Partitions::from_json_str(DOC).expect("valid");
        assert_eq!(p.version(), Some("1.1"));
        assert_eq!(p.partition_id_for_region("us-west-2"), Some("aws"));
        assert_eq!(p.partition_id_for_region("cn-north-1"), Some("aws-cn"));
        assert_eq!(p.partition_id_for_region("aws-global"), Some("aws"));
        assert_eq!(p.partition_id_for_region("mars-1"), Some("aws"));
        let cn = p.resolve(Some("cn-north-1")).expect("some");
        assert_eq!(cn.get("name").and_then(|v| v.as_str()), Some("aws-cn"));
        let special = p.resolve(Some("us-special-1")).expect("some");
        assert_eq!(
            special.get("dnsSuffix").and_then(|v| v.as_str()),
            Some("special.example")
        );
    }

    #[test]
    fn malformed() {
        assert!(Partitions::from_json_str("[]").is_err());
        assert!(Partitions::from_json_str(r#"{"partitions": []}"#).is_err());
        assert!(Partitions::from_json_str(r#"{"partitions": [{"id": "a"}]}"#).is_err());
        assert!(Partitions::from_json_str(
            r#"{"partitions": [{"id": "a", "regionRegex": "(", "outputs": {}}]}"#
        )
        .is_err());
        assert!(Partitions::from_json_str("not json").is_err());
    }
}
