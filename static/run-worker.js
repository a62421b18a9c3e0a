// The run worker: loads the simulator's bundle (eventlab-worker.js and its wasm, built by trunk
// as a no-modules bundle) and answers the page's requests off the main thread, so a long run
// never freezes the page. URLs are relative to this script, so the site works under any base
// path. Requests: {id, kind: "run" | "stateAt" | "eventStory" | "explore", design, seed,
// seq?, seeds?}, {id, kind: "itemHistory", design, seed, table, key}, the example designs: {id, kind:
// "exampleList"} and {id, kind: "example", stem}, a function's exported TypeScript: {id, kind:
// "handlerSource", design, function}, and the
// editor's live validation: {id, kind: "validate", design}, {id, kind: "checkPattern", text},
// {id, kind: "checkExpression", expressionKind, text, step}, and the guided exercises:
// {id, kind: "exerciseCatalog"}, {id, kind: "exercise" | "exerciseLocked" | "exerciseSolution",
// exercise, design?, seed?}, designs read and written for the page: {id, kind: "loadDesign" |
// "decodeLink", text}, {id, kind: "encodeLink", design, exercise, playhead}, and runs side by
// side: {id, kind: "compare", request} (the JSON text worker/src/compare.rs reads); an
// exploration may say how many workers to split it between ({..., slices}); and, from
// another run worker, one slice of an exploration: {id, kind: "exploreSlice", design, seed, seeds};
// answers: {id, ok, text} or {id, ok: false, error}; an exploration or an exercise check also
// sends {id, ok, progress} as it goes. A bundle that fails to load answers every request with
// that error.
importScripts('eventlab-worker.js');

const ready = wasm_bindgen({ module_or_path: 'eventlab-worker_bg.wasm' }).catch((error) => {
  throw new Error(`the simulator could not be loaded (${error && error.message ? error.message : error})`);
});
// Handled where each request awaits it; this keeps a failed load from being reported twice.
ready.catch(() => {});

self.onmessage = async (message) => {
  const request = message.data;
  try {
    await ready;
    let text;
    if (request.kind === 'run') {
      text = wasm_bindgen.runDesign(request.design, request.seed);
    } else if (request.kind === 'stateAt') {
      text = wasm_bindgen.stateAt(request.design, request.seed, request.seq);
    } else if (request.kind === 'explore') {
      text = await explore(request);
    } else if (request.kind === 'exploreSlice') {
      text = exploreSlice(request);
    } else if (request.kind === 'eventStory') {
      text = wasm_bindgen.eventStory(request.design, request.seed, request.seq);
    } else if (request.kind === 'itemHistory') {
      text = wasm_bindgen.itemHistory(request.design, request.seed, request.table, request.key);
    } else if (request.kind === 'exampleList') {
      text = wasm_bindgen.exampleList();
    } else if (request.kind === 'example') {
      text = wasm_bindgen.exampleDesign(request.stem);
    } else if (request.kind === 'handlerSource') {
      text = wasm_bindgen.handlerSource(request.design, request.function);
    } else if (request.kind === 'validate') {
      text = wasm_bindgen.validateDesign(request.design);
    } else if (request.kind === 'checkPattern') {
      text = wasm_bindgen.checkPattern(request.text);
    } else if (request.kind === 'checkExpression') {
      text = wasm_bindgen.checkExpression(request.expressionKind, request.text, request.step);
    } else if (request.kind === 'compare') {
      text = wasm_bindgen.compareDesigns(request.request);
    } else if (request.kind === 'exerciseCatalog') {
      text = wasm_bindgen.exerciseCatalog();
    } else if (request.kind === 'exercise') {
      text = checkExercise(request);
    } else if (request.kind === 'exerciseLocked') {
      text = wasm_bindgen.exerciseLockedDesign(request.exercise, request.design, request.seed);
    } else if (request.kind === 'exerciseSolution') {
      text = wasm_bindgen.exerciseSolution(request.exercise);
    } else if (request.kind === 'loadDesign') {
      text = wasm_bindgen.loadDesign(request.text);
    } else if (request.kind === 'decodeLink') {
      text = wasm_bindgen.decodeLink(request.text);
    } else if (request.kind === 'encodeLink') {
      text = wasm_bindgen.encodeLink(request.design, request.exercise, request.playhead);
    } else {
      throw new Error(`unknown request ${request.kind}`);
    }
    self.postMessage({ id: request.id, ok: true, text });
  } catch (error) {
    self.postMessage({ id: request.id, ok: false, error: String(error && error.message ? error.message : error) });
  }
};

