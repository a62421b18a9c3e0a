//! The exports as files: each target on every example design gives the same files twice, under
//! safe relative paths, with JSON that parses; rule patterns, ASL and schemas say exactly what
//! the design says; the handlers carry the design's expressions and its onConditionFailed
//! choices; the CDK app declares every resource. (exports-check/ type-checks, synthesizes and
//! runs these files in node.)

use eventlab_core::design::{load_value, Design, NodeKind};
use eventlab_core::export::{export, ExportFile, ExportTarget};
use proptest::prelude::*;
use serde_json::{json, Value};

fn example(name: &str) -> Design {
    let path = format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    load_value(value).unwrap().design
}

fn examples() -> Vec<(String, Design)> {
    let directory = format!("{}/../designs", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), example(&n)))
        .collect()
}

/// The one boundary: a design and a target in, the files out, checked for what every export
/// promises (deterministic, safe relative paths, unique, JSON files parse).
fn check(design: &Design, target: ExportTarget) -> Vec<ExportFile> {
    let files = export(design, target);
    assert_eq!(files, export(design, target), "deterministic");
    for file in &files {
        assert!(
            !file.path.starts_with('/')
                && file
                    .path
                    .split('/')
                    .all(|p| !p.is_empty() && p != "." && p != ".."),
            "unsafe path {}",
            file.path
        );
        if file.path.ends_with(".json") {
            serde_json::from_str::<Value>(&file.text)
                .unwrap_or_else(|e| panic!("{}: {e}", file.path));
        }
        assert!(
            files.iter().filter(|f| f.path == file.path).count() == 1,
            "{} twice",
            file.path
        );
    }
    files
}

fn text_of<'a>(files: &'a [ExportFile], path: &str) -> &'a str {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.text.as_str())
        .unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn every_target_exports_every_example_design() {
    // Each target on each example design: the files every export promises.
    for (_, design) in examples() {
        for target in ExportTarget::ALL {
            check(&design, target);
        }
    }
    assert_eq!(
        ExportTarget::from_name("asyncapi"),
        Some(ExportTarget::AsyncApi)
    );
    assert_eq!(ExportTarget::from_name("yaml"), None);
}

