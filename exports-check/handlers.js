// Runs each exported handler in node with its AWS clients mocked by aws-sdk-client-mock, on the
// input of a simulated invocation (from `eventlab run --format json`), and checks it makes the
// same requests, in the same order, with the same expressions and values, and emits the same
// events as the simulator's trace says that invocation did. Ids and times the simulator derives
// (a new event's id and time) are normalised away; everything else must be equal. Where the
// trace has a rejected condition, the mock throws the same error, so the step's
// onConditionFailed (fail, skip, stop) is exercised too; where Step Functions refused a task
// token, the mocked SFN client throws the same exception (TaskTimedOut, InvalidToken) for the
// step's onTokenRejected. A synchronous invoke runs the invoked
// function's exported handler in the same process, on the same expected calls, and hands its
// result back as the InvokeCommand's Payload; a Step Functions task's result must be what the
// simulated task got back, and a batch's reported item failures what the simulator redelivers.
//
// Every function of every design must be replayed at least once (inputs: replay-inputs.js;
// runs and variants: replay-runs.js); the stage fails otherwise.
//
//   node handlers.js OUT BUILD EVENTLAB
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { mockClient } = require("aws-sdk-client-mock");
const lib = require("@aws-sdk/lib-dynamodb");
const { ConditionalCheckFailedException, TransactionCanceledException } = require("@aws-sdk/client-dynamodb");
const { EventBridgeClient, PutEventsCommand } = require("@aws-sdk/client-eventbridge");
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const { SFNClient, StartExecutionCommand, SendTaskSuccessCommand, SendTaskFailureCommand, ...sfnErrors } = require("@aws-sdk/client-sfn");
const { LambdaClient, InvokeCommand } = require("@aws-sdk/client-lambda");
const { designNames, readJson, canonical, Verdict } = require("./common");
const { RunInputs } = require("./replay-inputs");
const { batchProblems } = require("./batch-outcomes");
const { variants, runVariant, chooseInvocations } = require("./replay-runs");

