//! The declarations of the CDK app, one function per kind of resource, each appending
//! TypeScript statements (indented for the stack's constructor) in document order.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use crate::design::{Design, NodeKind};

use super::{
    asset_name, construct_id, environment_name, json_expression, node, resource_value,
    used_resources, variable,
};
use crate::export::names::{literal, pascal};

const INDENT: &str = "    ";

pub fn buses(design: &Design, out: &mut String) {
    for bus in design
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Bus(_)))
    {
        let _ = writeln!(
            out,
            "{INDENT}const {} = new events.EventBus(this, {});",
            variable(bus),
            construct_id(bus)
        );
    }
}

/// Queues, each after its dead-letter queue (a redrive policy needs the DLQ first).
pub fn queues(design: &Design, out: &mut String) {
    let queues: Vec<_> = design
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Queue(_)))
        .collect();
    let mut declared: Vec<&str> = Vec::new();
    for _ in 0..queues.len() {
        for queue in &queues {
            let NodeKind::Queue(settings) = &queue.kind else {
                continue;
            };
            if declared.contains(&queue.id.as_str()) {
                continue;
            }
            let dead_letter = settings
                .dead_letter_queue
                .as_deref()
                .filter(|d| *d != queue.id);
            if let Some(dlq) = dead_letter {
                let known = queues.iter().any(|q| q.id == dlq);
                if known && !declared.contains(&dlq) {
                    continue;
                }
            }
            let mut props = vec![format!(
                "visibilityTimeout: Duration.seconds({})",
                settings.visibility_timeout_s
            )];
            if settings.fifo {
                props.push("fifo: true".to_string());
                if settings.content_based_deduplication {
                    props.push("contentBasedDeduplication: true".to_string());
                }
            }
            if let (Some(dlq), Some(max)) = (
                dead_letter.and_then(|d| node(design, d)),
                settings.max_receive_count,
            ) {
                props.push(format!(
                    "deadLetterQueue: {{ queue: {}, maxReceiveCount: {max} }}",
                    variable(dlq)
                ));
            }
            let _ = writeln!(
                out,
                "{INDENT}const {} = new sqs.Queue(this, {}, {{ {} }});",
                variable(queue),
                construct_id(queue),
                props.join(", ")
            );
            declared.push(&queue.id);
        }
    }
}

pub fn tables(design: &Design, out: &mut String) {
    for table in &design.nodes {
        let NodeKind::Table(settings) = &table.kind else {
            continue;
        };
        let key = |name: &str, attribute_type: &str| {
            let kind = match attribute_type {
                "N" => "NUMBER",
                "B" => "BINARY",
                _ => "STRING",
            };
            format!(
                "{{ name: {}, type: dynamodb.AttributeType.{kind} }}",
                literal(name)
            )
        };
        let mut props = vec![
            format!(
                "partitionKey: {}",
                key(
                    &settings.partition_key.name,
                    &settings.partition_key.attribute_type
                )
            ),
            "billingMode: dynamodb.BillingMode.PAY_PER_REQUEST".to_string(),
            "removalPolicy: RemovalPolicy.DESTROY".to_string(),
        ];
        if let Some(sort) = &settings.sort_key {
            props.insert(
                1,
                format!("sortKey: {}", key(&sort.name, &sort.attribute_type)),
            );
        }
        if let Some(stream) = stream_view(settings.stream.as_deref()) {
            props.push(format!("stream: dynamodb.StreamViewType.{stream}"));
        }
        let _ = writeln!(
            out,
            "{INDENT}const {} = new dynamodb.Table(this, {}, {{ {} }});",
            variable(table),
            construct_id(table),
            props.join(", ")
        );
    }
}

fn stream_view(stream: Option<&str>) -> Option<&'static str> {
    match stream? {
        "KEYS_ONLY" => Some("KEYS_ONLY"),
        "NEW_IMAGE" => Some("NEW_IMAGE"),
        "OLD_IMAGE" => Some("OLD_IMAGE"),
        "NEW_AND_OLD_IMAGES" => Some("NEW_AND_OLD_IMAGES"),
        _ => None,
    }
}