#[test]
fn rules_asl_and_schemas_say_exactly_what_the_design_says() {
    // A rule file is its pattern, an ASL file its definition, a schema requires every field.
    for (name, design) in examples() {
        let rules = check(&design, ExportTarget::Rules);
        let machines = check(&design, ExportTarget::Asl);
        for node in &design.nodes {
            match &node.kind {
                NodeKind::Bus(bus) => {
                    for rule in &bus.rules {
                        let text = text_of(&rules, &format!("rules/{}/{}.json", node.id, rule.id));
                        assert_eq!(
                            serde_json::from_str::<Value>(text).unwrap(),
                            rule.pattern,
                            "{name}"
                        );
                    }
                }
                NodeKind::StateMachine(machine) => {
                    let text = text_of(&machines, &format!("state-machines/{}.asl.json", node.id));
                    assert_eq!(
                        serde_json::from_str::<Value>(text).unwrap(),
                        machine.definition
                    );
                }
                _ => {}
            }
        }
        let schemas = check(&design, ExportTarget::Schemas);
        assert_eq!(schemas.len(), design.event_types.len(), "{name}");
        for event_type in &design.event_types {
            let schema: Value = serde_json::from_str(text_of(
                &schemas,
                &format!("schemas/{}.schema.json", event_type.type_name),
            ))
            .unwrap();
            assert_eq!(
                schema["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            assert_eq!(
                schema["required"],
                json!(event_type.fields.keys().collect::<Vec<_>>())
            );
            assert_eq!(schema["additionalProperties"], false);
        }
    }
}

#[test]
fn handlers_carry_the_design_s_expressions_and_condition_policies() {
    // The duplicates fix claims the order with attribute_not_exists and stops on a failed
    // condition; the lost-update fix rethrows; the out-of-order fix skips.
    let cases = [
        (
            "duplicates-fixed",
            "charge-payment",
            "attribute_not_exists(orderId)",
            "return ctx;",
        ),
        (
            "lost-update-fixed",
            "payment-handler",
            "version = :expected",
            "ReturnValues: \"ALL_NEW\"",
        ),
        (
            "out-of-order-fixed",
            "track-status",
            "attribute_not_exists(#seq) OR #seq < :seq",
            "carry on with the next step",
        ),
        (
            "photo-aggregator",
            "aggregator",
            "condition(\"photo.received = :three\"",
            "cloudEvent(ctx, \"com.photo.ready.v1\", \"/catalog\"",
        ),
    ];
    for (design_name, function, expression, policy) in cases {
        let files = check(&example(design_name), ExportTarget::TypeScript);
        let handler = text_of(&files, &format!("handlers/{function}.ts"));
        assert!(handler.contains(expression), "{design_name}: {handler}");
        assert!(handler.contains(policy), "{design_name}: {handler}");
        assert!(handler
            .contains("export async function handler(event: EventBridgeEvent<string, unknown>)"));
        assert!(text_of(&files, "handlers/runtime.ts").contains("causationid"));
    }
    let lost_update = check(&example("lost-update-fixed"), ExportTarget::TypeScript);
    assert!(
        !text_of(&lost_update, "handlers/payment-handler.ts").contains("try {"),
        "fail rethrows: no catch"
    );
    let pizza = check(&example("pizza-choreography"), ExportTarget::TypeScript);
    assert!(text_of(&pizza, "handlers/bake-pizza.ts")
        .contains("export async function handler(event: SQSEvent): Promise<void>"));
}

#[test]
fn handlers_interpolate_strings_and_sum_numbers_as_the_simulator_does() {
    // `"pay-{$.data.orderId}"` is the key text of each `{$.path}` part between the literal
    // parts (an unclosed `{$.` stays text); `{"add": [...]}` is the runtime's `sum`, where a
    // missing value counts as 0.
    let cases = [
        (
            json!("pay-{$.data.orderId}"),
            "(\"pay-\" + text((ctx.data?.orderId ?? null)))",
        ),
        (
            json!("{$.data.pageId}#{$.data.shard}"),
            "(text((ctx.data?.pageId ?? null)) + \"#\" + text((ctx.data?.shard ?? null)))",
        ),
        (json!("open {$.data"), "(\"open {$.data\")"),
        (
            json!({"add": ["$.order.version", 1]}),
            "sum((ctx.order?.version ?? null), 1)",
        ),
    ];
    for (value, expected) in cases {
        let design = load_value(json!({"version": 1, "nodes": [
            {"id": "t1", "kind": "table", "partitionKey": {"name": "id", "type": "S"}},
            {"id": "f", "kind": "function", "steps": [{"op": "put", "table": "t1", "item": {"id": "x", "value": value}}]}
        ]}))
        .unwrap()
        .design;
        let files = check(&design, ExportTarget::TypeScript);
        let handler = text_of(&files, "handlers/f.ts");
        assert!(handler.contains(expected), "{value}: {handler}");
    }
    let files = check(&example("duplicates"), ExportTarget::TypeScript);
    assert!(text_of(&files, "handlers/runtime.ts").contains("export function sum("));
}

#[test]
fn the_cdk_app_declares_every_resource_of_the_design() {
    // One construct per bus, rule, queue, table, function, state machine and pipe, and the
    // design's pattern set verbatim on each rule.
    for (name, design) in examples() {
        let files = check(&design, ExportTarget::Cdk);
        let app = text_of(&files, "cdk/app.ts");
        let count = |kind: &str| {
            design
                .nodes
                .iter()
                .filter(|n| n.kind.name() == kind)
                .count()
        };
        let rules: usize = design
            .nodes
            .iter()
            .map(|n| match &n.kind {
                NodeKind::Bus(bus) => bus.rules.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(
            app.matches("new events.EventBus(").count(),
            count("bus"),
            "{name}"
        );
        assert_eq!(app.matches("new events.Rule(").count(), rules, "{name}");
        assert_eq!(app.matches(").eventPattern = ").count(), rules, "{name}");
        assert_eq!(
            app.matches("new sqs.Queue(").count(),
            count("queue"),
            "{name}"
        );
        assert_eq!(
            app.matches("new dynamodb.Table(").count(),
            count("table"),
            "{name}"
        );
        assert_eq!(
            app.matches("new lambda.Function(").count(),
            count("function"),
            "{name}"
        );
        assert_eq!(
            app.matches("new sfn.StateMachine(").count(),
            count("stateMachine"),
            "{name}"
        );
        assert_eq!(
            app.matches("new pipes.CfnPipe(").count(),
            count("pipe"),
            "{name}"
        );
        assert_eq!(
            app.matches("runtime: lambda.Runtime.NODEJS_24_X").count(),
            count("function")
        );
    }
}

#[test]
fn the_asyncapi_document_has_a_channel_per_bus_and_type_and_both_sides() {
    // duplicates: OrderPlaced goes from orders to payments on orders-bus.
    let files = check(&example("duplicates"), ExportTarget::AsyncApi);
    let document: Value = serde_json::from_str(text_of(&files, "asyncapi.json")).unwrap();
    assert_eq!(document["asyncapi"], "3.0.0");
    let channel = "orders-bus.com.pizza.order.placed.v1";
    assert_eq!(document["channels"][channel]["address"], "orders-bus");
    assert_eq!(
        document["operations"][format!("orders.send.{channel}")]["action"],
        "send"
    );
    assert_eq!(
        document["operations"][format!("payments.receive.{channel}")]["action"],
        "receive"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    // Hostile ids (slashes, dots, quotes, empty) never give a path outside the output folder,
    // and no export panics on them.
    #[test]
    fn hostile_ids_stay_inside_the_output_folder(id in "[a-z./\\\\\"' -]{0,12}", type_name in "[a-zA-Z./ -]{0,12}") {
        let design = load_value(json!({"version": 1,
            "eventTypes": [{"type": type_name, "source": id}],
            "nodes": [
                {"id": id, "kind": "bus", "rules": [{"id": id, "pattern": {"source": ["x"]}, "targets": [{"node": id}]}]},
                {"id": format!("{id}f"), "kind": "function", "steps": [{"op": "emit", "bus": id, "type": type_name, "data": {"k": "$.data.a-b[3].c"}}]},
                {"id": format!("{id}s"), "kind": "stateMachine", "definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}]}))
            .unwrap()
            .design;
        for target in ExportTarget::ALL {
            check(&design, target);
        }
    }
}

#[test]
fn a_functions_handler_source_is_its_exported_file() {
    // The editor shows a function's exported handler beside its steps: the same text the export
    // writes for it, and nothing for an id that is not a function.
    let text = include_str!("../../designs/duplicates.json");
    let design = eventlab_core::design::load_text(text).unwrap().design;
    let source =
        eventlab_core::export::handler_source(&design, "charge-payment").expect("a function");
    let files =
        eventlab_core::export::export(&design, eventlab_core::export::ExportTarget::TypeScript);
    assert!(files.iter().any(|f| f.text == source));
    assert!(source.contains("export"), "{source}");
    assert_eq!(
        eventlab_core::export::handler_source(&design, "orders-bus"),
        None
    );
    assert_eq!(
        eventlab_core::export::handler_source(&design, "no-such"),
        None
    );
}
