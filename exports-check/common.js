// Shared helpers of the export checks: reading the exported designs and naming things the way
// core's export does.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** The exported design folders under `out`, by name. */
function designNames(out) {
  return fs.readdirSync(out).filter((name) => fs.existsSync(path.join(out, name, "design.json"))).sort();
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** `orders-bus` → `OrdersBus`, as core's export names constructs. */
function pascal(id) {
  let out = "";
  let upper = true;
  for (const c of id) {
    if (/[A-Za-z0-9]/.test(c)) {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out === "" || /^[0-9]/.test(out) ? "X" + out : out;
}

/** JSON with sorted keys, for comparing values whatever their key order. */
function canonical(value) {
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  if (value !== null && typeof value === "object") {
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

/** Collects failures and prints a verdict. */
class Verdict {
  constructor(name) {
    this.name = name;
    this.failures = [];
    this.passes = 0;
  }
  expect(ok, message) {
    if (ok) this.passes += 1;
    else this.failures.push(message);
  }
  finish() {
    for (const failure of this.failures) console.error(`exports-check: ${this.name}: FAIL ${failure}`);
    console.log(`exports-check: ${this.name}: ${this.passes} passed, ${this.failures.length} failed`);
    if (this.failures.length > 0) process.exitCode = 1;
  }
}

module.exports = { designNames, readJson, pascal, canonical, Verdict };
