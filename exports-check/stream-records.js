// Rebuilds the DynamoDB stream records of a simulated run, as a stream-fed function received
// them: `{eventID, eventName, eventVersion, eventSource, awsRegion, dynamodb: {Keys, NewImage,
// OldImage, SequenceNumber, SizeBytes, StreamViewType, ApproximateCreationDateTime}}`, images in
// the DynamoDB JSON wire shape. The trace names each record (table, sequence number, event name,
// keys) but not its images, so the run's successful writes are replayed in trace order through
// `eventlab table` (the simulator's own table engine), reading each touched item before and
// after its write. Each rebuilt record is then matched with the trace's record of the same table
// and position, and must agree on its event name and keys, so a rebuild that drifted from the
// run is reported instead of replayed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { canonical } = require("./common");

const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems"]);

/** The size DynamoDB (and core's `item_size`) gives an item: names plus values, in bytes. */
function itemSize(item) {
  return Object.entries(item ?? {}).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}
function valueSize(wire) {
  const [tag, inner] = Object.entries(wire)[0];
  switch (tag) {
    case "S": return Buffer.byteLength(inner);
    case "N": return Math.ceil(significantDigits(inner) / 2) + 1;
    case "B": return Buffer.from(inner, "base64").length;
    case "BOOL": case "NULL": return 1;
    case "M": return 3 + Object.entries(inner).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + valueSize(v) + 1, 0);
    case "L": return 3 + inner.reduce((sum, v) => sum + valueSize(v) + 1, 0);
    case "SS": return inner.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    case "NS": return inner.reduce((sum, n) => sum + Math.ceil(significantDigits(n) / 2) + 1, 0);
    case "BS": return inner.reduce((sum, b) => sum + Buffer.from(b, "base64").length, 0);
    default: return 0;
  }
}
function significantDigits(number) {
  const digits = String(number).replace(/^[+-]/, "").split(/[eE]/)[0].replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.max(digits.length, 1);
}

/** The key attributes of the items a write request touches, as [table, key] pairs. */
function touchedKeys(op, request, schemas) {
  const keyOf = (table, item) => {
    const names = schemas.get(table) ?? [];
    return Object.fromEntries(names.filter((n) => item?.[n] !== undefined).map((n) => [n, item[n]]));
  };
  switch (op) {
    case "PutItem": return [[request.TableName, keyOf(request.TableName, request.Item)]];
    case "UpdateItem": case "DeleteItem": return [[request.TableName, request.Key]];
    case "TransactWriteItems":
      return (request.TransactItems ?? []).flatMap((entry) => {
        if (entry.Put) return [[entry.Put.TableName, keyOf(entry.Put.TableName, entry.Put.Item)]];
        if (entry.Update) return [[entry.Update.TableName, entry.Update.Key]];
        if (entry.Delete) return [[entry.Delete.TableName, entry.Delete.Key]];
        return [];
      });
    default: return [];
  }
}

/**
 * The stream records of a run, by trace position of the trace's `streamRecord` event, and the
 * problems met while rebuilding them (an empty list when every record matched the trace).
 */