pub fn functions(design: &Design, out: &mut String) {
    let any = design
        .nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::Function(_)));
    if any {
        let _ = writeln!(out, "{INDENT}const code = lambda.Code.fromAsset(path.join(__dirname, \"..\", \"handlers\", \"dist\"));");
    }
    for function in &design.nodes {
        let NodeKind::Function(settings) = &function.kind else {
            continue;
        };
        let timeout_s = settings.timeout_ms.div_ceil(1000).max(1);
        let mut props = vec![
            "runtime: lambda.Runtime.NODEJS_24_X".to_string(),
            format!(
                "handler: {}",
                literal(&format!("{}.handler", asset_name(&function.id)))
            ),
            "code".to_string(),
            format!("timeout: Duration.seconds({timeout_s})"),
        ];
        if let Some(reserved) = settings.reserved_concurrency {
            props.push(format!("reservedConcurrentExecutions: {reserved}"));
        }
        let _ = writeln!(
            out,
            "{INDENT}const {} = new lambda.Function(this, {}, {{ {} }});",
            variable(function),
            construct_id(function),
            props.join(", ")
        );
    }
}

/// Each function's `EVENTLAB_<ID>` variables: the real names of the resources its steps use.
/// Set once every resource exists, so a function may use one declared after it.
pub fn environments(design: &Design, out: &mut String) {
    for function in &design.nodes {
        let NodeKind::Function(settings) = &function.kind else {
            continue;
        };
        for used in used_resources(design, &settings.steps) {
            if used.id == function.id {
                continue;
            }
            let (name, value) = match (&used.kind, resource_value(used)) {
                (NodeKind::ExternalApi(_), _) => (
                    environment_name(&format!("{}-url", used.id)),
                    literal(&format!("https://{}.example.invalid/", used.id)),
                ),
                (_, Some(value)) => (environment_name(&used.id), value),
                _ => continue,
            };
            let _ = writeln!(
                out,
                "{INDENT}{}.addEnvironment({name}, {value});",
                variable(function)
            );
        }
    }
}

pub fn state_machines(design: &Design, out: &mut String) {
    for machine in &design.nodes {
        let NodeKind::StateMachine(settings) = &machine.kind else {
            continue;
        };
        let mut substitutions: Vec<(String, String)> = Vec::new();
        let definition = substitute(design, &settings.definition, &mut substitutions);
        let kind = if settings.express {
            "EXPRESS"
        } else {
            "STANDARD"
        };
        let mut props = vec![
            format!(
                "definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({}))",
                json_expression(&definition)
            ),
            format!("stateMachineType: sfn.StateMachineType.{kind}"),
        ];
        if !substitutions.is_empty() {
            let entries: Vec<String> = substitutions
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            props.push(format!(
                "definitionSubstitutions: {{ {} }}",
                entries.join(", ")
            ));
        }
        let _ = writeln!(
            out,
            "{INDENT}const {} = new sfn.StateMachine(this, {}, {{ {} }});",
            variable(machine),
            construct_id(machine),
            props.join(", ")
        );
        for (_, used) in &substitutions {
            let grant = if used.ends_with(".functionArn") {
                format!(
                    "{}.grantInvoke({})",
                    used.trim_end_matches(".functionArn"),
                    variable(machine)
                )
            } else if used.ends_with(".tableName") {
                format!(
                    "{}.grantReadWriteData({})",
                    used.trim_end_matches(".tableName"),
                    variable(machine)
                )
            } else if used.ends_with(".queueUrl") {
                format!(
                    "{}.grantSendMessages({})",
                    used.trim_end_matches(".queueUrl"),
                    variable(machine)
                )
            } else {
                format!(
                    "{}.grantPutEventsTo({})",
                    used.trim_end_matches(".eventBusName"),
                    variable(machine)
                )
            };
            let _ = writeln!(out, "{INDENT}{grant};");
        }
    }
}

