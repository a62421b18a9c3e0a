// The input of a simulated invocation, rebuilt from the run's trace in the shape AWS delivers it
// for the function's source, so the exported handler can be run on exactly what the simulated
// one received:
//   async:      the EventBridge event the bus published (the same for every attempt);
//   queue:      `{Records: [...]}` of SQS messages, with their receive counts;
//   stream:     `{Records: [...]}` of DynamoDB stream records in the wire shape, the batch the
//               consumer took (from the record that caused the invocation, up to the trigger's
//               batch size, of the records the trigger had seen by then);
//   execution:  the Step Functions task payload (`Payload` of `lambda:invoke`, else the task's
//               parameters), from the task's TaskScheduled history event;
//   invoke:     the `Payload` of the calling step's InvokeCommand.
// Anything else (an input transformer, an on-failure record) gives a reason instead of an input.
"use strict";
const { streamRecords } = require("./stream-records");

class RunInputs {
  constructor({ eventlab, design, trace, scratch, matches }) {
    this.eventlab = eventlab;
    this.design = design;
    this.trace = trace;
    this.scratch = scratch;
    this.matches = matches;
    this.bySeq = new Map(trace.map((e) => [e.seq, e]));
    this.records = null;
  }

  /** `{input}` for the invocation that `started` began, or `{reason}` when it cannot be rebuilt. */
  inputOf(started) {
    const [kind, ...rest] = started.source.split(":");
    const origin = rest.join(":");
    switch (kind) {
      case "async": return this.asyncInput(started);
      case "queue": return this.queueInput(started);
      case "stream": return this.streamInput(started, origin);
      case "execution": return this.executionInput(started, origin);
      case "invoke": return this.invokeInput(started, origin);
      default: return { reason: `an input from ${started.source}` };
    }
  }

  asyncInput(started) {
    // Every attempt of one async event shares its source; the first attempt was caused by the
    // delivery.
    const delivered = this.trace
      .filter((e) => e.kind === "invocationStarted" && e.source === started.source)
      .map((e) => this.bySeq.get(e.cause))
      .find((e) => e?.kind === "delivered");
    if (delivered === undefined) return { reason: "an async event that no rule delivered (an on-failure record)" };
    const published = this.bySeq.get(delivered.cause);
    const bus = (this.design.nodes ?? []).find((n) => n.kind === "bus" && (n.rules ?? []).some((r) => r.id === delivered.rule));
    const target = bus?.rules.find((r) => r.id === delivered.rule).targets.find((t) => t.node === delivered.target);
    if (published?.kind !== "published" || target === undefined) return { reason: "a delivery without its published event" };
    if (target.inputTransformer !== undefined || target.inputPath !== undefined) return { reason: "a target with an input transformer or input path" };
    return { input: published.event };
  }

  queueInput(started) {
    const received = this.trace.filter((e) => e.kind === "messageReceived" && e.invocation === started.invocation);
    const records = received.map((r) => {
      const sent = this.trace.find((e) => e.kind === "messageSent" && e.message === r.message);
      return { messageId: r.message, body: JSON.stringify(sent.body), attributes: { ApproximateReceiveCount: String(r.receiveCount) }, eventSource: "aws:sqs" };
    });
    return { input: { Records: records } };
  }

  streamInput(started, consumer) {
    const trigger = (this.design.triggers ?? []).find((t) => t.id === consumer);
    if (trigger === undefined) return { reason: `no trigger ${consumer}` };
    if (this.records === null) this.records = streamRecords(this.eventlab, this.design, this.trace, this.scratch);
    if (this.records.problems.length > 0) return { reason: this.records.problems.join("; ") };
    // The consumer's shard holds the trigger table's records in trace order; the batch starts at
    // the record that caused the invocation.
    const seen = this.trace.filter((e) => e.kind === "streamRecord" && e.node === trigger.source && e.seq >= started.cause && e.seq < started.seq);
    const batch = [];
    for (const event of seen) {
      const record = this.records.byPosition.get(event.seq);
      if (record === undefined) return { reason: `stream record ${event.sequence} could not be rebuilt` };
      if (trigger.filter !== undefined && !this.matches(trigger.filter, record)) continue;
      batch.push(record);
      if (batch.length === (trigger.batchSize ?? 10)) break;
    }
    if (batch.length === 0 || this.bySeq.get(started.cause)?.kind !== "streamRecord") return { reason: "a stream batch without its first record" };
    return { input: { Records: batch } };
  }

  executionInput(started, execution) {
    // An execution schedules its Lambda tasks and then starts their invocations in the same
    // order, so the k-th invocation of this function by this execution ran the k-th task
    // scheduled for it.
    const ofFunction = (e) => e.execution === execution || e.source === `execution:${execution}`;
    const starts = this.trace.filter((e) => e.kind === "invocationStarted" && e.node === started.node && ofFunction(e));
    const tasks = this.trace.filter(
      (e) => e.kind === "execution" && ofFunction(e) && e.event === "TaskScheduled" && taskFunction(e.detail.resource, e.detail.parameters) === started.node,
    );
    const scheduled = tasks[starts.indexOf(started)];
    if (scheduled === undefined || scheduled.seq > started.seq) return { reason: "a task without its TaskScheduled event" };
    const { resource, parameters } = scheduled.detail;
    const wrap = resource.startsWith("arn:aws:states:::lambda:invoke");
    return { input: wrap ? parameters.Payload : parameters, task: { execution, state: scheduled.state, attempt: scheduled.detail.attempt, wrap } };
  }

  invokeInput(started, parent) {
    const step = this.bySeq.get(started.cause);
    if (step?.kind !== "step" || step.op !== "invoke" || step.invocation !== parent) return { reason: "an invoke without its calling step" };
    return { input: step.request.Payload };
  }

  /** What the Step Functions task got back from the function (its output's Payload). */
  taskResult(task, after) {
    const done = this.trace.find(
      (e) => e.seq > after && e.kind === "execution" && e.execution === task.execution && e.state === task.state && e.detail.attempt === task.attempt && e.event === "TaskSucceeded",
    );
    if (done === undefined) return undefined;
    return task.wrap ? done.detail.output?.Payload : done.detail.output;
  }
}

/** The function a Step Functions task invokes, as the simulator names it. */
function taskFunction(resource, parameters) {
  let name;
  if (resource.startsWith("arn:aws:states:::lambda:invoke")) name = parameters?.FunctionName;
  else if (resource.startsWith("arn:aws:lambda:")) name = resource;
  if (typeof name !== "string") return undefined;
  const parts = name.split(":function:");
  return (parts.length > 1 ? parts[1] : name).split(":")[0];
}

module.exports = { RunInputs };
