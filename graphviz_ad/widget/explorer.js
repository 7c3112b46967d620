// graphviz_ad Explorer: replays precomputed AD sweeps on an SVG laid out once.
//
// An anywidget front-end module (export default { render }) that also runs in the
// kernel-free page written by save_html, where createStandaloneModel() stands in for
// the widget model. Stepping only toggles classes and text on the few SVG elements a step
// touches (looked up in an index built once); the SVG is never re-rendered.
//
// Data layout: see graphviz_ad/widget/frames.py. Every string from the graph (node
// names, formulas) is written with textContent, never parsed as HTML.

const MODES = [["reverse", "Reverse"], ["forward", "Forward"], ["paths", "Paths"]];
const SPEEDS = [0.5, 1, 2, 4, 8];
// Node/edge state classes that a sweep sets; removed all at once on a reset.
const STEP_CLASSES = ["gad-done", "gad-current", "gad-factor", "gad-read", "gad-used", "gad-term",
                      "gad-path", "gad-path-preview"];

/** A model with the anywidget API (get/set/on/off/save_changes) and no kernel behind it. */
export function createStandaloneModel(state) {
  const values = { ...state };
  const listeners = new Map();
  return {
    get: (key) => values[key],
    set(key, value) {
      if (values[key] === value) return;
      values[key] = value;
      for (const fn of [...(listeners.get("change:" + key) || [])]) fn();
      for (const fn of [...(listeners.get("change") || [])]) fn();
    },
    on(event, fn) {
      for (const name of event.split(" ")) {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name).add(fn);
      }
    },
    off(event, fn) {
      for (const name of (event || "").split(" ")) {
        if (!name) { listeners.clear(); continue; }
        if (fn) listeners.get(name)?.delete(fn); else listeners.delete(name);
      }
    },
    save_changes() {},
    send() {},
  };
}

function make(tag, attrs = {}, text) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") el.className = value;
    else el.setAttribute(key, value);
  }
  if (text !== undefined) el.textContent = text;
  return el;
}

// 16×16 icon outlines, drawn inline so that no font or file is needed.
const ICONS = {
  first: "M3 2h2v12H3zM14 2v12L6 8z",
  prev: "M12 2v12L4 8z",
  play: "M4 2v12l10-6z",
  pause: "M3 2h4v12H3zM9 2h4v12H9z",
  next: "M4 2v12l8-6z",
  last: "M11 2h2v12h-2zM2 2v12l8-6z",
  plus: "M7 2h2v5h5v2H9v5H7V9H2V7h5z",
  minus: "M2 7h12v2H2z",
  fit: "M2 2h5v2H4v3H2zM9 2h5v5h-2V4H9zM2 9h2v3h3v2H2zM12 9h2v5H9v-2h3z",
};
const SVG_NS = "http://www.w3.org/2000/svg";

function icon(name) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "gad-icon");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

function button(label, iconName, cls = "") {
  const b = make("button", { type: "button", "aria-label": label, title: label, class: "gad-btn " + cls });
  if (ICONS[iconName]) b.append(icon(iconName)); else b.textContent = iconName;
  return b;
}

function setIcon(b, name) { b.replaceChildren(icon(name)); }

function labelled(text, control) {
  const wrap = make("label", { class: "gad-field" });
  wrap.append(make("span", { class: "gad-field-label" }, text), control);
  return wrap;
}

/** Show a chain-rule text one "= ..." part per line; textContent stays the exact text. */
function setFormula(el, text) {
  el.replaceChildren();
  const parts = text.split(" = ");
  parts.forEach((part, k) => {
    el.append(make("span", { class: k === 0 ? "gad-eq-lhs" : "gad-eq-rhs" }, (k === 0 ? "" : " = ") + part));
  });
}

/** One chain-rule term with its numbers, e.g. "∂e/∂c · ∂c/∂d = 1 · 3 = 3 (∂e/∂d = c)". */
function termText(d, sweep, mode, term) {
  const [j, partial, factor, product] = term;
  const [, , src, formula] = d.edges[j];
  const dst = d.edges[j][0];
  const s = d.nodes[src][0], t = d.nodes[dst][0], z = sweep.seed_name;
  const note = formula && formula !== partial ? ` (∂${t}/∂${s} = ${formula})` : "";
  return mode === "forward"
    ? `∂${t}/∂${s} · ∂${s}/∂${z} = ${partial} · ${factor} = ${product}${note}`
    : `∂${z}/∂${t} · ∂${t}/∂${s} = ${factor} · ${partial} = ${product}${note}`;
}

// Chromium repaints an inline <svg> as one unit: a class or text change on any element in
// it re-records the whole drawing (tens of ms per step for ~1,000 nodes, measured). So a
// large drawing is cut, in document order, into a stack of same-size <svg> layers with
// the same viewBox, each holding ~LAYER_SIZE node/edge groups of graphviz's top group.
// Each layer is absolutely positioned (its own paint layer), so a step re-records only
// the few layers whose elements changed. Paint order and element ids are unchanged.
const LAYER_SIZE = 100;

