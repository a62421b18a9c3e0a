//! TypeScript for handler steps: each step becomes the AWS SDK v3 call the simulator makes, with
//! the same expressions, names and values (`$.` references become reads of the context), and
//! ConditionalCheckFailed handled as the step's `onConditionFailed` says (fail: rethrow, skip:
//! go on, stop: end this record successfully); a refused task token is handled the same way
//! by `onTokenRejected`.

use serde_json::{Map, Value};

use crate::design::{
    CallStep, EmitStep, Expressions, OnConditionFailed, OnTokenRejected, Step, TransactItem,
    WriteStep,
};

use super::names::literal;

/// Generates the statements of a step list, indented by `indent` spaces.
pub struct StepWriter<'a> {
    pub out: &'a mut String,
    /// The event type's CloudEvent source (`/orders`) for each emitted type.
    pub source_of: &'a dyn Fn(&str) -> String,
}

impl StepWriter<'_> {
    pub fn steps(&mut self, steps: &[Step], label_prefix: &str, indent: usize) {
        for (index, step) in steps.iter().enumerate() {
            let label = format!("{label_prefix}{}", index + 1);
            self.step(step, &label, indent);
        }
    }

    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn step(&mut self, step: &Step, label: &str, indent: usize) {
        self.line(indent, &format!("// {label}: {}", step.op_name()));
        match step {
            Step::Get(get) => {
                let request = object(&[
                    ("TableName", table(&get.table)),
                    ("Key", expression(&get.key)),
                    ("ConsistentRead", get.consistent_read.to_string()),
                ]);
                self.line(
                    indent,
                    &format!(
                        "const {} = await documents.send(new GetCommand({request}));",
                        var(label)
                    ),
                );
                self.line(
                    indent,
                    &format!(
                        "ctx[{}] = {}.Item ?? null;",
                        literal(&get.save_as),
                        var(label)
                    ),
                );
            }
            Step::Put(write) => self.write(write, "Put", label, indent),
            Step::Update(write) => self.write(write, "Update", label, indent),
            Step::Delete(write) => self.write(write, "Delete", label, indent),
            Step::Query(query) => {
                let mut fields = vec![
                    ("TableName", table(&query.table)),
                    ("KeyConditionExpression", literal(&query.key_condition)),
                    ("ScanIndexForward", query.scan_index_forward.to_string()),
                ];
                if let Some(filter) = &query.filter {
                    fields.push(("FilterExpression", literal(filter)));
                }
                if let Some(limit) = query.limit {
                    fields.push(("Limit", limit.to_string()));
                }
                push_expressions(&mut fields, &query.expressions);
                self.line(
                    indent,
                    &format!(
                        "const {} = await documents.send(new QueryCommand({}));",
                        var(label),
                        object(&fields)
                    ),
                );
                self.line(
                    indent,
                    &format!(
                        "ctx[{}] = {}.Items ?? [];",
                        literal(&query.save_as),
                        var(label)
                    ),
                );
            }
            Step::TransactWrite(transaction) => {
                let items: Vec<String> = transaction.items.iter().map(transact_item).collect();
                let mut fields = vec![("TransactItems", format!("[{}]", items.join(", ")))];
                if let Some(token) = &transaction.client_request_token {
                    fields.push(("ClientRequestToken", format!("text({})", expression(token))));
                }
                let call = format!(
                    "await documents.send(new TransactWriteCommand({}));",
                    object(&fields)
                );
                self.guarded(&[call], transaction.on_condition_failed, indent);
            }
            Step::Emit(emit) => self.emit(emit, label, indent),
            Step::Send(send) => {
                let mut fields = vec![
                    ("QueueUrl", format!("resource({})", literal(&send.queue))),
                    (
                        "MessageBody",
                        format!("JSON.stringify({})", expression(&send.body)),
                    ),
                ];
                if let Some(group) = &send.message_group_id {
                    fields.push(("MessageGroupId", format!("text({})", expression(group))));
                }
                if let Some(deduplication) = &send.deduplication_id {
                    fields.push((
                        "MessageDeduplicationId",
                        format!("text({})", expression(deduplication)),
                    ));
                }
                self.line(
                    indent,
                    &format!(
                        "await queues.send(new SendMessageCommand({}));",
                        object(&fields)
                    ),
                );
            }
            Step::Invoke(invoke) => {
                let request = object(&[
                    (
                        "FunctionName",
                        format!("resource({})", literal(&invoke.function)),
                    ),
                    ("InvocationType", literal("RequestResponse")),
                    (
                        "Payload",
                        format!(
                            "new TextEncoder().encode(JSON.stringify({}))",
                            expression(&invoke.payload)
                        ),
                    ),
                ]);
                self.line(
                    indent,
                    &format!(
                        "const {} = await lambdas.send(new InvokeCommand({request}));",
                        var(label)
                    ),
                );
                self.line(indent, &format!("if ({}.FunctionError !== undefined) throw new HandlerError(\"InvokedFunctionFailed\", {}.FunctionError);", var(label), var(label)));
                if let Some(save_as) = &invoke.save_as {
                    self.line(indent, &format!("ctx[{}] = {}.Payload === undefined ? null : JSON.parse(new TextDecoder().decode({}.Payload));", literal(save_as), var(label), var(label)));
                }
            }
            Step::StartExecution(start) => {
                let mut fields = vec![
                    (
                        "stateMachineArn",
                        format!("resource({})", literal(&start.state_machine)),
                    ),
                    (
                        "input",
                        format!("JSON.stringify({})", expression(&start.input)),
                    ),
                ];
                if let Some(name) = &start.name {
                    fields.push(("name", format!("text({})", expression(name))));
                }
                self.line(
                    indent,
                    &format!(
                        "await stepFunctions.send(new StartExecutionCommand({}));",
                        object(&fields)
                    ),
                );
            }
            Step::SendTaskSuccess(send) => {
                let request = object(&[
                    (
                        "taskToken",
                        format!("text({})", expression(&send.task_token)),
                    ),
                    (
                        "output",
                        format!("JSON.stringify({})", expression(&send.output)),
                    ),
                ]);
                let call =
                    format!("await stepFunctions.send(new SendTaskSuccessCommand({request}));");
                self.token_guarded(&call, send.on_token_rejected, indent);
            }
            Step::SendTaskFailure(send) => {
                let mut fields = vec![
                    (
                        "taskToken",
                        format!("text({})", expression(&send.task_token)),
                    ),
                    ("error", format!("text({})", expression(&send.error))),
                ];
                if !send.cause.is_null() {
                    fields.push(("cause", format!("text({})", expression(&send.cause))));
                }
                let call = format!(
                    "await stepFunctions.send(new SendTaskFailureCommand({}));",
                    object(&fields)
                );
                self.token_guarded(&call, send.on_token_rejected, indent);
            }
            Step::Call(call) => self.call(call, label, indent),
            Step::If(decision) => {
                let condition = format!(
                    "condition({}, {}, {}, ctx)",
                    literal(&decision.condition),
                    names_object(&decision.expressions),
                    values_object(&decision.expressions)
                );
                self.line(indent, &format!("if ({condition}) {{"));
                self.steps(&decision.then, &format!("{label}.then."), indent + 2);
                if decision.otherwise.is_empty() {
                    self.line(indent, "}");
                } else {
                    self.line(indent, "} else {");
                    self.steps(&decision.otherwise, &format!("{label}.else."), indent + 2);
                    self.line(indent, "}");
                }
            }
            Step::Fail(fail) => {
                self.line(
                    indent,
                    &format!(
                        "throw new HandlerError({}, {});",
                        literal(&fail.error),
                        literal(&fail.cause)
                    ),
                );
            }
        }
    }

    fn write(&mut self, write: &WriteStep, kind: &str, label: &str, indent: usize) {
        let request = write_request(write, kind);
        let lines = match (&write.save_as, kind) {
            (Some(save_as), "Update") => vec![
                format!(
                    "const {} = await documents.send(new UpdateCommand({request}));",
                    var(label)
                ),
                format!(
                    "ctx[{}] = {}.Attributes ?? null;",
                    literal(save_as),
                    var(label)
                ),
            ],
            _ => vec![format!(
                "await documents.send(new {kind}Command({request}));"
            )],
        };
        self.guarded(&lines, write.on_condition_failed, indent);
    }

    /// A write whose ConditionalCheckFailed is handled as `onConditionFailed` says.
    fn guarded(&mut self, lines: &[String], on_condition_failed: OnConditionFailed, indent: usize) {
        if on_condition_failed == OnConditionFailed::Fail {
            for line in lines {
                self.line(indent, line);
            }
            return;
        }
        self.line(indent, "try {");
        for line in lines {
            self.line(indent + 2, line);
        }
        self.line(indent, "} catch (error) {");
        self.line(indent + 2, "if (!isConditionFailed(error)) throw error;");
        match on_condition_failed {
            OnConditionFailed::Stop => {
                self.line(indent + 2, "// The condition failed: the work was already done, so this record is finished.");
                self.line(indent + 2, "return ctx;");
            }
            _ => self.line(
                indent + 2,
                "// The condition failed: carry on with the next step.",
            ),
        }
        self.line(indent, "}");
    }

    /// A SendTask call whose refused token (`TaskTimedOut`, `InvalidToken`) is handled as
    /// `onTokenRejected` says.
    fn token_guarded(&mut self, call: &str, on_token_rejected: OnTokenRejected, indent: usize) {
        if on_token_rejected == OnTokenRejected::Fail {
            self.line(indent, call);
            return;
        }
        self.line(indent, "try {");
        self.line(indent + 2, call);
        self.line(indent, "} catch (error) {");
        self.line(indent + 2, "if (!isTokenRejected(error)) throw error;");
        match on_token_rejected {
            OnTokenRejected::Stop => {
                self.line(
                    indent + 2,
                    "// The task was already answered (or never waited): this record is finished.",
                );
                self.line(indent + 2, "return ctx;");
            }
            _ => self.line(
                indent + 2,
                "// The token was refused: carry on with the next step.",
            ),
        }
        self.line(indent, "}");
    }

    fn emit(&mut self, emit: &EmitStep, label: &str, indent: usize) {
        let source = (self.source_of)(&emit.event_type);
        self.line(
            indent,
            &format!(
                "const {} = cloudEvent(ctx, {}, {}, {}, {});",
                var(label),
                literal(&emit.event_type),
                literal(&source),
                expression(&emit.data),
                emit.carry_correlation
            ),
        );
        let entry = object(&[
            ("EventBusName", format!("resource({})", literal(&emit.bus))),
            ("Source", literal(&source)),
            ("DetailType", literal(&emit.event_type)),
            ("Detail", format!("JSON.stringify({})", var(label))),
        ]);
        self.line(indent, &format!("const {}Result = await events.send(new PutEventsCommand({{ Entries: [{entry}] }}));", var(label)));
        self.line(indent, &format!("if (({}Result.FailedEntryCount ?? 0) > 0) throw new HandlerError(\"PutEventsFailed\", JSON.stringify({}Result.Entries));", var(label), var(label)));
    }

    fn call(&mut self, call: &CallStep, label: &str, indent: usize) {
        let idempotency_key = match &call.idempotency_key {
            Some(key) => format!("text({})", expression(key)),
            None => "null".to_string(),
        };
        let request = object(&[
            ("key", format!("text({})", expression(&call.key))),
            ("idempotencyKey", idempotency_key),
            ("payload", expression(&call.payload)),
        ]);
        self.line(
            indent,
            &format!(
                "const {} = await callApi({}, {request});",
                var(label),
                literal(&call.api)
            ),
        );
        if let Some(save_as) = &call.save_as {
            self.line(
                indent,
                &format!("ctx[{}] = {};", literal(save_as), var(label)),
            );
        }
    }
}

