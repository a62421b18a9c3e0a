// The run worker: loads the simulator's bundle (eventlab-worker.js and its wasm, built by trunk
// as a no-modules bundle) and answers the page's requests off the main thread, so a long run
// never freezes the page. URLs are relative to this script, so the site works under any base
// path. Requests: {id, kind: "run" | "stateAt" | "explore", design, seed, seq?, seeds?},
// {id, kind: "itemHistory", design, seed, table, key}, the example designs: {id, kind:
// "exampleList"} and {id, kind: "example", stem}, a function's exported TypeScript: {id, kind:
// "handlerSource", design, function}, and the
// editor's live validation: {id, kind: "validate", design}, {id, kind: "checkPattern", text},
// {id, kind: "checkExpression", expressionKind, text, step}, and the guided exercises:
// {id, kind: "exerciseCatalog"}, {id, kind: "exercise" | "exerciseLocked" | "exerciseSolution",
// exercise, design?, seed?}, designs read and written for the page: {id, kind: "loadDesign" |
// "decodeLink", text}, {id, kind: "encodeLink", design, exercise, playhead}, and runs side by
// side: {id, kind: "compare", request} (the JSON text worker/src/compare.rs reads);
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
      text = explore(request);
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

// Explores in slices of a few runs, posting the progress after each, then answers the report.
function explore(request) {
  let progress = wasm_bindgen.exploreStart(request.design, request.seed, request.seeds);
  for (;;) {
    const state = JSON.parse(progress);
    if (state.error) return progress;
    if (state.finished) return wasm_bindgen.exploreReport();
    self.postMessage({ id: request.id, ok: true, progress });
    progress = wasm_bindgen.exploreStep(5);
  }
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