/// Replaces design ids in `FunctionName`, `EventBusName`, `TableName` and `QueueUrl` with
/// `${Name}` substitutions.
fn substitute(design: &Design, value: &Value, substitutions: &mut Vec<(String, String)>) -> Value {
    match value {
        Value::Object(object) => {
            let mut replaced = Map::new();
            for (key, inner) in object {
                let named = match (key.as_str(), inner.as_str().and_then(|id| node(design, id))) {
                    ("FunctionName", Some(target))
                        if matches!(target.kind, NodeKind::Function(_)) =>
                    {
                        Some((
                            format!("Function{}", pascal(&target.id)),
                            format!("{}.functionArn", variable(target)),
                        ))
                    }
                    ("EventBusName", Some(target)) if matches!(target.kind, NodeKind::Bus(_)) => {
                        Some((
                            format!("Bus{}", pascal(&target.id)),
                            format!("{}.eventBusName", variable(target)),
                        ))
                    }
                    ("TableName", Some(target)) if matches!(target.kind, NodeKind::Table(_)) => {
                        Some((
                            format!("Table{}", pascal(&target.id)),
                            format!("{}.tableName", variable(target)),
                        ))
                    }
                    ("QueueUrl", Some(target)) if matches!(target.kind, NodeKind::Queue(_)) => {
                        Some((
                            format!("Queue{}", pascal(&target.id)),
                            format!("{}.queueUrl", variable(target)),
                        ))
                    }
                    _ => None,
                };
                match named {
                    Some((name, expression)) => {
                        replaced.insert(key.clone(), json!(format!("${{{name}}}")));
                        if !substitutions.iter().any(|(n, _)| *n == name) {
                            substitutions.push((name, expression));
                        }
                    }
                    None => {
                        replaced.insert(key.clone(), substitute(design, inner, substitutions));
                    }
                }
            }
            Value::Object(replaced)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(design, v, substitutions))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What each function may do with the resources its steps use.
pub fn permissions(design: &Design, out: &mut String) {
    for function in &design.nodes {
        let NodeKind::Function(settings) = &function.kind else {
            continue;
        };
        let me = variable(function);
        for used in used_resources(design, &settings.steps) {
            let var = variable(used);
            let grant = match used.kind {
                NodeKind::Table(_) => format!("{var}.grantReadWriteData({me})"),
                NodeKind::Bus(_) => format!("{var}.grantPutEventsTo({me})"),
                NodeKind::Queue(_) => format!("{var}.grantSendMessages({me})"),
                NodeKind::StateMachine(_) => format!("{var}.grantStartExecution({me})"),
                NodeKind::Function(_) if used.id != function.id => {
                    format!("{var}.grantInvoke({me})")
                }
                _ => continue,
            };
            let _ = writeln!(out, "{INDENT}{grant};");
        }
        // A task token does not say which state machine issued it, so a handler that answers
        // tokens may answer any state machine that waits for them.
        if super::answers_task_tokens(&settings.steps) {
            for machine in &design.nodes {
                if matches!(&machine.kind, NodeKind::StateMachine(m) if m.waits_for_task_tokens()) {
                    let _ = writeln!(
                        out,
                        "{INDENT}{}.grantTaskResponse({me});",
                        variable(machine)
                    );
                }
            }
        }
    }
}

/// Asynchronous invocation: retries, event age and the on-failure destination.
pub fn async_configs(design: &Design, out: &mut String) {
    for function in &design.nodes {
        let NodeKind::Function(settings) = &function.kind else {
            continue;
        };
        let mut props = vec![
            format!("retryAttempts: {}", settings.async_retry_attempts.min(2)),
            format!(
                "maxEventAge: Duration.seconds({})",
                settings.async_max_event_age_s.clamp(60, 21_600)
            ),
        ];
        if let Some(destination) = settings
            .on_failure
            .as_deref()
            .and_then(|id| node(design, id))
        {
            let var = variable(destination);
            let made = match destination.kind {
                NodeKind::Queue(_) => Some(format!("new destinations.SqsDestination({var})")),
                NodeKind::Bus(_) => Some(format!("new destinations.EventBridgeDestination({var})")),
                NodeKind::Function(_) => Some(format!("new destinations.LambdaDestination({var})")),
                _ => None,
            };
            if let Some(made) = made {
                props.push(format!("onFailure: {made}"));
            }
        }
        let _ = writeln!(
            out,
            "{INDENT}{}.configureAsyncInvoke({{ {} }});",
            variable(function),
            props.join(", ")
        );
    }
}

/// Event source mappings: a queue or a table stream feeding a function.
pub fn triggers(design: &Design, out: &mut String) {
    for trigger in &design.triggers {
        let (Some(source), Some(function)) = (
            node(design, &trigger.source),
            node(design, &trigger.function),
        ) else {
            continue;
        };
        if !matches!(function.kind, NodeKind::Function(_)) {
            continue;
        }
        let mut props = vec![format!("batchSize: {}", trigger.batch_size.max(1))];
        if trigger.report_batch_item_failures {
            props.push("reportBatchItemFailures: true".to_string());
        }
        if let Some(filter) = &trigger.filter {
            props.push(format!(
                "filters: [{{ pattern: JSON.stringify({}) }}]",
                json_expression(filter)
            ));
        }
        let made = match &source.kind {
            NodeKind::Queue(_) => format!(
                "new sources.SqsEventSource({}, {{ {} }})",
                variable(source),
                props.join(", ")
            ),
            NodeKind::Table(table) if table.stream.is_some() => {
                props.insert(
                    0,
                    "startingPosition: lambda.StartingPosition.TRIM_HORIZON".to_string(),
                );
                if let Some(retries) = trigger.maximum_retry_attempts {
                    props.push(format!("retryAttempts: {retries}"));
                }
                format!(
                    "new sources.DynamoEventSource({}, {{ {} }})",
                    variable(source),
                    props.join(", ")
                )
            }
            _ => continue,
        };
        let _ = writeln!(
            out,
            "{INDENT}{}.addEventSource({made});",
            variable(function)
        );
    }
}

pub fn rules(design: &Design, out: &mut String) {
    for bus in &design.nodes {
        let NodeKind::Bus(settings) = &bus.kind else {
            continue;
        };
        for rule in &settings.rules {
            let rule_var = format!("rule{}{}", pascal(&bus.id), pascal(&rule.id));
            let _ = writeln!(
                out,
                "{INDENT}const {rule_var} = new events.Rule(this, {}, {{ eventBus: {}, eventPattern: {{ source: events.Match.prefix(\"\") }} }});",
                literal(&format!("Rule{}{}", pascal(&bus.id), pascal(&rule.id))),
                variable(bus)
            );
            let _ = writeln!(out, "{INDENT}// The design's pattern, verbatim.");
            let _ = writeln!(
                out,
                "{INDENT}({rule_var}.node.defaultChild as events.CfnRule).eventPattern = {};",
                json_expression(&rule.pattern)
            );
            for (index, target) in rule.targets.iter().enumerate() {
                rule_target(design, &rule_var, index, target, out);
            }
        }
    }
}

fn rule_target(
    design: &Design,
    rule_var: &str,
    index: usize,
    target: &crate::design::Target,
    out: &mut String,
) {
    let Some(node) = node(design, &target.node) else {
        return;
    };
    let var = variable(node);
    let mut props = Vec::new();
    let retry_capable = !matches!(node.kind, NodeKind::Bus(_));
    if retry_capable {
        props.push(format!(
            "retryAttempts: {}",
            target.retry_policy.maximum_retry_attempts.min(185)
        ));
        props.push(format!(
            "maxEventAge: Duration.seconds({})",
            target.retry_policy.maximum_event_age_s.clamp(60, 86_400)
        ));
    }
    if let Some(dlq) = target
        .dead_letter_queue
        .as_deref()
        .and_then(|d| super::node(design, d))
    {
        props.push(format!("deadLetterQueue: {}", variable(dlq)));
    }
    if let NodeKind::Queue(queue) = &node.kind {
        if queue.fifo {
            props.push("messageGroupId: \"default\"".to_string());
        }
    }
    let options = format!("{{ {} }}", props.join(", "));
    let made = match node.kind {
        NodeKind::Function(_) => format!("new targets.LambdaFunction({var}, {options})"),
        NodeKind::Queue(_) => format!("new targets.SqsQueue({var}, {options})"),
        NodeKind::StateMachine(_) => format!("new targets.SfnStateMachine({var}, {options})"),
        NodeKind::Bus(_) => format!("new targets.EventBus({var}, {options})"),
        _ => return,
    };
    let _ = writeln!(out, "{INDENT}{rule_var}.addTarget({made});");
    let cfn = format!("({rule_var}.node.defaultChild as events.CfnRule)");
    if let Some(transformer) = &target.input_transformer {
        let value = json!({"InputPathsMap": transformer.input_paths_map, "InputTemplate": transformer.input_template});
        let _ = writeln!(
            out,
            "{INDENT}{cfn}.addPropertyOverride(\"Targets.{index}.InputTransformer\", {});",
            json_expression(&value)
        );
    }
    if let Some(input_path) = &target.input_path {
        let _ = writeln!(
            out,
            "{INDENT}{cfn}.addPropertyOverride(\"Targets.{index}.InputPath\", {});",
            literal(input_path)
        );
    }
}

/// EventBridge Pipes from a table stream or a queue to a bus (the outbox relay).
pub fn pipes(design: &Design, out: &mut String) {
    for pipe in &design.nodes {
        let NodeKind::Pipe(settings) = &pipe.kind else {
            continue;
        };
        let (Some(source), Some(target)) = (
            node(design, &settings.source),
            node(design, &settings.target),
        ) else {
            continue;
        };
        let role = format!("{}Role", variable(pipe));
        let _ = writeln!(out, "{INDENT}const {role} = new iam.Role(this, {}, {{ assumedBy: new iam.ServicePrincipal(\"pipes.amazonaws.com\") }});", literal(&format!("Pipe{}Role", pascal(&pipe.id))));
        let filter = settings
            .filter
            .as_ref()
            .map(|f| {
                format!(
                    ", filterCriteria: {{ filters: [{{ pattern: JSON.stringify({}) }}] }}",
                    json_expression(f)
                )
            })
            .unwrap_or_default();
        let (source_arn, source_parameters) = match &source.kind {
            NodeKind::Table(table) if table.stream.is_some() => {
                let _ = writeln!(out, "{INDENT}{}.grantStreamRead({role});", variable(source));
                (format!("{}.tableStreamArn!", variable(source)), format!("{{ dynamoDbStreamParameters: {{ startingPosition: \"TRIM_HORIZON\", batchSize: 10 }}{filter} }}"))
            }
            NodeKind::Queue(_) => {
                let _ = writeln!(
                    out,
                    "{INDENT}{}.grantConsumeMessages({role});",
                    variable(source)
                );
                (
                    format!("{}.queueArn", variable(source)),
                    format!("{{ sqsQueueParameters: {{ batchSize: 10 }}{filter} }}"),
                )
            }
            _ => continue,
        };
        if !matches!(target.kind, NodeKind::Bus(_)) {
            continue;
        }
        let _ = writeln!(
            out,
            "{INDENT}{}.grantPutEventsTo({role});",
            variable(target)
        );
        let target_parameters = match &settings.event_path {
            // The record's image is DynamoDB JSON: the CloudEvent's source and type are read from
            // their string attributes. The detail stays in DynamoDB JSON; add an enrichment to
            // unmarshal it if consumers need plain JSON.
            Some(path) if path.starts_with("$.dynamodb.") => format!(
                ", targetParameters: {{ eventBridgeEventBusParameters: {{ source: {}, detailType: {} }}, inputTemplate: {} }}",
                literal(&format!("{path}.M.source.S")),
                literal(&format!("{path}.M.type.S")),
                literal(&format!("<{path}.M>"))
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{INDENT}new pipes.CfnPipe(this, {}, {{ roleArn: {role}.roleArn, source: {source_arn}, sourceParameters: {source_parameters}, target: {}.eventBusArn{target_parameters} }});",
            construct_id(pipe),
            variable(target)
        );
    }
}
