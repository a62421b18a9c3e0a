//! `ts`: a TypeScript Lambda handler for every function (AWS SDK v3), in `handlers/`: the
//! design's steps one by one with the same expressions, names and values, the shared runtime
//! (`handlers/runtime.ts`: context, CloudEvents with correlation and causation ids, resource
//! names, `if` conditions) and a `tsconfig.json` for `tsc --strict`.
//!
//! The handler's signature follows what feeds the function: an SQS batch (`SQSEvent`, with
//! `batchItemFailures` when the trigger reports them), a DynamoDB stream batch
//! (`DynamoDBStreamEvent`), an EventBridge event (`EventBridgeEvent`), or any payload (a state
//! machine task or a synchronous invoke).

use crate::design::{Design, NodeKind};

use super::names::{file_name, literal};
use super::typescript_steps::StepWriter;
use super::ExportFile;

const RUNTIME: &str = include_str!("runtime.ts");

/// What feeds a function, which decides its handler's signature.
enum Feed {
    Queue { report_failures: bool },
    Stream { report_failures: bool },
    EventBridge,
    Direct,
}

pub fn export(design: &Design) -> Vec<ExportFile> {
    let mut files = vec![
        ExportFile {
            path: "handlers/runtime.ts".to_string(),
            text: RUNTIME.to_string(),
        },
        ExportFile {
            path: "handlers/tsconfig.json".to_string(),
            text: TSCONFIG.to_string(),
        },
    ];
    for node in &design.nodes {
        let NodeKind::Function(function) = &node.kind else {
            continue;
        };
        let mut body = String::new();
        let source_of = |event_type: &str| {
            design
                .event_types
                .iter()
                .find(|t| t.type_name == event_type)
                .map(|t| format!("/{}", t.source))
                .unwrap_or_else(|| "/unknown".to_string())
        };
        StepWriter {
            out: &mut body,
            source_of: &source_of,
        }
        .steps(&function.steps, "s", 2);
        let text = handler_file(design, &node.id, &body, &feed_of(design, &node.id));
        files.push(ExportFile {
            path: format!("handlers/{}.ts", file_name(&node.id)),
            text,
        });
    }
    files
}

fn feed_of(design: &Design, function: &str) -> Feed {
    for trigger in design.triggers.iter().filter(|t| t.function == function) {
        let source = design.nodes.iter().find(|n| n.id == trigger.source);
        match source.map(|n| &n.kind) {
            Some(NodeKind::Queue(_)) => {
                return Feed::Queue {
                    report_failures: trigger.report_batch_item_failures,
                }
            }
            Some(NodeKind::Table(_)) => {
                return Feed::Stream {
                    report_failures: trigger.report_batch_item_failures,
                }
            }
            _ => {}
        }
    }
    let targeted = design.nodes.iter().any(|n| match &n.kind {
        NodeKind::Bus(bus) => bus
            .rules
            .iter()
            .any(|r| r.targets.iter().any(|t| t.node == function)),
        _ => false,
    });
    if targeted {
        Feed::EventBridge
    } else {
        Feed::Direct
    }
}

fn handler_file(design: &Design, function: &str, body: &str, feed: &Feed) -> String {
    let design_name = if design.name.is_empty() {
        "an EventLab design"
    } else {
        design.name.as_str()
    };
    let mut text = format!(
        "// {function}: a Lambda handler exported by EventLab from {}.\n// Each step is the AWS call the design simulates, with the same expressions, names and values.\n",
        literal(design_name)
    );
    text.push_str(IMPORTS);
    text.push_str("\n/** One input record through the design's steps; `ctx.result`, when a step saved it, is the handler's result. */\n");
    text.push_str("export async function handleRecord(record: unknown): Promise<Context> {\n  const ctx: Context = contextOf(record);\n");
    text.push_str(body);
    text.push_str("  return ctx;\n}\n\n");
    text.push_str(match feed {
        Feed::Queue {
            report_failures: true,
        } => SQS_REPORTING,
        Feed::Queue {
            report_failures: false,
        } => SQS_WHOLE_BATCH,
        Feed::Stream {
            report_failures: true,
        } => STREAM_REPORTING,
        Feed::Stream {
            report_failures: false,
        } => STREAM_WHOLE_BATCH,
        Feed::EventBridge => EVENTBRIDGE,
        Feed::Direct => DIRECT,
    });
    text
}

const IMPORTS: &str = r#"import type { DynamoDBBatchResponse, DynamoDBStreamEvent, EventBridgeEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import {
  callApi, cloudEvent, condition, Context, contextOf, documents, events, HandlerError, isConditionFailed,
  isTokenRejected, lambdas, queues, resource, stepFunctions, sum, text,
} from "./runtime";

// Imported for every handler so each reads the same; a handler uses the ones its steps need.
void [DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, PutEventsCommand,
  SendMessageCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, InvokeCommand, callApi,
  cloudEvent, condition, documents, events, HandlerError, isConditionFailed, isTokenRejected, lambdas, queues,
  resource, stepFunctions, sum, text];
export type { DynamoDBBatchResponse, DynamoDBStreamEvent, EventBridgeEvent, SQSBatchResponse, SQSEvent };
"#;

const SQS_REPORTING: &str = r#"/** An SQS batch: a failed record is reported in batchItemFailures and only it is redelivered. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await handleRecord(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
"#;

const SQS_WHOLE_BATCH: &str = r#"/** An SQS batch: a failed record fails the whole batch, which SQS redelivers after the visibility timeout. */
export async function handler(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    await handleRecord(record);
  }
}
"#;

const STREAM_REPORTING: &str = r#"/** A DynamoDB stream batch: every record is handled and each failed one reported; Lambda resumes
 * the shard from the lowest reported sequence number, so the records after it come again. */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await handleRecord(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" });
    }
  }
  return { batchItemFailures };
}
"#;

const STREAM_WHOLE_BATCH: &str = r#"/** A DynamoDB stream batch: a failed record fails the batch, retried until it succeeds or expires. */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  for (const record of event.Records) {
    await handleRecord(record);
  }
}
"#;

const EVENTBRIDGE: &str = r#"/** An EventBridge event (asynchronous invocation: Lambda retries a failure twice by default). */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<unknown> {
  const ctx = await handleRecord(event);
  return "result" in ctx ? ctx.result : event;
}
"#;

const DIRECT: &str = r#"/** A direct payload (a state machine task or a synchronous invoke). */
export async function handler(event: unknown): Promise<unknown> {
  const ctx = await handleRecord(event);
  return "result" in ctx ? ctx.result : event;
}
"#;

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "strict": true,
    "target": "ES2022",
    "module": "commonjs",
    "moduleResolution": "node",
    "outDir": "dist",
    "rootDir": ".",
    "esModuleInterop": true,
    "skipLibCheck": true,
    "types": ["node"]
  },
  "include": ["*.ts"]
}
"#;
