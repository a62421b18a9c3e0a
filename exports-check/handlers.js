// Runs each exported handler in node with its AWS clients mocked by aws-sdk-client-mock, on the
// input of one simulated invocation per function (from `eventlab run --format json`), and
// checks it makes the same requests, in the same order, with the same expressions and values,
// and emits the same events as the simulator's trace says that invocation did. Ids and times
// the simulator derives (a new event's id and time) are normalised away; everything else must
// be equal. Where the trace has a rejected condition, the mock throws the same error, so the
// step's onConditionFailed (fail, skip, stop) is exercised too.
"use strict";
const path = require("node:path");
const { mockClient } = require("aws-sdk-client-mock");
const lib = require("@aws-sdk/lib-dynamodb");
const { ConditionalCheckFailedException, TransactionCanceledException } = require("@aws-sdk/client-dynamodb");
const { EventBridgeClient, PutEventsCommand } = require("@aws-sdk/client-eventbridge");
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const { SFNClient, StartExecutionCommand } = require("@aws-sdk/client-sfn");
const { designNames, readJson, canonical, Verdict } = require("./common");

const [out, build] = process.argv.slice(2).map((p) => path.resolve(p));
const verdict = new Verdict("handlers");

// ---- the wire shape, as the simulator marshals document-client values ----------------------
function marshal(value) {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === "boolean") return { BOOL: value };
  if (typeof value === "number") return { N: String(value) };
  if (typeof value === "string") return { S: value };
  if (Array.isArray(value)) return { L: value.map(marshal) };
  return { M: marshalMap(value) };
}
function marshalMap(object) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, marshal(v)]));
}
function unmarshal(wire) {
  const [tag, inner] = Object.entries(wire)[0];
  switch (tag) {
    case "NULL": return null;
    case "N": return Number(inner);
    case "L": return inner.map(unmarshal);
    case "M": return unmarshalMap(inner);
    default: return inner;
  }
}
function unmarshalMap(object) {
  return Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k, unmarshal(v)]));
}
function wireRequest(input) {
  const copy = { ...input };
  for (const field of ["Item", "Key", "ExpressionAttributeValues"]) if (copy[field] !== undefined) copy[field] = marshalMap(copy[field]);
  if (copy.TransactItems !== undefined) {
    copy.TransactItems = copy.TransactItems.map((entry) => Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, wireRequest(v)])));
  }
  return copy;
}
function withoutNulls(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}
function normalisedEvent(detail) {
  const copy = { ...detail };
  if (copy.correlationid === copy.id) copy.correlationid = "<its own id>";
  delete copy.id;
  delete copy.time;
  return copy;
}

// ---- one expected call after another ---------------------------------------------------------
const covered = new Set();
let expected = [];
let problems = [];

function next(op, request) {
  const event = expected.shift();
  if (event === undefined) {
    problems.push(`an extra ${op} call: ${JSON.stringify(request)}`);
    throw new Error("unexpected call");
  }
  if (event.kind === "conditionFailed") {
    if (event.error === "TransactionCanceledException") {
      throw new TransactionCanceledException({ message: event.message, $metadata: {}, CancellationReasons: [{ Code: "ConditionalCheckFailed" }] });
    }
    throw new ConditionalCheckFailedException({ message: event.message, $metadata: {} });
  }
  if (event.op !== op) {
    problems.push(`step ${event.step}: the simulator made ${event.op}, the handler ${op}`);
    return {};
  }
  const [mine, theirs] = normalise(op, request, event.request);
  if (canonical(mine) !== canonical(theirs)) {
    problems.push(`step ${event.step} ${op}: handler sent ${canonical(mine)}, simulator ${canonical(theirs)}`);
  }
  return respond(op, event.response);
}

function normalise(op, request, traced) {
  switch (op) {
    case "emit": {
      const entry = request.Entries[0];
      const theirs = traced.Entries[0];
      return [
        { ...entry, Detail: normalisedEvent(JSON.parse(entry.Detail)) },
        { ...theirs, Detail: normalisedEvent(theirs.Detail) },
      ];
    }
    case "send":
      return [withoutNulls({ ...request, MessageBody: JSON.parse(request.MessageBody) }), withoutNulls(traced)];
    case "startExecution":
      return [{ stateMachineArn: request.stateMachineArn, input: JSON.parse(request.input) }, traced];
    case "call":
      return [request, traced];
    default:
      return [wireRequest(request), traced];
  }
}

function respond(op, response) {
  switch (op) {
    case "GetItem": return { Item: response.Item === undefined ? undefined : unmarshalMap(response.Item) };
    case "UpdateItem": return { Attributes: response.Attributes === undefined ? undefined : unmarshalMap(response.Attributes) };
    case "Query": return { Items: (response.Items ?? []).map(unmarshalMap) };
    case "emit": return { FailedEntryCount: 0, Entries: [{ EventId: "mocked" }] };
    case "startExecution": return { executionArn: response.executionArn, startDate: new Date(0) };
    case "send": return { MessageId: "mocked" };
    default: return response;
  }
}

