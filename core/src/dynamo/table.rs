//! One table: its key schema, its items in key order (partition key, then sort key; S by UTF-8
//! bytes, N numerically, B by bytes), its stream and its per-partition capacity buckets.
//! Writes go through `write`, which is where stream records are made, so no write can skip them.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::capacity::{Bucket, CapacityConfig};
use super::number::Number;
use super::value::{item_size, item_to_value, AttributeValue, Item};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    S,
    N,
    B,
}

impl KeyType {
    pub fn parse(text: &str) -> Option<KeyType> {
        match text {
            "S" => Some(KeyType::S),
            "N" => Some(KeyType::N),
            "B" => Some(KeyType::B),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            KeyType::S => "S",
            KeyType::N => "N",
            KeyType::B => "B",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAttribute {
    pub name: String,
    pub key_type: KeyType,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySchema {
    pub partition: KeyAttribute,
    pub sort: Option<KeyAttribute>,
}

impl KeySchema {
    /// The schema of a table nobody declared: partition key `id` of type S.
    pub fn default_schema() -> KeySchema {
        KeySchema {
            partition: KeyAttribute {
                name: "id".to_string(),
                key_type: KeyType::S,
            },
            sort: None,
        }
    }

    pub fn is_key_attribute(&self, name: &str) -> bool {
        self.partition.name == name || self.sort.as_ref().is_some_and(|s| s.name == name)
    }
}

/// A key attribute's value; the derived order is DynamoDB's key order within one type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyValue {
    S(String),
    N(Number),
    B(Vec<u8>),
}

impl KeyValue {
    pub fn to_attribute(&self) -> AttributeValue {
        match self {
            KeyValue::S(s) => AttributeValue::S(s.clone()),
            KeyValue::N(n) => AttributeValue::N(n.clone()),
            KeyValue::B(b) => AttributeValue::B(b.clone()),
        }
    }

    pub fn from_attribute(value: &AttributeValue, key_type: KeyType) -> Option<KeyValue> {
        match (value, key_type) {
            (AttributeValue::S(s), KeyType::S) => Some(KeyValue::S(s.clone())),
            (AttributeValue::N(n), KeyType::N) => Some(KeyValue::N(n.clone())),
            (AttributeValue::B(b), KeyType::B) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }
}

/// Partition key and optional sort key.
pub type PrimaryKey = (KeyValue, Option<KeyValue>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamViewType {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

impl StreamViewType {
    pub fn parse(text: &str) -> Option<StreamViewType> {
        match text {
            "KEYS_ONLY" => Some(StreamViewType::KeysOnly),
            "NEW_IMAGE" => Some(StreamViewType::NewImage),
            "OLD_IMAGE" => Some(StreamViewType::OldImage),
            "NEW_AND_OLD_IMAGES" => Some(StreamViewType::NewAndOldImages),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            StreamViewType::KeysOnly => "KEYS_ONLY",
            StreamViewType::NewImage => "NEW_IMAGE",
            StreamViewType::OldImage => "OLD_IMAGE",
            StreamViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
}

/// One change on a table's stream, in the DynamoDB Streams record shape (`record`), with the
/// table and the virtual time it happened at.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRecord {
    pub table_name: String,
    pub sequence_number: u64,
    pub at_ms: u64,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: String,
    pub keys: Item,
    pub record: Value,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub schema: KeySchema,
    pub stream: Option<StreamViewType>,
    pub capacity: CapacityConfig,
    items: BTreeMap<PrimaryKey, Item>,
    write_buckets: BTreeMap<KeyValue, Bucket>,
    read_buckets: BTreeMap<KeyValue, Bucket>,
    next_sequence: u64,
}

pub const KEY_MISMATCH: &str = "The provided key element does not match the schema";
const INVALID: &str = "One or more parameter values were invalid: ";

impl Table {
    pub fn new(
        name: &str,
        schema: KeySchema,
        stream: Option<StreamViewType>,
        capacity: CapacityConfig,
    ) -> Table {
        Table {
            name: name.to_string(),
            schema,
            stream,
            capacity,
            items: BTreeMap::new(),
            write_buckets: BTreeMap::new(),
            read_buckets: BTreeMap::new(),
            next_sequence: 1,
        }
    }

    /// Reads a `Key` map: exactly the key attributes, of the declared types.
    pub fn key_from_map(&self, key: &Item) -> Result<PrimaryKey, String> {
        let expected = 1 + self.schema.sort.is_some() as usize;
        if key.len() != expected {
            return Err(KEY_MISMATCH.to_string());
        }
        let partition = self
            .key_part(key, &self.schema.partition)
            .ok_or(KEY_MISMATCH)?;
        let sort = match &self.schema.sort {
            Some(sort) => Some(self.key_part(key, sort).ok_or(KEY_MISMATCH)?),
            None => None,
        };
        check_key_values(&self.schema, &partition, sort.as_ref())?;
        Ok((partition, sort))
    }

    fn key_part(&self, key: &Item, attribute: &KeyAttribute) -> Option<KeyValue> {
        KeyValue::from_attribute(key.get(&attribute.name)?, attribute.key_type)
    }

    /// The key of a full item (PutItem), with DynamoDB's messages for a missing or mistyped key.
    pub fn key_of_item(&self, item: &Item) -> Result<PrimaryKey, String> {
        let read = |attribute: &KeyAttribute| -> Result<KeyValue, String> {
            let value = item.get(&attribute.name).ok_or_else(|| {
                format!("{INVALID}Missing the key {} in the item", attribute.name)
            })?;
            KeyValue::from_attribute(value, attribute.key_type).ok_or_else(|| {
                format!(
                    "{INVALID}Type mismatch for key {} expected: {} actual: {}",
                    attribute.name,
                    attribute.key_type.name(),
                    value.type_name()
                )
            })
        };
        let partition = read(&self.schema.partition)?;
        let sort = match &self.schema.sort {
            Some(sort) => Some(read(sort)?),
            None => None,
        };
        check_key_values(&self.schema, &partition, sort.as_ref())?;
        Ok((partition, sort))
    }

    /// The key attributes of `key` as an item.
    pub fn key_item(&self, key: &PrimaryKey) -> Item {
        let mut item = Item::new();
        item.insert(self.schema.partition.name.clone(), key.0.to_attribute());
        if let (Some(sort), Some(value)) = (&self.schema.sort, &key.1) {
            item.insert(sort.name.clone(), value.to_attribute());
        }
        item
    }

    pub fn get(&self, key: &PrimaryKey) -> Option<&Item> {
        self.items.get(key)
    }

    /// Every item in key order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.items.values()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items of one partition in sort-key order.
    pub fn partition(&self, partition: &KeyValue) -> Vec<(&PrimaryKey, &Item)> {
        let start = (partition.clone(), None);
        self.items
            .range(start..)
            .take_while(|((p, _), _)| p == partition)
            .collect()
    }

    /// Stores (or with `None` deletes) the item at `key`, returning the stream record if the
    /// table has a stream and the item really changed.
    pub fn write(
        &mut self,
        key: &PrimaryKey,
        new_item: Option<Item>,
        at_ms: u64,
    ) -> Option<StreamRecord> {
        // The item moves into the table; a copy is only made for a stream's new image.
        let old_item = match new_item {
            Some(item) => self.items.insert(key.clone(), item),
            None => self.items.remove(key),
        };
        if old_item.as_ref() == self.items.get(key) {
            return None;
        }
        let view = self.stream?;
        let new_item = self.items.get(key).cloned();
        let event_name = match (&old_item, &new_item) {
            (None, _) => "INSERT",
            (Some(_), Some(_)) => "MODIFY",
            (Some(_), None) => "REMOVE",
        };
        let sequence_number = self.next_sequence;
        self.next_sequence += 1;
        let keys = self.key_item(key);
        let mut dynamodb = json!({
            "ApproximateCreationDateTime": at_ms / 1000,
            "Keys": item_to_value(&keys),
        });
        let mut size = item_size(&keys);
        if matches!(
            view,
            StreamViewType::NewImage | StreamViewType::NewAndOldImages
        ) {
            if let Some(new_item) = &new_item {
                dynamodb["NewImage"] = item_to_value(new_item);
                size += item_size(new_item);
            }
        }
        if matches!(
            view,
            StreamViewType::OldImage | StreamViewType::NewAndOldImages
        ) {
            if let Some(old_item) = &old_item {
                dynamodb["OldImage"] = item_to_value(old_item);
                size += item_size(old_item);
            }
        }
        let sequence_text = format!("{sequence_number:021}");
        dynamodb["SequenceNumber"] = Value::String(sequence_text.clone());
        dynamodb["SizeBytes"] = json!(size);
        dynamodb["StreamViewType"] = Value::String(view.name().to_string());
        let record = json!({
            "eventID": format!("{}-{sequence_text}", self.name),
            "eventName": event_name,
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": dynamodb,
        });
        Some(StreamRecord {
            table_name: self.name.clone(),
            sequence_number,
            at_ms,
            event_name: event_name.to_string(),
            keys,
            record,
        })
    }

    /// Takes write capacity from the partition's bucket; false when the partition is throttled.
    pub fn take_write_capacity(
        &mut self,
        partition: &KeyValue,
        cost_milli_units: u64,
        at_ms: u64,
    ) -> bool {
        let config = self.capacity;
        let bucket = self
            .write_buckets
            .entry(partition.clone())
            .or_insert_with(|| Bucket::new(config.write_units_per_second, at_ms));
        bucket.try_take(
            cost_milli_units,
            config.write_units_per_second,
            config.burst_seconds,
            at_ms,
        )
    }

    pub fn take_read_capacity(
        &mut self,
        partition: &KeyValue,
        cost_milli_units: u64,
        at_ms: u64,
    ) -> bool {
        let config = self.capacity;
        let bucket = self
            .read_buckets
            .entry(partition.clone())
            .or_insert_with(|| Bucket::new(config.read_units_per_second, at_ms));
        bucket.try_take(
            cost_milli_units,
            config.read_units_per_second,
            config.burst_seconds,
            at_ms,
        )
    }
}

fn check_key_values(
    schema: &KeySchema,
    partition: &KeyValue,
    sort: Option<&KeyValue>,
) -> Result<(), String> {
    let check = |name: &str, value: &KeyValue, limit: usize| -> Result<(), String> {
        match value {
            KeyValue::S(s) if s.is_empty() => Err(format!(
                "{INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: {name}"
            )),
            KeyValue::B(b) if b.is_empty() => Err(format!(
                "{INVALID}The AttributeValue for a key attribute cannot contain an empty binary value. Key: {name}"
            )),
            KeyValue::S(s) if s.len() > limit => Err(size_message(limit)),
            KeyValue::B(b) if b.len() > limit => Err(size_message(limit)),
            _ => Ok(()),
        }
    };
    check(&schema.partition.name, partition, 2048)?;
    if let (Some(attribute), Some(value)) = (&schema.sort, sort) {
        check(&attribute.name, value, 1024)?;
    }
    Ok(())
}

fn size_message(limit: usize) -> String {
    if limit == 2048 {
        format!("{INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes")
    } else {
        format!(
            "{INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
        )
    }
}
