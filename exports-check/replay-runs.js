// The simulated runs a design's handlers are replayed against, and the invocations chosen from
// them. The design's own run comes first. A function that run never invoked cleanly (a
// compensation only a failure reaches, a consumer the scenario's scripted crash starves) is
// looked for in variants of the design, in this order, until every function has one: the
// design on seeds 2 to 10, the design without its faults, and the design with half of all steps
// crashing on seeds 1 to 10. Variants change the scenario only, never the handlers, so a
// variant's invocation proves the same exported code.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

/** The error of an invocation the platform or a fault ended (not the handler's own steps). */
const PLATFORM_ERROR = /^Runtime\.|Timedout|TooManyRequests|Throttl/;

function variants(design) {
  const list = [];
  for (let seed = 2; seed <= 10; seed += 1) list.push({ label: `seed ${seed}`, design, seed });
  const scenario = design.scenario ?? {};
  const calm = { ...design, scenario: { ...scenario, faults: {}, scripted: [] } };
  list.push({ label: "without faults", design: calm, seed: scenario.seed ?? 1 });
  const crashing = { ...design, scenario: { ...scenario, faults: { crashBeforeStepRatePpm: 500000 }, scripted: [] } };
  for (let seed = 1; seed <= 10; seed += 1) list.push({ label: `half the steps crashing, seed ${seed}`, design: crashing, seed });
  return list;
}

/** Runs a variant with the CLI, keeping its design and run beside the export for inspection. */
function runVariant(eventlab, folder, index, variant) {
  const directory = path.join(folder, "variants");
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `variant-${index}.json`);
  fs.writeFileSync(file, JSON.stringify(variant.design, null, 1));
  const text = execFileSync(eventlab, ["run", file, "--seed", String(variant.seed), "--format", "json"], { maxBuffer: 1 << 30 }).toString();
  fs.writeFileSync(path.join(directory, `variant-${index}.run.json`), text);
  return JSON.parse(text);
}

/** The invocations of `started`'s tree: itself and the functions it invoked synchronously. */
function invocationTree(trace, started) {
  const ids = new Set([started.invocation]);
  for (const event of trace) {
    if (event.kind === "invocationStarted" && event.source.startsWith("invoke:") && ids.has(event.source.slice("invoke:".length))) ids.add(event.invocation);
  }
  return ids;
}

/**
 * The invocations worth replaying in a run: per function, the first clean one (no injected
 * fault, ended by its own steps) and the first clean one that met a rejected condition, so
 * both paths of a conditional write are exercised. Functions already in `covered` are skipped.
 */
function chooseInvocations(trace, design, covered) {
  const functions = new Set((design.nodes ?? []).filter((n) => n.kind === "function").map((n) => n.id));
  const faults = trace.filter((e) => e.kind === "fault").map((e) => e.fault);
  const chosen = new Map();
  for (const started of trace.filter((e) => e.kind === "invocationStarted")) {
    if (!functions.has(started.node) || covered.has(started.node)) continue;
    const tree = invocationTree(trace, started);
    const events = trace.filter((e) => tree.has(e.invocation) && e !== started);
    const finished = events.find((e) => e.kind === "invocationFinished" && e.invocation === started.invocation);
    if (finished === undefined || PLATFORM_ERROR.test(finished.error ?? "")) continue;
    if (faults.some((fault) => [...tree].some((id) => fault.includes(`:${id}/`) || fault.endsWith(`:${id}`)))) continue;
    const calls = events.filter((e) => e.kind === "step" || e.kind === "conditionFailed");
    const key = `${started.node}/${calls.some((c) => c.kind === "conditionFailed")}`;
    if (!chosen.has(key)) chosen.set(key, { started, calls, finished });
  }
  return [...chosen.values()];
}

module.exports = { variants, runVariant, chooseInvocations };