const documents = mockClient(lib.DynamoDBDocumentClient);
for (const [command, op] of [["GetCommand", "GetItem"], ["PutCommand", "PutItem"], ["UpdateCommand", "UpdateItem"], ["DeleteCommand", "DeleteItem"], ["QueryCommand", "Query"], ["TransactWriteCommand", "TransactWriteItems"]]) {
  documents.on(lib[command]).callsFake((input) => next(op, input));
}
mockClient(EventBridgeClient).on(PutEventsCommand).callsFake((input) => next("emit", input));
mockClient(SQSClient).on(SendMessageCommand).callsFake((input) => next("send", input));
mockClient(SFNClient).on(StartExecutionCommand).callsFake((input) => next("startExecution", input));

// ---- the invocations to replay ----------------------------------------------------------------
function invocationInput(trace, design, started) {
  const bySeq = new Map(trace.map((e) => [e.seq, e]));
  if (started.source.startsWith("async:")) {
    const delivered = bySeq.get(started.cause);
    if (delivered?.kind !== "delivered") return null;
    const published = bySeq.get(delivered.cause);
    const bus = (design.nodes ?? []).find((n) => n.kind === "bus" && (n.rules ?? []).some((r) => r.id === delivered.rule));
    const target = bus?.rules.find((r) => r.id === delivered.rule).targets.find((t) => t.node === delivered.target);
    if (published?.kind !== "published" || target === undefined || target.inputTransformer !== undefined || target.inputPath !== undefined) return null;
    return published.event;
  }
  if (started.source.startsWith("queue:")) {
    const received = trace.filter((e) => e.kind === "messageReceived" && e.invocation === started.invocation);
    const records = received.map((r) => {
      const sent = trace.find((e) => e.kind === "messageSent" && e.message === r.message);
      return { messageId: r.message, body: JSON.stringify(sent.body), attributes: { ApproximateReceiveCount: String(r.receiveCount) }, eventSource: "aws:sqs" };
    });
    return { Records: records };
  }
  return null;
}

async function replay(name, design, run) {
  const trace = run.trace;
  const chosen = new Map();
  for (const started of trace.filter((e) => e.kind === "invocationStarted" && e.attempt === 1)) {
    const events = trace.filter((e) => e.invocation === started.invocation && e !== started);
    const finished = events.find((e) => e.kind === "invocationFinished");
    const calls = events.filter((e) => e.kind === "step" || e.kind === "conditionFailed");
    const clean = finished !== undefined && (finished.ok || /ConditionalCheckFailed|TransactionCanceled/.test(finished.error ?? ""));
    const function_ = (design.nodes ?? []).find((n) => n.id === started.node);
    const invokes = JSON.stringify(function_?.steps ?? []).includes('"op":"invoke"');
    if (!clean || invokes || calls.some((c) => c.op === "invoke")) continue;
    const key = `${started.node}/${calls.some((c) => c.kind === "conditionFailed")}`;
    if (chosen.has(key)) continue;
    const input = invocationInput(trace, design, started);
    if (input === null) continue;
    chosen.set(key, { started, calls, finished, input });
  }
  for (const [key, { started, calls, finished, input }] of chosen) {
    const handlerModule = require(path.join(build, name, "handlers", `${started.node}.js`));
    const runtime = require(path.join(build, name, "handlers", "runtime.js"));
    for (const api of (design.nodes ?? []).filter((n) => n.kind === "externalApi")) {
      runtime.setExternalApi(api.id, async (request) => next("call", { api: api.id, ...request }));
    }
    expected = calls.map((c) => ({ ...c, request: c.request, response: c.response }));
    problems = [];
    let threw = null;
    try {
      await handlerModule.handler(input);
    } catch (error) {
      threw = error;
    }
    if (expected.length > 0) problems.push(`${expected.length} simulated calls not made, first ${expected[0].op ?? expected[0].kind} at ${expected[0].step}`);
    if ((threw === null) !== finished.ok) problems.push(`the simulator's invocation ${finished.ok ? "succeeded" : "failed"}, the handler ${threw === null ? "succeeded" : "threw " + threw}`);
    verdict.expect(problems.length === 0, `${name} ${started.invocation} (${key}): ${problems.join("; ")}`);
  }
  for (const { started } of chosen.values()) covered.add(`${name}/${started.node}`);
  return chosen.size;
}

async function main() {
  let replayed = 0;
  for (const name of designNames(out)) {
    replayed += await replay(name, readJson(path.join(out, name, "design.json")), readJson(path.join(out, name, "run.json")));
  }
  let functions = 0;
  for (const name of designNames(out)) {
    functions += (readJson(path.join(out, name, "design.json")).nodes ?? []).filter((n) => n.kind === "function").length;
  }
  // Not replayed: functions fed only by a state machine, a stream or a synchronous invoke, and
  // handlers with an invoke step (their input or answers are not in the trace as requests).
  console.log(`exports-check: handlers: replayed ${replayed} simulated invocations of ${covered.size} of ${functions} functions`);
  verdict.finish();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
