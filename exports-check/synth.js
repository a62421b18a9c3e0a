// Synthesizes each exported CDK app offline (no credentials, no network: `app.synth()` in
// node) and checks the template against the design: a rule per design rule with the same
// EventPattern, a queue per design queue with its DLQ and maxReceiveCount, a table per design
// table with its keys and stream, a function per design function on nodejs24.x.
"use strict";
// No credentials and no network: synthesis of an environment-agnostic stack needs neither.
for (const variable of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) delete process.env[variable];
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { designNames, readJson, pascal, canonical, Verdict } = require("./common");

const [out, build] = process.argv.slice(2);
const verdict = new Verdict("cdk synth");
const warnings = new Set();

function resourcesOf(template, type) {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

function logical(template, prefix) {
  const pattern = new RegExp("^" + prefix + "[0-9A-F]{8}$");
  return Object.entries(template.Resources ?? {}).find(([id]) => pattern.test(id));
}

for (const name of designNames(out)) {
  const design = readJson(path.join(out, name, "design.json"));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "eventlab-synth-"));
  // Each app runs in this process (aws-cdk-lib loads once); `new App()` writes to CDK_OUTDIR.
  process.env.CDK_OUTDIR = outdir;
  // CDK's own validation report goes to stderr; it is collected and summarised below.
  const write = process.stderr.write;
  process.stderr.write = (chunk) => {
    for (const line of String(chunk).split("\n")) if (line.startsWith("WARNING ")) warnings.add(line);
    return true;
  };
  try {
    require(path.resolve(build, name, "cdk", "app.js"));
  } catch (error) {
    verdict.expect(false, `${name}: synth failed: ${error.stack}`);
    continue;
  } finally {
    process.stderr.write = write;
  }
  const templateFile = fs.readdirSync(outdir).find((f) => f.endsWith(".template.json"));
  const template = readJson(path.join(outdir, templateFile));
  const nodes = design.nodes ?? [];
  const of = (kind) => nodes.filter((n) => n.kind === kind);

  const rules = of("bus").flatMap((bus) => (bus.rules ?? []).map((rule) => ({ bus, rule })));
  verdict.expect(resourcesOf(template, "AWS::Events::Rule").length === rules.length, `${name}: ${rules.length} rules`);
  for (const { bus, rule } of rules) {
    const found = logical(template, "Rule" + pascal(bus.id) + pascal(rule.id));
    verdict.expect(found !== undefined && canonical(found[1].Properties.EventPattern) === canonical(rule.pattern), `${name}: rule ${rule.id} has the design's EventPattern`);
    verdict.expect(found !== undefined && (found[1].Properties.Targets ?? []).length === (rule.targets ?? []).length, `${name}: rule ${rule.id} has its targets`);
    for (const [index, target] of (rule.targets ?? []).entries()) {
      if (target.inputTransformer === undefined || found === undefined) continue;
      const transformer = found[1].Properties.Targets[index].InputTransformer ?? {};
      verdict.expect(transformer.InputTemplate === target.inputTransformer.inputTemplate && canonical(transformer.InputPathsMap) === canonical(target.inputTransformer.inputPathsMap ?? {}), `${name}: rule ${rule.id} target ${index} has its input transformer`);
    }
  }

  verdict.expect(resourcesOf(template, "AWS::SQS::Queue").length === of("queue").length, `${name}: ${of("queue").length} queues`);
  for (const queue of of("queue")) {
    const found = logical(template, "Queue" + pascal(queue.id));
    verdict.expect(found !== undefined, `${name}: queue ${queue.id} declared`);
    if (found === undefined || queue.deadLetterQueue === undefined || queue.maxReceiveCount === undefined) continue;
    const redrive = found[1].Properties.RedrivePolicy ?? {};
    const dlq = logical(template, "Queue" + pascal(queue.deadLetterQueue));
    verdict.expect(redrive.maxReceiveCount === queue.maxReceiveCount, `${name}: queue ${queue.id} maxReceiveCount ${queue.maxReceiveCount}`);
    verdict.expect(dlq !== undefined && canonical(redrive.deadLetterTargetArn) === canonical({ "Fn::GetAtt": [dlq[0], "Arn"] }), `${name}: queue ${queue.id} redrives to ${queue.deadLetterQueue}`);
  }

  verdict.expect(resourcesOf(template, "AWS::DynamoDB::Table").length === of("table").length, `${name}: ${of("table").length} tables`);
  for (const table of of("table")) {
    const found = logical(template, "Table" + pascal(table.id));
    verdict.expect(found !== undefined, `${name}: table ${table.id} declared`);
    if (found === undefined) continue;
    const properties = found[1].Properties;
    const keys = [{ AttributeName: table.partitionKey.name, KeyType: "HASH" }];
    const attributes = [{ AttributeName: table.partitionKey.name, AttributeType: table.partitionKey.type ?? "S" }];
    if (table.sortKey !== undefined) {
      keys.push({ AttributeName: table.sortKey.name, KeyType: "RANGE" });
      attributes.push({ AttributeName: table.sortKey.name, AttributeType: table.sortKey.type ?? "S" });
    }
    verdict.expect(canonical(properties.KeySchema) === canonical(keys), `${name}: table ${table.id} key schema`);
    verdict.expect(canonical(properties.AttributeDefinitions) === canonical(attributes), `${name}: table ${table.id} attribute types`);
    verdict.expect((properties.StreamSpecification?.StreamViewType ?? null) === (table.stream ?? null), `${name}: table ${table.id} stream ${table.stream ?? "off"}`);
  }

  const functions = resourcesOf(template, "AWS::Lambda::Function").filter(([, r]) => r.Properties.Runtime === "nodejs24.x");
  verdict.expect(functions.length === of("function").length, `${name}: ${of("function").length} functions on nodejs24.x`);
  verdict.expect(resourcesOf(template, "AWS::StepFunctions::StateMachine").length === of("stateMachine").length, `${name}: state machines`);
  verdict.expect(resourcesOf(template, "AWS::Pipes::Pipe").length === of("pipe").length, `${name}: pipes`);
  const mappings = resourcesOf(template, "AWS::Lambda::EventSourceMapping").length;
  verdict.expect(mappings === (design.triggers ?? []).length, `${name}: ${(design.triggers ?? []).length} event source mappings (found ${mappings})`);
  fs.rmSync(outdir, { recursive: true, force: true });
}
for (const warning of warnings) console.log(`exports-check: cdk synth: validation ${warning}`);
verdict.finish();
