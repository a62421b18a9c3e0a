// The exported documents: each AsyncAPI document passes @asyncapi/parser with no error, and
// each JSON Schema compiles with ajv (draft 2020-12), accepts its event type's example (or one
// generated from the schema) and rejects a broken one.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { Parser } = require("@asyncapi/parser");
const Ajv2020 = require("ajv/dist/2020").default;
const { designNames, Verdict } = require("./common");

const [out] = process.argv.slice(2);
const verdict = new Verdict("documents");

/** A value the schema accepts, from its declared property types. */
function generated(schema) {
  const value = {};
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    value[field] = { string: "x", number: 1.5, integer: 2, boolean: true, object: {}, array: [], null: null }[property.type] ?? "any";
  }
  return value;
}

/** A value the schema must reject: a required field removed, or an undeclared one added. */
function broken(example, schema) {
  const copy = { ...example };
  const required = schema.required ?? [];
  if (required.length > 0) delete copy[required[0]];
  else copy.undeclaredField = "not in the schema";
  return copy;
}

async function main() {
  const parser = new Parser();
  for (const name of designNames(out)) {
    const text = fs.readFileSync(path.join(out, name, "asyncapi.json"), "utf8");
    const { document, diagnostics } = await parser.parse(text);
    const errors = diagnostics.filter((d) => d.severity === 0);
    verdict.expect(document !== undefined && errors.length === 0, `${name}: asyncapi.json parses: ${errors.map((e) => e.message + " at " + e.path.join(".")).join("; ")}`);
    const schemas = path.join(out, name, "schemas");
    for (const file of fs.existsSync(schemas) ? fs.readdirSync(schemas).sort() : []) {
      const schema = JSON.parse(fs.readFileSync(path.join(schemas, file), "utf8"));
      const ajv = new Ajv2020({ strict: true });
      let validate;
      try {
        validate = ajv.compile(schema);
      } catch (error) {
        verdict.expect(false, `${name}/${file}: compiles: ${error.message}`);
        continue;
      }
      const example = (schema.examples ?? [])[0] ?? generated(schema);
      verdict.expect(validate(example), `${name}/${file}: accepts its example: ${ajv.errorsText(validate.errors)}`);
      verdict.expect(!validate(broken(example, schema)), `${name}/${file}: rejects a broken example`);
    }
  }
  verdict.finish();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