// Explores in steps of a few runs, posting the progress after each, then answers the report.
// With more than one core, the seeds are first split between helper workers (this script
// again, answering 'exploreSlice'), one per core up to four; this worker merges their slices,
// as if it had explored every seed itself (core's Exploration::merge, same report byte for
// byte), and shrinks the failures.
async function explore(request) {
  let progress;
  const slices = await exploreInSlices(request);
  if (slices) {
    progress = wasm_bindgen.exploreMerge(request.design, request.seed, request.seeds, JSON.stringify(slices));
  } else {
    progress = wasm_bindgen.exploreStart(request.design, request.seed, request.seeds);
  }
  return stepToEnd(request.id, progress, wasm_bindgen.exploreReport);
}

function stepToEnd(id, progress, answer) {
  for (;;) {
    const state = JSON.parse(progress);
    if (state.error) return progress;
    if (state.finished) return answer();
    self.postMessage({ id, ok: true, progress });
    progress = wasm_bindgen.exploreStep(5);
  }
}

// One slice for another worker: its seeds without shrinking, then the slice's counts.
function exploreSlice(request) {
  const progress = wasm_bindgen.exploreSliceStart(request.design, request.seed, request.seeds);
  return stepToEnd(request.id, progress, wasm_bindgen.explorePart);
}

// A slice has at least this many seeds: fewer are not worth a second worker.
const SLICE_MIN_SEEDS = 50;
const helpers = [];
let helperAsks = 0;

// Explores the request's seeds on helper workers, one slice each; answers the slices, or null
// when this should explore alone (one core, few seeds, no nested workers, a helper failed).
async function exploreInSlices(request) {
  // `slices` in the request overrides the cores (the browser tests use it).
  const cores = request.slices || Math.min((self.navigator && self.navigator.hardwareConcurrency) || 1, 4);
  const count = Math.min(cores, Math.floor(request.seeds / SLICE_MIN_SEEDS));
  if (count < 2 || typeof Worker === 'undefined' || !/^\s*\d+\s*$/.test(String(request.seed))) return null;
  const first = BigInt(String(request.seed).trim());
  const done = new Array(count).fill(0);
  const runs = new Array(count).fill(0);
  const sum = (list) => list.reduce((a, b) => a + b, 0);
  try {
    let offset = 0;
    const asks = [];
    for (let i = 0; i < count; i++) {
      const seeds = Math.floor(request.seeds / count) + (i < request.seeds % count ? 1 : 0);
      // Seeds wrap at 2^64, as core's do.
      const seed = BigInt.asUintN(64, first + BigInt(offset)).toString();
      offset += seeds;
      asks.push(askHelper(i, { kind: 'exploreSlice', design: request.design, seed, seeds }, (state) => {
        done[i] = state.seedsDone;
        runs[i] = state.runs;
        const progress = { seedsDone: sum(done), seedsTotal: request.seeds, runs: sum(runs), shrinking: false, finished: false };
        self.postMessage({ id: request.id, ok: true, progress: JSON.stringify(progress) });
      }));
    }
    const answers = await Promise.all(asks);
    const slices = answers.map((text) => JSON.parse(text));
    return slices.some((slice) => slice.error) ? null : slices;
  } catch (error) {
    return null;
  }
}

// Asks helper `index` (started on first use and kept) one request; resolves with its answer's
// text, passing its progress on; rejects when it cannot start or answers an error.
function askHelper(index, request, onProgress) {
  if (!helpers[index]) helpers[index] = { worker: new Worker('run-worker.js'), waiting: new Map() };
  const helper = helpers[index];
  helper.worker.onmessage = (message) => {
    const reply = message.data;
    const waiter = helper.waiting.get(reply.id);
    if (!waiter) return;
    if (reply.progress) return waiter.onProgress(JSON.parse(reply.progress));
    helper.waiting.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.text);
    else waiter.reject(new Error(reply.error));
  };
  helper.worker.onerror = (event) => {
    for (const waiter of helper.waiting.values()) waiter.reject(new Error(event.message));
    helper.waiting.clear();
    helpers[index] = undefined;
  };
  const id = ++helperAsks;
  return new Promise((resolve, reject) => {
    helper.waiting.set(id, { resolve, reject, onProgress });
    helper.worker.postMessage({ ...request, id });
  });
}

// Judges a design against an exercise's locked checks, one seed per slice, posting the progress
// after each, then answers the report.
function checkExercise(request) {
  let progress = wasm_bindgen.exerciseStart(request.exercise, request.design);
  for (;;) {
    const state = JSON.parse(progress);
    if (state.error) return progress;
    if (state.finished) return wasm_bindgen.exerciseReport();
    self.postMessage({ id: request.id, ok: true, progress });
    progress = wasm_bindgen.exerciseStep(1);
  }
}
