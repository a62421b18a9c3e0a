// What a batch invocation left to come again, as the simulator decided and as the exported
// handler reported it. A handler that reports batch item failures returns
// `{batchItemFailures: [{itemIdentifier}]}`; the simulator shows the same decision in its trace:
//   SQS:     the batch's messages its finish did not delete;
//   streams: the record the consumer's next attempt starts from (Lambda checkpoints before the
//            lowest reported sequence number), or records discarded when retries ran out.
// A whole failed batch and a report naming every record of it (or, for a stream, its first
// record) have the same effect on AWS: everything comes again. The simulator fails a
// one-record batch outright where the handler reports it, so the two count as equal.
"use strict";

/** The problems of a reported batch outcome, compared with the simulated one. */
function batchProblems(trace, started, finished, input, result, threw) {
  const kind = started.source.split(":")[0];
  if ((kind !== "queue" && kind !== "stream") || threw !== null || !Array.isArray(result?.batchItemFailures)) return [];
  const reported = result.batchItemFailures.map((f) => f.itemIdentifier);
  const records = input.Records ?? [];
  const identifier = kind === "queue" ? (r) => r.messageId : (r) => r.dynamodb.SequenceNumber;
  if (!finished.ok) {
    const whole = kind === "queue" ? records.every((r) => reported.includes(identifier(r))) : reported.includes(identifier(records[0]));
    return whole ? [] : [`the simulator failed the whole batch, the handler reported only ${JSON.stringify(reported)}`];
  }
  if (kind === "queue") {
    const deleted = new Set(trace.filter((e) => e.kind === "messageDeleted" && e.cause === finished.seq).map((e) => e.message));
    const kept = records.map(identifier).filter((id) => !deleted.has(id));
    return sameSet(kept, reported) ? [] : [`the simulator kept ${JSON.stringify(kept)} for another receive, the handler reported ${JSON.stringify(reported)}`];
  }
  const consumer = started.source;
  const retry = trace.find((e) => e.seq > finished.seq && e.kind === "invocationStarted" && e.source === consumer);
  const discarded = trace.some((e) => e.kind === "discarded" && e.cause === finished.seq);
  const resumesAt = retry !== undefined && retry.attempt > 1 ? trace.find((e) => e.seq === retry.cause)?.sequence : undefined;
  const lowest = reported.slice().sort()[0];
  if (resumesAt !== undefined) {
    return lowest === resumesAt ? [] : [`the simulator resumed the shard at ${resumesAt}, the handler reported ${JSON.stringify(reported)}`];
  }
  if (discarded) return reported.length > 0 ? [] : ["the simulator retried the batch until it was discarded, the handler reported no failure"];
  return reported.length === 0 ? [] : [`the simulator moved past the batch, the handler reported ${JSON.stringify(reported)}`];
}

function sameSet(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

module.exports = { batchProblems };