const [out, build, eventlab] = process.argv.slice(2).map((p) => path.resolve(p));
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
  // Step Functions refused the token (TaskTimedOut, InvalidToken): the SDK throws its exception.
  const refusal = (op === "sendTaskSuccess" || op === "sendTaskFailure") ? event.response?.error : undefined;
  if (refusal !== undefined) {
    const Refusal = sfnErrors[refusal.type];
    if (Refusal === undefined) throw Object.assign(new Error(refusal.message), { name: refusal.type });
    throw new Refusal({ message: refusal.message, $metadata: {} });
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
    case "invoke":
      return [{ ...request, Payload: JSON.parse(new TextDecoder().decode(request.Payload)) }, traced];
    case "sendTaskSuccess":
      return [{ ...request, output: JSON.parse(request.output) }, traced];
    case "sendTaskFailure":
      return [request, traced];
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
const stepFunctions = mockClient(SFNClient);
stepFunctions.on(StartExecutionCommand).callsFake((input) => next("startExecution", input));
stepFunctions.on(SendTaskSuccessCommand).callsFake((input) => next("sendTaskSuccess", input));
stepFunctions.on(SendTaskFailureCommand).callsFake((input) => next("sendTaskFailure", input));
mockClient(LambdaClient).on(InvokeCommand).callsFake(async (input) => {
  const step = expected[0];
  next("invoke", input);
  return invokeChild(step);
});

// ---- a synchronous invoke runs the invoked function's handler ------------------------------
let replaying = null;

/** Runs the function the traced invoke step started, as Lambda answers a RequestResponse call. */
async function invokeChild(step) {
  const child = replaying.trace.find((e) => e.kind === "invocationStarted" && e.cause === step?.seq && e.source === `invoke:${step.invocation}`);
  if (child === undefined) {
    problems.push(`step ${step?.step}: the simulator started no invoked function`);
    return { StatusCode: 200 };
  }
  const encode = (value) => new TextEncoder().encode(JSON.stringify(value ?? null));
  try {
    const result = await handlerOf(replaying.name, child.node)(step.request.Payload);
    return { StatusCode: 200, ExecutedVersion: "$LATEST", Payload: encode(result) };
  } catch (error) {
    return { StatusCode: 200, FunctionError: "Unhandled", Payload: encode({ errorType: error.name, errorMessage: error.message }) };
  }
}

function handlerOf(name, functionId) {
  return require(path.join(build, name, "handlers", `${functionId}.js`)).handler;
}

// ---- the invocations to replay ----------------------------------------------------------------

/** Functions no run can replay, with the reason; each entry must say why (none so far). */
const NOT_REPLAYABLE = new Map([]);

/** Replays one chosen invocation, recording the verdict; the reason instead when its input
 * cannot be rebuilt (the function is then looked for in other runs). */
async function replayInvocation(name, design, inputs, { started, calls, finished }, label) {
  const rebuilt = inputs.inputOf(started);
  if (rebuilt.input === undefined) return rebuilt.reason;
  const runtime = require(path.join(build, name, "handlers", "runtime.js"));
  for (const api of (design.nodes ?? []).filter((n) => n.kind === "externalApi")) {
    runtime.setExternalApi(api.id, async (request) => next("call", { api: api.id, ...request }));
  }
  replaying = { name, trace: inputs.trace };
  expected = calls.slice();
  problems = [];
  let threw = null;
  let result;
  try {
    result = await handlerOf(name, started.node)(rebuilt.input);
  } catch (error) {
    threw = error;
  }
  if (expected.length > 0) problems.push(`${expected.length} simulated calls not made, first ${expected[0].op ?? expected[0].kind} at ${expected[0].step}`);
  const batch = batchProblems(inputs.trace, started, finished, rebuilt.input, result, threw);
  // A report naming the whole batch is the simulator's failed batch (batch-outcomes.js).
  const reportedWhole = !finished.ok && threw === null && (result?.batchItemFailures?.length ?? 0) > 0 && batch.length === 0;
  if ((threw === null) !== finished.ok && !reportedWhole) problems.push(`the simulator's invocation ${finished.ok ? "succeeded" : "failed"}, the handler ${threw === null ? "succeeded" : "threw " + threw}`);
  problems.push(...batch);
  if (rebuilt.task !== undefined && threw === null) {
    const taskResult = inputs.taskResult(rebuilt.task, started.seq);
    if (taskResult !== undefined && canonical(taskResult) !== canonical(result ?? null)) {
      problems.push(`the task got ${canonical(taskResult)} from the simulated function, ${canonical(result ?? null)} from the handler`);
    }
  }
  verdict.expect(problems.length === 0, `${name} ${started.node} ${started.invocation} (${label}, ${started.source}): ${problems.join("; ")}`);
  return null;
}

/** Replays every function of one design: from its run, then from variants for the rest. */
async function replayDesign(name) {
  const folder = path.join(out, name);
  const design = readJson(path.join(folder, "design.json"));
  const functions = (design.nodes ?? []).filter((n) => n.kind === "function").map((n) => n.id);
  const covered = new Map();
  const reasons = new Map();
  const runs = [{ label: "the design's run", run: () => readJson(path.join(folder, "run.json")) }].concat(
    variants(design).map((variant, index) => ({ label: variant.label, run: () => runVariant(eventlab, folder, index, variant) })),
  );
  let invocations = 0;
  for (const { label, run } of runs) {
    if (functions.every((f) => covered.has(f) || NOT_REPLAYABLE.has(`${name}/${f}`))) break;
    const trace = run().trace;
    const inputs = new RunInputs({ eventlab, design, trace, scratch: folder, matches: (pattern, event) => matches(folder, pattern, event) });
    const done = new Set(covered.keys());
    for (const choice of chooseInvocations(trace, design, done)) {
      const reason = await replayInvocation(name, design, inputs, choice, label);
      if (reason !== null) {
        reasons.set(choice.started.node, reason);
        continue;
      }
      invocations += 1;
      covered.set(choice.started.node, label);
    }
  }
  for (const f of functions) {
    if (covered.has(f)) {
      if (covered.get(f) !== "the design's run") console.log(`exports-check: handlers: ${name} ${f} replayed from a variant run (${covered.get(f)})`);
    } else if (NOT_REPLAYABLE.has(`${name}/${f}`)) {
      console.log(`exports-check: handlers: ${name} ${f} not replayed: ${NOT_REPLAYABLE.get(`${name}/${f}`)}`);
    } else {
      verdict.expect(false, `${name} ${f}: not replayed (${reasons.get(f) ?? "no run invoked it cleanly"})`);
    }
  }
  return { functions: functions.length, replayed: covered.size, invocations };
}

/** Whether an event pattern matches a value, by the simulator's matcher (`eventlab match`). */
function matches(folder, pattern, event) {
  const patternFile = path.join(folder, "filter-pattern.json");
  const eventFile = path.join(folder, "filter-event.json");
  fs.writeFileSync(patternFile, JSON.stringify(pattern));
  fs.writeFileSync(eventFile, JSON.stringify(event));
  return execFileSync(eventlab, ["match", patternFile, eventFile]).toString().trim() === "true";
}

async function main() {
  const totals = { functions: 0, replayed: 0, invocations: 0 };
  for (const name of designNames(out)) {
    const counts = await replayDesign(name);
    for (const key of Object.keys(totals)) totals[key] += counts[key];
  }
  console.log(
    `exports-check: handlers: replayed ${totals.replayed} of ${totals.functions} functions ` +
      `(${totals.invocations} simulated invocations; ${NOT_REPLAYABLE.size} named exceptions)`,
  );
  verdict.finish();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