/// `s2.then.1` → `s2Then1`: a variable for a step's result.
fn var(label: &str) -> String {
    super::names::camel(label)
}

fn table(id: &str) -> String {
    format!("resource({})", literal(id))
}

/// An object literal from (key, TypeScript expression) pairs.
fn object(fields: &[(&str, String)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {v}", property(k)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn property(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        literal(name)
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn push_expressions(fields: &mut Vec<(&str, String)>, expressions: &Expressions) {
    if !expressions.names.is_empty() {
        fields.push(("ExpressionAttributeNames", names_object(expressions)));
    }
    if !expressions.values.is_empty() {
        fields.push(("ExpressionAttributeValues", values_object(expressions)));
    }
}

/// ExpressionAttributeNames; a name may itself be a reference, read as key text.
fn names_object(expressions: &Expressions) -> String {
    if expressions.names.is_empty() {
        return "{}".to_string();
    }
    let parts: Vec<String> = expressions
        .names
        .iter()
        .map(|(k, v)| {
            let value = if v.starts_with("$.") || v == "$" {
                format!("text({})", expression(&Value::String(v.clone())))
            } else {
                literal(v)
            };
            format!("{}: {value}", literal(k))
        })
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn values_object(expressions: &Expressions) -> String {
    if expressions.values.is_empty() {
        return "{}".to_string();
    }
    let parts: Vec<String> = expressions
        .values
        .iter()
        .map(|(k, v)| format!("{}: {}", literal(k), expression(v)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn write_request(write: &WriteStep, kind: &str) -> String {
    let mut fields = vec![("TableName", table(&write.table))];
    match kind {
        "Put" => fields.push((
            "Item",
            write
                .item
                .as_ref()
                .map(expression)
                .unwrap_or_else(|| "{}".into()),
        )),
        _ => fields.push((
            "Key",
            write
                .key
                .as_ref()
                .map(expression)
                .unwrap_or_else(|| "{}".into()),
        )),
    }
    if let Some(update) = &write.update {
        fields.push(("UpdateExpression", literal(update)));
    }
    if let Some(condition) = &write.condition {
        fields.push(("ConditionExpression", literal(condition)));
    }
    push_expressions(&mut fields, &write.expressions);
    if kind == "Update" {
        fields.push(("ReturnValues", literal("ALL_NEW")));
    }
    object(&fields)
}

fn transact_item(item: &TransactItem) -> String {
    let (name, write, kind) = match item {
        TransactItem::Put(w) => ("Put", w, "Put"),
        TransactItem::Update(w) => ("Update", w, "UpdateInTransaction"),
        TransactItem::Delete(w) => ("Delete", w, "Delete"),
        TransactItem::ConditionCheck(w) => ("ConditionCheck", w, "ConditionCheck"),
    };
    format!("{{ {name}: {} }}", write_request(write, kind))
}

/// A step value as a TypeScript expression: `$.` references read the context (a missing path
/// is null, as in the simulator), `{"literal": x}` is `x`, anything else is itself.
pub fn expression(value: &Value) -> String {
    match value {
        Value::String(text) if text == "$" => "ctx".to_string(),
        Value::String(text) => match text.strip_prefix("$.") {
            Some(path) => reference(path),
            None if text.contains("{$.") => interpolation(text),
            None => literal(text),
        },
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(expression).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(object) => object_expression(object),
        other => other.to_string(),
    }
}

fn object_expression(object: &Map<String, Value>) -> String {
    if object.len() == 1 {
        if let Some(literal_value) = object.get("literal") {
            return literal_value.to_string();
        }
        if let Some(Value::Array(terms)) = object.get("add") {
            let terms: Vec<String> = terms.iter().map(expression).collect();
            return format!("sum({})", terms.join(", "));
        }
    }
    if object.is_empty() {
        return "{}".to_string();
    }
    let parts: Vec<String> = object
        .iter()
        .map(|(k, v)| format!("{}: {}", property(k), expression(v)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// `"pay-{$.data.orderId}"` → `("pay-" + text((ctx.data?.orderId ?? null)))`: each `{$.path}`
/// part as its key text, the rest literally, as the simulator interpolates (an unclosed `{$.`
/// stays text).
fn interpolation(text: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{$.") {
        let after = &rest[start + 3..];
        let Some(end) = after.find('}') else {
            break;
        };
        if start > 0 {
            parts.push(literal(&rest[..start]));
        }
        parts.push(format!("text({})", reference(&after[..end])));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(literal(rest));
    }
    format!("({})", parts.join(" + "))
}

/// `data.items[0].sku` → `(ctx.data?.items?.[0]?.sku ?? null)`.
fn reference(path: &str) -> String {
    let mut out = "ctx".to_string();
    let mut first = true;
    for segment in path.split('.') {
        let (name, indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            let access = if is_identifier(name) {
                format!(".{name}")
            } else {
                format!("[{}]", literal(name))
            };
            if first {
                out.push_str(&access);
            } else {
                out.push_str("?.");
                out.push_str(access.trim_start_matches('.'));
            }
            first = false;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let index = index.trim_end_matches(']');
            let number: u64 = index.parse().unwrap_or(u64::MAX);
            out.push_str(&format!("?.[{number}]"));
        }
    }
    format!("({out} ?? null)")
}
