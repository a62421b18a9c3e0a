//! `cdk`: an AWS CDK v2 TypeScript app (`cdk/app.ts`) declaring the design's buses, queues with
//! their dead-letter queues, tables with key schema and streams, functions (the `ts` export,
//! compiled into `handlers/dist`, as a `lambda.Code.fromAsset` folder, runtime nodejs24.x: 20.x
//! has been deprecated since 2026-04-30 and refuses new functions from 2027-02-01), event
//! source mappings, rules with their patterns and input transformers, pipes (`CfnPipe`) and
//! state machines (the ASL JSON as the definition body).
//!
//! Rule patterns, input transformers and input paths are written into the synthesized template
//! verbatim (through the L1 `CfnRule`), so the template says exactly what the design says.
//! Resources a definition names by design id (a function in `FunctionName`, a bus in
//! `EventBusName`, a table in `TableName`, a queue in `QueueUrl`) become definition
//! substitutions of the real ARNs, names and URLs, with the state machine granted their use.
//! A function that answers task tokens is granted `grantTaskResponse` on every state machine
//! with a `.waitForTaskToken` task.

use serde_json::Value;

use crate::design::{Design, Node, NodeKind, Step, TransactItem};

use super::names::{environment_variable, file_name, literal, pascal};
use super::ExportFile;

mod declare;

pub fn export(design: &Design) -> Vec<ExportFile> {
    let mut body = String::new();
    declare::buses(design, &mut body);
    declare::queues(design, &mut body);
    declare::tables(design, &mut body);
    declare::functions(design, &mut body);
    declare::state_machines(design, &mut body);
    declare::environments(design, &mut body);
    declare::permissions(design, &mut body);
    declare::async_configs(design, &mut body);
    declare::triggers(design, &mut body);
    declare::rules(design, &mut body);
    declare::pipes(design, &mut body);
    let stack = format!(
        "{}Stack",
        pascal(if design.name.is_empty() {
            "EventLab"
        } else {
            &design.name
        })
    );
    let stack = if stack.len() > 120 {
        "EventLabStack".to_string()
    } else {
        stack
    };
    let text = format!("{HEADER}\nexport class DesignStack extends Stack {{\n  constructor(scope: Construct, id: string, props?: StackProps) {{\n    super(scope, id, props);\n{body}  }}\n}}\n\nconst app = new App();\nnew DesignStack(app, {});\napp.synth();\n", literal(&stack));
    vec![
        ExportFile {
            path: "cdk/app.ts".to_string(),
            text,
        },
        ExportFile {
            path: "cdk/cdk.json".to_string(),
            text: CDK_JSON.to_string(),
        },
    ]
}

/// The TypeScript variable of a node (`tableOrders`, `functionChargePayment`).
fn variable(node: &Node) -> String {
    format!("{}{}", node.kind.name(), pascal(&node.id))
}

/// The CloudFormation-facing construct id of a node (`TableOrders`).
fn construct_id(node: &Node) -> String {
    literal(&format!("{}{}", pascal(node.kind.name()), pascal(&node.id)))
}

/// The node with this id, if the design has it.
fn node<'a>(design: &'a Design, id: &str) -> Option<&'a Node> {
    design.nodes.iter().find(|n| n.id == id)
}

/// The resources a handler's steps use, as (node, what the handler needs of it).
fn used_resources<'a>(design: &'a Design, steps: &'a [Step]) -> Vec<&'a Node> {
    let mut ids: Vec<&str> = Vec::new();
    collect_ids(steps, &mut ids);
    let mut used: Vec<&Node> = Vec::new();
    for id in ids {
        if let Some(found) = node(design, id) {
            if !used.iter().any(|n| n.id == found.id) {
                used.push(found);
            }
        }
    }
    used
}

fn collect_ids<'a>(steps: &'a [Step], ids: &mut Vec<&'a str>) {
    for step in steps {
        match step {
            Step::Get(s) => ids.push(&s.table),
            Step::Put(s) | Step::Update(s) | Step::Delete(s) => ids.push(&s.table),
            Step::Query(s) => ids.push(&s.table),
            Step::TransactWrite(s) => ids.extend(s.items.iter().map(|i| match i {
                TransactItem::Put(w)
                | TransactItem::Update(w)
                | TransactItem::Delete(w)
                | TransactItem::ConditionCheck(w) => w.table.as_str(),
            })),
            Step::Emit(s) => ids.push(&s.bus),
            Step::Send(s) => ids.push(&s.queue),
            Step::Invoke(s) => ids.push(&s.function),
            Step::StartExecution(s) => ids.push(&s.state_machine),
            Step::Call(s) => ids.push(&s.api),
            Step::If(s) => {
                collect_ids(&s.then, ids);
                collect_ids(&s.otherwise, ids);
            }
            // A task token names no resource: `declare::permissions` grants the answer on
            // every state machine that waits for tokens.
            Step::SendTaskSuccess(_) | Step::SendTaskFailure(_) | Step::Fail(_) => {}
        }
    }
}

/// Whether a handler answers task tokens (`sendTaskSuccess`, `sendTaskFailure`), at any depth.
fn answers_task_tokens(steps: &[Step]) -> bool {
    steps.iter().any(|step| match step {
        Step::SendTaskSuccess(_) | Step::SendTaskFailure(_) => true,
        Step::If(s) => answers_task_tokens(&s.then) || answers_task_tokens(&s.otherwise),
        _ => false,
    })
}

/// The value a handler reads from `EVENTLAB_<ID>` for a resource.
fn resource_value(used: &Node) -> Option<String> {
    let var = variable(used);
    Some(match &used.kind {
        NodeKind::Table(_) => format!("{var}.tableName"),
        NodeKind::Bus(_) => format!("{var}.eventBusName"),
        NodeKind::Queue(_) => format!("{var}.queueUrl"),
        NodeKind::StateMachine(_) => format!("{var}.stateMachineArn"),
        NodeKind::Function(_) => format!("{var}.functionName"),
        _ => return None,
    })
}

/// A JSON value as a TypeScript expression (JSON is valid TypeScript).
fn json_expression(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

fn environment_name(id: &str) -> String {
    literal(&environment_variable(id))
}

fn asset_name(id: &str) -> String {
    file_name(id)
}

const HEADER: &str = r#"// An AWS CDK v2 app exported by EventLab. Build the handlers first (`tsc -p ../handlers`, which
// writes ../handlers/dist), then `cdk synth` or `cdk deploy`. Rule patterns and input
// transformers are set verbatim on the CloudFormation resources, as the design has them.
import * as path from "node:path";
import { App, Duration, RemovalPolicy, Stack, StackProps } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import * as sources from "aws-cdk-lib/aws-lambda-event-sources";
import * as pipes from "aws-cdk-lib/aws-pipes";
import * as sqs from "aws-cdk-lib/aws-sqs";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";

// Every namespace is imported whatever the design holds, so each app reads the same.
void [dynamodb, events, targets, iam, lambda, destinations, sources, pipes, sqs, sfn, Duration, RemovalPolicy];
"#;

const CDK_JSON: &str = "{\n  \"app\": \"npx ts-node app.ts\"\n}\n";