function streamRecords(eventlab, design, trace, scratch) {
  const tables = (design.nodes ?? []).filter((n) => n.kind === "table");
  const schemas = new Map(tables.map((t) => [t.id, [t.partitionKey.name, t.sortKey?.name].filter(Boolean)]));
  const views = new Map(tables.filter((t) => t.stream).map((t) => [t.id, t.stream]));
  const requests = tables.map((t) => ({
    op: "CreateTable",
    request: {
      TableName: t.id,
      KeySchema: [{ AttributeName: t.partitionKey.name, KeyType: "HASH" }].concat(t.sortKey ? [{ AttributeName: t.sortKey.name, KeyType: "RANGE" }] : []),
      AttributeDefinitions: [{ AttributeName: t.partitionKey.name, AttributeType: t.partitionKey.type ?? "S" }].concat(
        t.sortKey ? [{ AttributeName: t.sortKey.name, AttributeType: t.sortKey.type ?? "S" }] : [],
      ),
    },
  }));
  // Each write is read around: [index of the write, [table, key, index of the read before]...].
  const writes = [];
  for (const event of trace) {
    if (event.kind !== "step" || !WRITES.has(event.op) || event.response?.error !== undefined) continue;
    const touched = touchedKeys(event.op, event.request, schemas).filter(([table]) => views.has(table));
    // Writes to tables without a stream cannot change a stream's images.
    if (touched.length === 0) continue;
    const reads = touched.map(([table, key]) => {
      requests.push({ op: "GetItem", request: { TableName: table, Key: key, ConsistentRead: true }, at_ms: event.atMs });
      return { table, key, before: requests.length - 1 };
    });
    requests.push({ op: event.op, request: event.request, at_ms: event.atMs });
    const write = requests.length - 1;
    for (const read of reads) {
      requests.push({ op: "GetItem", request: { TableName: read.table, Key: read.key, ConsistentRead: true }, at_ms: event.atMs });
      read.after = requests.length - 1;
    }
    writes.push({ write, reads });
  }
  const problems = [];
  const byPosition = new Map();
  if (writes.length === 0) return { byPosition, problems };
  const file = path.join(scratch, "stream-writes.json");
  fs.writeFileSync(file, JSON.stringify(requests));
  const responses = JSON.parse(execFileSync(eventlab, ["table", file], { maxBuffer: 1 << 28 }).toString());

  // The rebuilt records per table, in the order the table wrote them.
  const rebuilt = new Map();
  for (const { write, reads } of writes) {
    if (responses[write]?.error !== undefined) {
      problems.push(`the replayed write ${requests[write].op} on ${requests[write].request.TableName ?? "a transaction"} failed: ${responses[write].error.message}`);
      continue;
    }
    for (const { table, key, before, after } of reads) {
      const oldItem = responses[before]?.Item;
      const newItem = responses[after]?.Item;
      if (canonical(oldItem ?? null) === canonical(newItem ?? null)) continue;
      const list = rebuilt.get(table) ?? [];
      list.push({ table, key, oldItem, newItem, eventName: oldItem === undefined ? "INSERT" : newItem === undefined ? "REMOVE" : "MODIFY" });
      rebuilt.set(table, list);
    }
  }
  const seen = new Map();
  for (const event of trace.filter((e) => e.kind === "streamRecord")) {
    const index = seen.get(event.node) ?? 0;
    seen.set(event.node, index + 1);
    const record = rebuilt.get(event.node)?.[index];
    if (record === undefined || record.eventName !== event.eventName || canonical(record.key) !== canonical(event.keys)) {
      problems.push(`stream record ${event.sequence} of ${event.node} (${event.eventName} ${canonical(event.keys)}) was not rebuilt from the writes`);
      continue;
    }
    byPosition.set(event.seq, wireRecord(record, event, views.get(event.node)));
  }
  return { byPosition, problems };
}

/** The record as core's tables write it (core/src/dynamo/table.rs, `Table::write`). */
function wireRecord(record, event, view) {
  const dynamodb = { ApproximateCreationDateTime: Math.floor(event.atMs / 1000), Keys: event.keys };
  let size = itemSize(event.keys);
  if ((view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES") && record.newItem !== undefined) {
    dynamodb.NewImage = record.newItem;
    size += itemSize(record.newItem);
  }
  if ((view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES") && record.oldItem !== undefined) {
    dynamodb.OldImage = record.oldItem;
    size += itemSize(record.oldItem);
  }
  dynamodb.SequenceNumber = event.sequence;
  dynamodb.SizeBytes = size;
  dynamodb.StreamViewType = view;
  return {
    eventID: `${event.node}-${event.sequence}`,
    eventName: event.eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb,
  };
}

module.exports = { streamRecords };