function splitLayers(svg) {
  const top = svg.querySelector(":scope > g.graph");
  if (!top) return [];
  const groups = [...top.children].filter((g) => g.classList.contains("node") || g.classList.contains("edge"));
  if (groups.length <= LAYER_SIZE * 1.5) return [];
  const layers = [];
  for (let start = LAYER_SIZE; start < groups.length; start += LAYER_SIZE) {
    const layer = svg.cloneNode(false);
    layer.removeAttribute("id");
    layer.setAttribute("class", "gad-layer");
    layer.setAttribute("aria-hidden", "true");
    const g = top.cloneNode(false);
    g.removeAttribute("id");
    g.append(...groups.slice(start, start + LAYER_SIZE));
    layer.append(g);
    layers.push(layer);
  }
  return layers;
}

class ExplorerView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.timer = null;
    this.compare = null;   // running compare playback, or null
    this.scale = 1;
    this.shown = { key: null, step: -1, path: -1 };
    this.handlers = [];
    this.build();
    this.loadGraph();
    this.listen("change:step change:mode change:wrt change:of", () => this.apply());
    this.listen("change:_svg change:_data", () => this.loadGraph());
    this.listen("change:_inputs change:controls", () => this.buildInputs());
    this.listen("change:_message", () => { this.message.textContent = this.model.get("_message") || ""; });
  }

  listen(events, fn) {
    this.model.on(events, fn);
    this.handlers.push([events, fn]);
  }

  destroy() {
    this.resizeObserver?.disconnect();
    this.viewportObserver?.disconnect();
    this.stop();
    this.stopCompare();
    for (const [events, fn] of this.handlers) this.model.off(events, fn);
  }

  get standalone() { return !!this.model.get("_standalone"); }

  // ---------------------------------------------------------------- DOM skeleton
  build() {
    const el = this.el;
    el.classList.add("gad-explorer");
    el.tabIndex = 0;
    el.setAttribute("role", "group");
    el.setAttribute("aria-roledescription", "sweep explorer");

    this.title = make("div", { class: "gad-title" });
    const bar = make("div", { class: "gad-toolbar" });
    this.modeSelect = make("select", { "aria-label": "Mode" });
    for (const [value, text] of MODES) this.modeSelect.append(make("option", { value }, text));
    this.wrtSelect = make("select", { "aria-label": "Input X" });
    this.ofSelect = make("select", { "aria-label": "Output Z" });
    this.wrtField = labelled("X", this.wrtSelect);
    this.ofField = labelled("Z", this.ofSelect);
    bar.append(labelled("Mode", this.modeSelect), this.wrtField, this.ofField);

    const nav = make("div", { class: "gad-nav" });
    this.firstBtn = button("First step", "first");
    this.prevBtn = button("Previous step", "prev");
    this.playBtn = button("Play", "play", "gad-play");
    this.nextBtn = button("Next step", "next", "gad-next");
    this.lastBtn = button("Last step", "last");
    this.slider = make("input", { type: "range", min: "0", max: "0", value: "0", "aria-label": "Step", class: "gad-slider" });
    this.counter = make("span", { class: "gad-counter", "aria-label": "Step counter" }, "0 / 0");
    this.speedSelect = make("select", { "aria-label": "Speed" });
    for (const s of SPEEDS) this.speedSelect.append(make("option", { value: String(s) }, `${s}×`));
    this.speedSelect.value = "1";
    nav.append(this.firstBtn, this.prevBtn, this.playBtn, this.nextBtn, this.lastBtn, this.slider, this.counter,
               labelled("Speed", this.speedSelect));
    bar.append(nav);

    const main = make("div", { class: "gad-main" });
    const graphBox = make("div", { class: "gad-graph-box" });
    this.graph = make("div", { class: "gad-graph", "aria-label": "Computational graph" });
    const zoom = make("div", { class: "gad-zoom" });
    this.zoomIn = button("Zoom in", "plus");
    this.zoomOut = button("Zoom out", "minus");
    this.zoomFit = button("Fit graph", "fit");
    zoom.append(this.zoomIn, this.zoomOut, this.zoomFit);
    graphBox.append(this.graph, zoom);

    const side = make("div", { class: "gad-side" });
    this.heading = make("div", { class: "gad-heading" });
    this.status = make("div", { class: "gad-explain", role: "status", "aria-live": "polite" });
    this.formula = make("div", { class: "gad-formula" });
    this.detail = make("div", { class: "gad-detail" });
    this.status.append(this.formula, this.detail);
    this.pathsBox = make("div", { class: "gad-paths" });
    this.costBox = make("div", { class: "gad-cost" });
    this.inputsBox = make("div", { class: "gad-inputs" });
    this.tableWrap = make("div", { class: "gad-table-wrap" });
    side.append(this.heading, this.status, this.pathsBox, this.costBox, this.inputsBox, this.tableWrap);
    main.append(graphBox, side);
    this.message = make("div", { class: "gad-message", role: "alert" });
    el.replaceChildren(this.title, bar, main, this.message);

    this.on(this.modeSelect, "change", () => this.setSweep({ mode: this.modeSelect.value }));
    this.on(this.wrtSelect, "change", () => this.setSweep({ wrt: this.wrtSelect.value }));
    this.on(this.ofSelect, "change", () => this.setSweep({ of: this.ofSelect.value }));
    this.on(this.firstBtn, "click", () => this.setStep(0));
    this.on(this.prevBtn, "click", () => this.setStep(this.model.get("step") - 1));
    this.on(this.nextBtn, "click", () => this.setStep(this.model.get("step") + 1));
    this.on(this.lastBtn, "click", () => this.setStep(this.count() - 1));
    this.on(this.playBtn, "click", () => this.togglePlay());
    this.on(this.slider, "input", () => this.setStep(Number(this.slider.value)));
    this.on(this.speedSelect, "change", () => { if (this.timer) { this.stop(); this.play(); } });
    this.on(this.zoomIn, "click", () => { this.userZoomed = true; this.zoom(this.scale * 1.25); });
    this.on(this.zoomOut, "click", () => { this.userZoomed = true; this.zoom(this.scale / 1.25); });
    this.on(this.zoomFit, "click", () => { this.userZoomed = true; this.fit(); });
    this.on(el, "keydown", (e) => this.onKey(e));
    this.on(this.graph, "wheel", (e) => {
      if (!e.ctrlKey && !e.metaKey) return;  // plain wheel scrolls; ctrl+wheel zooms
      e.preventDefault();
      this.userZoomed = true;
      this.zoom(this.scale * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
    }, { passive: false });
    this.enableDrag();
    this.trackViewport();
  }

  on(target, event, fn, options) { target.addEventListener(event, fn, options); }

  enableDrag() {
    let start = null;
    this.on(this.graph, "pointerdown", (e) => {
      if (e.button !== 0) return;
      start = { x: e.clientX, y: e.clientY, left: this.graph.scrollLeft, top: this.graph.scrollTop };
      this.graph.classList.add("gad-dragging");
    });
    this.on(this.graph, "pointermove", (e) => {
      if (!start) return;
      this.graph.scrollLeft = start.left - (e.clientX - start.x);
      this.graph.scrollTop = start.top - (e.clientY - start.y);
    });
    const end = () => { start = null; this.graph.classList.remove("gad-dragging"); };
    this.on(this.graph, "pointerup", end);
    this.on(this.graph, "pointerleave", end);
  }

  // ---------------------------------------------------------------- graph and index
  loadGraph() {
    this.stop();
    this.stopCompare();
    this.data = this.model.get("_data") || { nodes: [], edges: [], inputs: [], outputs: [], sweeps: {}, paths: {} };
    this.graph.style.height = (this.model.get("height") || 460) + "px";
    this.title.textContent = this.data.title || "";
    const text = this.model.get("_svg") || "";
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = doc.documentElement;
    this.graph.replaceChildren();
    if (svg && svg.nodeName.toLowerCase() === "svg") {
      this.svg = document.importNode(svg, true);
      this.svg.classList.add("gad-svg");
      this.svg.removeAttribute("style");
      this.stack = make("div", { class: "gad-stack" });
      this.stack.append(this.svg, ...splitLayers(this.svg));
      this.layers = [...this.stack.children];
      this.graph.append(this.stack);
      const vb = this.svg.viewBox && this.svg.viewBox.baseVal;
      this.natural = vb && vb.width ? { x: vb.x, y: vb.y, w: vb.width, h: vb.height } : { x: 0, y: 0, w: 400, h: 300 };
      this.nodeBoxes = null;
      // Graphviz sizes in pt; at scale 1 one pt is drawn as 1.333 CSS px, as graphviz intends.
      this.zoom(this.scale, false);
      const wanted = Math.ceil(this.natural.h * 4 / 3) + 24;
      this.graph.style.height = Math.min(this.model.get("height") || 460, Math.max(200, wanted)) + "px";
      this.fitWhenShown();
    } else {
      this.svg = null;
      this.stack = null;
      this.layers = [];
    }
    this.indexSvg();
    this.buildSelects();
    this.buildTable();
    this.buildCost();
    this.buildInputs();
    this.shown = { key: null, step: -1, path: -1 };
    this.apply();
  }

  indexSvg() {
    const n = this.data.nodes.length;
    this.nodeEl = new Array(n).fill(null);
    this.derivEl = new Array(n).fill(null);
    this.derivBlank = new Array(n).fill("");
    this.edgeEl = new Array(this.data.edges.length).fill(null);
    if (!this.svg) return;
    const byId = new Map();
    for (const e of this.stack.querySelectorAll("[id]")) byId.set(e.id, e);
    for (let i = 0; i < n; i++) {
      this.nodeEl[i] = byId.get("node-n" + i) || null;
      // The derivative line: a <text>, or a group around one (graphviz's table cells).
      let d = byId.get("deriv-n" + i) || byId.get("a_deriv-n" + i) || null;
      if (d && d.tagName !== "text") d = d.querySelector("text");
      this.derivEl[i] = d;
    }
    this.data.edges.forEach((edge, j) => { this.edgeEl[j] = byId.get(`edge-e${edge[0]}_${edge[1]}`) || null; });
  }

  buildSelects() {
    const d = this.data;
    const fill = (select, indices, kind) => {
      select.replaceChildren();
      for (const i of indices) {
        const name = d.nodes[i][0];
        const key = `${kind}:${name}`;
        const option = make("option", { value: name }, name);
        if (!d.sweeps[key]) {
          const why = d.unavailable?.[key] || "not stored";
          // With a kernel the sweep is computed on demand; a page without one cannot.
          if (this.standalone) option.disabled = true;
          option.textContent = `${name} (${this.standalone ? "not in this page" : "computed on demand"})`;
          option.title = why;
        }
        select.append(option);
      }
    };
    fill(this.wrtSelect, d.inputs, "forward");
    fill(this.ofSelect, d.outputs, "reverse");
  }

  buildTable() {
    const d = this.data;
    const table = make("table", { class: "gad-table" });
    const head = make("tr");
    this.derivHead = make("th", { scope: "col" }, "derivative");
    this.derivHead.className = "gad-num";
    head.append(make("th", { scope: "col" }, "node"), make("th", { scope: "col", class: "gad-num" }, "value"), this.derivHead);
    const thead = make("thead");
    thead.append(head);
    const tbody = make("tbody");
    this.rowEl = new Array(d.nodes.length).fill(null);
    this.cellEl = new Array(d.nodes.length).fill(null);
    d.nodes.forEach((node, i) => {
      if (node[1] === "const") return;
      const row = make("tr");
      const name = make("th", { scope: "row" }, node[0]);
      const deriv = make("td", { class: "gad-num" });
      row.append(name, make("td", { class: "gad-num" }, node[3]), deriv);
      tbody.append(row);
      this.rowEl[i] = row;
      this.cellEl[i] = deriv;
    });
    table.append(make("caption", {}, "Values and derivatives"), thead, tbody);
    this.tableWrap.replaceChildren(table);
  }

  buildCost() {
    const c = this.data.cost || { inputs: 0, edges: 0, forward_total: 0, reverse: {} };
    const box = this.costBox;
    box.replaceChildren(make("h3", { class: "gad-h" }, "Cost"));
    const rev = Object.values(c.reverse || {});
    const revCost = rev.length ? rev[0] : 0;
    const list = make("ul", { class: "gad-cost-list" });
    list.append(
      make("li", {}, `Forward mode: ${c.inputs} sweep${c.inputs === 1 ? "" : "s"} (one per input) × ${c.edges} multiply-adds = ${c.forward_total}`),
      make("li", {}, `Reverse mode: 1 sweep per output = ${revCost} multiply-adds for the whole gradient`),
    );
    const stored = this.data.inputs.filter((i) => this.data.sweeps["forward:" + this.data.nodes[i][0]]).length;
    if (stored < c.inputs) list.append(make("li", { class: "gad-note" }, `${stored} of ${c.inputs} forward sweeps are stored here; compare plays those.`));
    this.compareBtn = button("Compare forward and reverse", "Compare", "gad-compare");
    this.on(this.compareBtn, "click", () => (this.compare ? this.stopCompare() : this.startCompare()));
    this.compareOut = make("div", { class: "gad-compare-out", "aria-live": "polite" });
    box.append(list, this.compareBtn, this.compareOut);
  }

  buildInputs() {
    const box = this.inputsBox;
    box.replaceChildren();
    const inputs = this.model.get("_inputs") || {};
    if (!this.model.get("controls") || !Object.keys(inputs).length) return;
    box.append(make("h3", { class: "gad-h" }, "Inputs"));
    const why = "Changing inputs re-traces the graph in Python; this page has no running kernel.";
    for (const [name, value] of Object.entries(inputs)) {
      const span = Math.max(1, Math.abs(value)) * 2;
      const slider = make("input", {
        type: "range", min: String(value - span), max: String(value + span), step: String(span / 50),
        value: String(value), "aria-label": `Input ${name}`,
      });
      const shown = make("span", { class: "gad-num" }, String(value));
      if (this.standalone) {
        slider.disabled = true;
        slider.title = why;
      }
      this.on(slider, "input", () => { shown.textContent = Number(slider.value).toPrecision(3); });
      this.on(slider, "change", () => {
        this.model.set("input_values", { ...(this.model.get("input_values") || {}), [name]: Number(slider.value) });
        this.model.save_changes();
      });
      const row = labelled(name, slider);
      row.append(shown);
      if (this.standalone) row.title = why;
      box.append(row);
    }
    if (this.standalone) box.append(make("p", { class: "gad-note" }, why));
  }

  // ---------------------------------------------------------------- model → view
  count() {
    const m = this.model;
    if (m.get("mode") === "paths") return this.pathEntry()?.paths.length || 0;
    return this.sweep()?.steps.length || 0;
  }

  sweep() {
    const m = this.model;
    const key = m.get("mode") === "forward" ? "forward:" + m.get("wrt") : "reverse:" + m.get("of");
    return this.data.sweeps[key];
  }

  pathEntry() { return this.data.paths[`${this.model.get("wrt")}>${this.model.get("of")}`]; }

  setStep(k) {
    const n = this.count();
    if (!n) return;
    const step = Math.max(0, Math.min(n - 1, k));
    if (step === this.model.get("step")) return;
    this.model.set("step", step);
    this.model.save_changes();
  }

  setSweep(change) {
    this.stop();
    for (const [key, value] of Object.entries(change)) this.model.set(key, value);
    this.model.set("step", 0);
    this.model.save_changes();
  }

  apply() {
    if (this.compare) return;  // the compare playback owns the view until it ends
    const m = this.model;
    const mode = m.get("mode");
    this.modeSelect.value = mode;
    this.wrtSelect.value = m.get("wrt");
    this.ofSelect.value = m.get("of");
    this.el.dataset.mode = mode;
    this.wrtField.hidden = mode === "reverse";
    this.ofField.hidden = mode === "forward" || this.data.outputs.length < 2 && mode !== "paths";
    this.wrtField.querySelector(".gad-field-label").textContent = mode === "paths" ? "from" : "X";
    this.ofField.querySelector(".gad-field-label").textContent = mode === "paths" ? "to" : "Z";
    const n = this.count();
    const step = Math.max(0, Math.min(n - 1, m.get("step") || 0));
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.value = String(step);
    this.counter.textContent = n ? `${step + 1} / ${n}` : "0 / 0";
    this.firstBtn.disabled = this.prevBtn.disabled = step <= 0;
    this.nextBtn.disabled = this.lastBtn.disabled = step >= n - 1;
    if (mode === "paths") this.showPath(step);
    else this.showStep(this.sweep(), mode, step);
  }

  resetMarks() {
    this.derivBlank.fill("");
    for (const el of this.stack ? this.stack.querySelectorAll("." + STEP_CLASSES.join(",.")) : []) {
      el.classList.remove(...STEP_CLASSES);
    }
    this.derivEl.forEach((d, i) => { if (d && d.textContent !== this.derivBlank[i]) d.textContent = this.derivBlank[i]; });
    this.cellEl.forEach((c) => { if (c) c.textContent = ""; });
    for (const row of this.tableWrap.querySelectorAll(".gad-row-current,.gad-row-done")) {
      row.classList.remove("gad-row-current", "gad-row-done");
    }
    this.currentMarks = [];
  }

  // A sweep at step k: steps 0…k done, step k current.
  showStep(sweep, mode, k, key) {
    key = key || (sweep ? `${mode}:${sweep.seed_name}` : null);
    if (this.shown.key !== key) {
      this.resetMarks();
      this.shown = { key, step: -1, path: -1 };
      this.stack?.classList.toggle("gad-sweeping", !!sweep);
      this.stack?.classList.remove("gad-pathing");
      this.pathsBox.hidden = true;
      this.tableWrap.hidden = false;
      if (sweep) {
        // Pending nodes of this sweep read "∂e/∂c = ?"; the others show nothing.
        this.derivBlank.fill("");
        for (const [node, , symbol] of sweep.steps) this.derivBlank[node] = symbol + " = ?";
        this.derivEl.forEach((d, i) => { if (d) d.textContent = this.derivBlank[i]; });
        this.derivHead.textContent = mode === "forward" ? `∂·/∂${sweep.seed_name}` : `∂${sweep.seed_name}/∂·`;
        this.heading.textContent = mode === "forward"
          ? `Forward sweep from input ${sweep.seed_name}: tangents ∂node/∂${sweep.seed_name}, in recording order`
          : `Reverse sweep from output ${sweep.seed_name}: adjoints ∂${sweep.seed_name}/∂node, in reverse order`;
      }
    }
    if (!sweep) {
      const seed = mode === "forward" ? this.model.get("wrt") : this.model.get("of");
      let why = this.data.unavailable?.[mode + ":" + seed];
      if (!why && (seed === "" || this.standalone)) {  // nothing will compute it: say why
        why = Object.entries(this.data.unavailable || {})
          .filter(([key]) => key.startsWith(mode + ":")).map(([, reason]) => reason).join("; ")
          || `this page stores no ${mode} sweep`;
      }
      this.heading.textContent = "";
      this.formula.textContent = why ? `This sweep is not available: ${why}` : "Computing this sweep…";
      this.detail.textContent = "";
      return;
    }
    this.clearCurrent();
    let cur = this.shown.step;
    while (cur < k) this.markDone(sweep, ++cur);
    while (cur > k) this.unmarkDone(sweep, cur--);
    this.shown.step = k;
    this.markCurrent(sweep, mode, k);
  }

  markDone(sweep, i) {
    const [node, value, symbol, , terms] = sweep.steps[i];
    this.nodeEl[node]?.classList.add("gad-done");
    const d = this.derivEl[node];
    if (d) d.textContent = `${symbol} = ${value}`;
    const cell = this.cellEl[node];
    if (cell) cell.textContent = value;
    this.rowEl[node]?.classList.add("gad-row-done");
    for (const t of terms) this.edgeEl[t[0]]?.classList.add("gad-used");
  }

  unmarkDone(sweep, i) {
    const [node, , , , terms] = sweep.steps[i];
    this.nodeEl[node]?.classList.remove("gad-done");
    const d = this.derivEl[node];
    if (d) d.textContent = this.derivBlank[node];
    const cell = this.cellEl[node];
    if (cell) cell.textContent = "";
    this.rowEl[node]?.classList.remove("gad-row-done");
    for (const t of terms) this.edgeEl[t[0]]?.classList.remove("gad-used");
  }

  clearCurrent() {
    for (const [el, cls] of this.currentMarks || []) el.classList.remove(cls);
    this.currentMarks = [];
  }

  mark(el, cls) {
    if (!el) return;
    el.classList.add(cls);
    this.currentMarks.push([el, cls]);
  }

  markCurrent(sweep, mode, k) {
    const d = this.data;
    const [node, value, , text, terms, reads] = sweep.steps[k];
    this.mark(this.nodeEl[node], "gad-current");
    this.mark(this.rowEl[node], "gad-row-current");
    for (const t of terms) {
      this.mark(this.edgeEl[t[0]], "gad-term");
      const edge = d.edges[t[0]];
      this.mark(this.nodeEl[mode === "forward" ? edge[2] : edge[0]], "gad-factor");
    }
    for (const r of reads) this.mark(this.nodeEl[r], "gad-read");
    setFormula(this.formula, text);
    const name = d.nodes[node][0];
    const lines = [`Step ${k + 1} of ${sweep.steps.length}: node ${name} (value ${d.nodes[node][3]}).`];
    const parts = lines.map((line) => make("p", {}, line));
    if (terms.length) {
      const where = mode === "forward" ? "incoming edge" : "outgoing edge";
      parts.push(make("p", {}, `One term per ${where}:`));
      const list = make("ul", { class: "gad-terms" });
      for (const t of terms) list.append(make("li", {}, termText(d, sweep, mode, t)));
      parts.push(list);
    }
    if (mode === "reverse") {
      parts.push(make("p", { class: "gad-reads" }, reads.length
        ? "Reads stored forward values: " + reads.map((r) => `${d.nodes[r][0]} = ${d.nodes[r][3]}`).join(", ") + "."
        : "Reads no stored forward values."));
    }
    this.detail.replaceChildren(...parts);
    this.follow(node);
    this.followRow(this.rowEl[node]);
  }

  // Keep the current node in view when the graph is larger than its box. Nothing here
  // reads layout after the step's class changes (that would force a synchronous style and
  // layout of the whole drawing on every click): node boxes are measured once, and the
  // box size and scroll position are tracked by observers.
  follow(node) {
    const v = this.viewport;
    if (!v || !v.w || !this.nodeEl[node]) return;
    if (!this.nodeBoxes) this.measureNodes();
    const b = this.nodeBoxes[node];
    if (!b) return;
    const k = this.scale * 4 / 3;
    const x = (b[0] - this.natural.x) * k, y = (b[1] - this.natural.y) * k;
    const w = b[2] * k, h = b[3] * k;
    if (x >= v.left && y >= v.top && x + w <= v.left + v.w && y + h <= v.top + v.h) return;
    // Writing scrollTop forces a layout, so do it in the next frame, which lays out anyway.
    cancelAnimationFrame(this.followFrame);
    this.followFrame = requestAnimationFrame(() => {
      this.graph.scrollLeft = x + w / 2 - v.w / 2;
      this.graph.scrollTop = y + h / 2 - v.h / 2;
    });
  }

  // Scroll the values table (only it, never the page) to the current row, in the next frame.
  followRow(row) {
    if (!row) return;
    cancelAnimationFrame(this.rowFrame);
    this.rowFrame = requestAnimationFrame(() => {
      const wrap = this.tableWrap;
      if (wrap.scrollHeight <= wrap.clientHeight) return;
      const top = row.offsetTop + row.offsetParent.offsetTop;
      if (top < wrap.scrollTop + 30 || top + row.offsetHeight > wrap.scrollTop + wrap.clientHeight) {
        wrap.scrollTop = top - wrap.clientHeight / 2;
      }
    });
  }

  measureNodes() {
    // Node boxes in viewBox units: getBBox is in the node's own space, inside graphviz's
    // one translated top group.
    const top = this.svg.querySelector("g.graph");
    const m = top && top.transform.baseVal.consolidate();
    const tx = m ? m.matrix.e : 0, ty = m ? m.matrix.f : 0;
    this.nodeBoxes = this.nodeEl.map((el) => {
      if (!el) return null;
      const r = el.getBBox();
      return [r.x + tx, r.y + ty, r.width, r.height];
    });
  }

  trackViewport() {
    const g = this.graph;
    const update = () => {
      this.viewport = { left: g.scrollLeft, top: g.scrollTop, w: g.clientWidth, h: g.clientHeight };
    };
    this.on(g, "scroll", update, { passive: true });
    this.viewportObserver = new ResizeObserver(update);
    this.viewportObserver.observe(g);
  }

  // ---------------------------------------------------------------- paths mode
  showPath(k) {
    const d = this.data;
    const key = "paths:" + this.model.get("wrt") + ">" + this.model.get("of");
    const entry = this.pathEntry();
    if (this.shown.key !== key) {
      this.resetMarks();
      this.shown = { key, step: -1, path: -1 };
      this.stack?.classList.remove("gad-sweeping");
      this.stack?.classList.add("gad-pathing");
      this.tableWrap.hidden = true;
      this.pathsBox.hidden = false;
      this.buildPathList(entry);
    }
    this.setPathMarks(entry, k, "gad-path");
    this.pathItems?.forEach((li, j) => li.setAttribute("aria-selected", String(j === k)));
    this.shown.path = k;
    const src = d.nodes[d.inputs.find((i) => d.nodes[i][0] === this.model.get("wrt"))]?.[0] ?? this.model.get("wrt");
    this.heading.textContent = `Paths from ${src} to ${this.model.get("of")}: ∂${this.model.get("of")}/∂${src} is the sum over paths of the product of edge derivatives`;
    if (!entry) {
      this.formula.textContent = "No paths stored for this pair.";
      this.detail.textContent = "";
      return;
    }
    if (!entry.paths.length) {
      this.formula.textContent = entry.listed ? `No path leads from ${src} to ${this.model.get("of")}: the derivative is 0.`
        : `${entry.count.toLocaleString("en")} paths: too many to list. This is why sweeps exist: each visits every edge once.`;
      this.detail.textContent = "";
      return;
    }
    const path = entry.paths[k];
    this.formula.textContent = `${path[1]}: ${path[2]}`;
    this.detail.replaceChildren(make("p", {}, `Path ${k + 1} of ${entry.paths.length}.`), make("p", {}, entry.sum_text));
  }

  setPathMarks(entry, k, cls) {
    for (const el of this.stack ? this.stack.querySelectorAll("." + cls) : []) el.classList.remove(cls);
    if (!entry || k < 0 || !entry.paths[k]) return;
    for (const j of entry.paths[k][0]) {
      const e = this.data.edges[j];
      this.edgeEl[j]?.classList.add(cls);
      this.nodeEl[e[0]]?.classList.add(cls);
      this.nodeEl[e[2]]?.classList.add(cls);
    }
  }

  buildPathList(entry) {
    const box = this.pathsBox;
    box.replaceChildren(make("h3", { class: "gad-h" }, "Paths"));
    this.pathItems = [];
    if (!entry) return;
    const list = make("ol", { class: "gad-path-list", role: "listbox", "aria-label": "Paths" });
    entry.paths.forEach((path, j) => {
      const li = make("li", { role: "option", tabindex: "-1", "aria-selected": "false" }, `${path[1]}: ${path[2]}`);
      this.on(li, "click", () => this.setStep(j));
      this.on(li, "mouseenter", () => this.setPathMarks(entry, j, "gad-path-preview"));
      this.on(li, "mouseleave", () => this.setPathMarks(entry, -1, "gad-path-preview"));
      list.append(li);
      this.pathItems.push(li);
    });
    box.append(list);
    if (entry.sum_text) box.append(make("p", { class: "gad-sum" }, `Sum: ${entry.sum_text}`));
    if (!entry.listed) box.append(make("p", { class: "gad-note" }, `${entry.count.toLocaleString("en")} paths in all; too many to list.`));
    const factor = make("div", { class: "gad-factor-text" });
    if (entry.forward_text) factor.append(make("p", {}, `Forward sweep from ${this.model.get("wrt")} groups the paths by their last edge: ${entry.forward_text}`));
    if (entry.reverse_text) factor.append(make("p", {}, `Reverse sweep from ${this.model.get("of")} groups them by their first edge: ${entry.reverse_text}`));
    box.append(factor);
  }

  // ---------------------------------------------------------------- play and compare
  togglePlay() { if (this.timer) this.stop(); else this.play(); }

  play() {
    if (this.count() < 2) return;
    if (this.model.get("step") >= this.count() - 1) this.setStep(0);
    const speed = Number(this.speedSelect.value) || 1;
    this.timer = setInterval(() => {
      if (this.model.get("step") >= this.count() - 1) { this.stop(); return; }
      this.setStep(this.model.get("step") + 1);
    }, 1000 / speed);
    this.playBtn.setAttribute("aria-label", "Pause");
    this.playBtn.title = "Pause";
    setIcon(this.playBtn, "pause");
  }

  stop() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.playBtn.setAttribute("aria-label", "Play");
    this.playBtn.title = "Play";
    setIcon(this.playBtn, "play");
  }

  startCompare() {
    this.stop();
    const d = this.data;
    const plan = [];
    for (const i of d.inputs) {
      const sweep = d.sweeps["forward:" + d.nodes[i][0]];
      if (sweep) plan.push(["forward", sweep]);
    }
    const reverse = d.sweeps["reverse:" + this.model.get("of")];
    if (reverse) plan.push(["reverse", reverse]);
    if (!plan.length) return;
    this.compare = { plan, part: 0, step: -1, fwd: 0, rev: 0, sweepsDone: 0 };
    this.compareBtn.textContent = "Stop compare";
    this.compareBtn.setAttribute("aria-label", "Stop compare");
    const speed = (Number(this.speedSelect.value) || 1) * 4;
    this.compareTimer = setInterval(() => this.compareTick(), 1000 / speed);
  }

  compareTick() {
    const c = this.compare;
    const [mode, sweep] = c.plan[c.part];
    c.step += 1;
    if (c.step >= sweep.steps.length) {
      c.part += 1;
      c.step = 0;
      if (c.part >= c.plan.length) { this.stopCompare(true); return; }
    }
    const [m, s] = c.plan[c.part];
    const work = s.steps[c.step][4].length;
    if (m === "forward") c.fwd += work; else c.rev += work;
    this.showStep(s, m, c.step, `compare:${m}:${s.seed_name}`);
    const forwardCount = c.plan.filter((p) => p[0] === "forward").length;
    const which = m === "forward" ? `forward sweep ${c.part + 1} of ${forwardCount} (∂/∂${s.seed_name})` : `reverse sweep (∂${s.seed_name}/∂)`;
    this.compareOut.textContent = `Playing ${which}. Multiply-adds so far: forward ${c.fwd}, reverse ${c.rev}.`;
    void mode;
  }

  stopCompare(finished = false) {
    if (!this.compare) return;
    const c = this.compare;
    clearInterval(this.compareTimer);
    this.compare = null;
    this.compareBtn.textContent = "Compare";
    this.compareBtn.setAttribute("aria-label", "Compare forward and reverse");
    if (finished) {
      const nf = c.plan.filter((p) => p[0] === "forward").length;
      this.compareOut.textContent = `Done: ${nf} forward sweep${nf === 1 ? "" : "s"} took ${c.fwd} multiply-adds; ` +
        `the reverse sweep took ${c.rev} and gave every input's derivative at once.`;
    }
    this.shown = { key: null, step: -1, path: -1 };
    this.apply();
  }

  // ---------------------------------------------------------------- keyboard, zoom
  onKey(e) {
    const tag = e.target.tagName;
    if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const step = this.model.get("step");
    if (e.key === "ArrowRight") this.setStep(step + 1);
    else if (e.key === "ArrowLeft") this.setStep(step - 1);
    else if (e.key === "Home") this.setStep(0);
    else if (e.key === "End") this.setStep(this.count() - 1);
    else if (e.key === " " && tag !== "BUTTON") this.togglePlay();
    else return;
    e.preventDefault();
    e.stopPropagation();  // keep JupyterLab's notebook shortcuts out of it
  }

  zoom(scale, keepCentre = true) {
    if (!this.svg) return;
    scale = Math.max(0.05, Math.min(8, scale));
    const g = this.graph;
    const cx = (g.scrollLeft + g.clientWidth / 2) / Math.max(1, g.scrollWidth);
    const cy = (g.scrollTop + g.clientHeight / 2) / Math.max(1, g.scrollHeight);
    this.scale = scale;
    const w = `${this.natural.w * scale * 4 / 3}px`, h = `${this.natural.h * scale * 4 / 3}px`;
    for (const layer of this.layers) {
      layer.setAttribute("width", w);
      layer.setAttribute("height", h);
    }
    this.stack.style.width = w;
    this.stack.style.height = h;
    if (keepCentre) {
      g.scrollLeft = cx * g.scrollWidth - g.clientWidth / 2;
      g.scrollTop = cy * g.scrollHeight - g.clientHeight / 2;
    }
  }

  // A graph a little wider than its box is shrunk to fit, again whenever the box is
  // resized (it has no size until it is in the page), until the reader zooms by hand; a
  // much wider one keeps its size and scrolls instead.
  fitWhenShown() {
    this.resizeObserver?.disconnect();
    this.userZoomed = false;
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.graph.clientWidth || !this.svg || this.userZoomed) return;
      const fitScale = (this.graph.clientWidth - 8) / (this.natural.w * 4 / 3);
      const scale = fitScale >= 1 || fitScale < 0.5 ? 1 : fitScale;
      if (Math.abs(scale - this.scale) > 0.01) this.zoom(scale, false);
    });
    this.resizeObserver.observe(this.graph);
  }

  fit() {
    if (!this.svg) return;
    const w = this.graph.clientWidth - 8;
    const h = this.graph.clientHeight - 8;
    this.zoom(Math.min(w / (this.natural.w * 4 / 3), h / (this.natural.h * 4 / 3)), false);
  }
}

function render({ model, el }) {
  const view = new ExplorerView(model, el);
  return () => view.destroy();
}

export default { render };
