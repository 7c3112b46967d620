// graphviz_ad explorer, part 5 of 8 (panels): the input/output choosers, the explanation of
// a step, the values table, the cost panel, the input controls and the paths list.
// Methods of ExplorerView (view.js copies them onto its prototype). Every ∂-text comes
// from the data, made in Python (graphviz_ad.notation); here it is only displayed.

let captionCount = 0;  // ids of the tables' captions, unique in the page

const Panels = {
  buildSelects() {
    const d = this.data;
    const fill = (select, indices, whole, kind) => {
      select.replaceChildren();
      indices.forEach((i, k) => {
        const name = whole[k];  // the value wrt/of take; shown as drawn (clipped)
        const key = `${kind}:${name}`;
        const option = make("option", { value: name }, d.nodes.name[i]);
        const entries = kind === "forward" ? d.elements?.[name] : null;
        if (entries) {  // an array input: the entry is chosen next to it
          option.textContent = `${d.nodes.name[i]} (${entries.shape.join("×")})`;
          if (this.standalone && !entries.keys.length) { option.disabled = true; option.title = this.unavailableWhy(key) || ""; }
        } else if (!d.sweeps[key]) {
          const why = this.unavailableWhy(key) || "not stored";
          // With a kernel the sweep is computed on demand; a page without one cannot.
          if (this.standalone) option.disabled = true;
          option.textContent = `${d.nodes.name[i]} (${this.standalone ? "not in this page" : "computed on demand"})`;
          option.title = why;
        }
        select.append(option);
      });
    };
    fill(this.wrtSelect, d.inputs, d.input_names || [], "forward");
    fill(this.ofSelect, d.outputs, d.output_names || [], "reverse");
  },

  // The entries of array input `input` to choose from: every one (up to 1,000) with a
  // kernel, which computes a sweep on demand; those stored in the page without one.
  fillEntries(input, entry) {
    const info = this.data.elements[input];
    if (this.entriesFor !== input) {
      this.entriesFor = input;
      this.elementSelect.replaceChildren();
      const stored = new Set(info.keys);
      const size = info.shape.reduce((a, b) => a * b, 1);
      const all = [];
      for (let flat = 0; flat < Math.min(size, 1000); flat++) {
        const index = [];
        let rest = flat;
        for (let axis = info.shape.length - 1; axis >= 0; axis--) { index.unshift(rest % info.shape[axis]); rest = Math.floor(rest / info.shape[axis]); }
        all.push(`[${index.join(", ")}]`);
      }
      for (const key of (this.standalone ? all.filter((k) => stored.has(k)) : all)) {
        this.elementSelect.append(make("option", { value: key }, `${this.data.nodes.name[this.data.inputs[this.data.input_names.indexOf(input)]]}${key}`));
      }
      if (this.standalone && stored.size < size) {
        this.elementSelect.title = `${stored.size} of ${size} entries have their sweep stored in this page`;
      }
    }
    this.elementSelect.value = entry;
  },

  // Why sweep `key` is not stored ("forward:*" holds the reason for inputs beyond the limits).
  unavailableWhy(key) {
    const u = this.data.unavailable || {};
    return u[key] || (key.startsWith("forward:") ? u["forward:*"] : undefined);
  },

  // The values table: ARIA table roles on block rows (not <table>), so that each row is
  // laid out and painted on its own: a step that writes one cell of a 1,000-row table no
  // longer lays out the whole table (measured: 6 ms of each step's frame).
  buildTable() {
    const nodes = this.data.nodes;
    const table = make("div", { class: "gad-table", role: "table", "aria-labelledby": "" });
    const caption = make("div", { class: "gad-caption" }, "Values and derivatives");
    caption.id = `gad-caption-${++captionCount}`;
    table.setAttribute("aria-labelledby", caption.id);
    const cell = (role, cls, text) => make("div", { role, class: cls }, text);
    this.derivHead = cell("columnheader", "gad-td gad-num", "derivative");
    const head = make("div", { role: "row", class: "gad-tr gad-head" });
    head.append(cell("columnheader", "gad-td", "node"), cell("columnheader", "gad-td gad-num", "value"), this.derivHead);
    const thead = make("div", { role: "rowgroup", class: "gad-thead" });
    thead.append(head);
    const tbody = make("div", { role: "rowgroup", class: "gad-tbody" });
    const n = nodes.name.length;
    this.rowEl = new Array(n).fill(null);
    this.cellEl = new Array(n).fill(null);
    let rows = 0;
    for (let i = 0; i < n; i++) {
      if (nodes.kind[i] === "const") continue;
      const row = make("div", { role: "row", class: "gad-tr" });
      const deriv = cell("cell", "gad-td gad-num");
      const value = cell("cell", "gad-td gad-num");
      const entries = nodes.array?.[i];
      if (entries) value.append(arrayView(entries, { name: nodes.name[i], compact: true }));
      else value.textContent = nodes.value[i];
      row.append(cell("rowheader", "gad-td gad-name", nodes.name[i]), value, deriv);
      tbody.append(row);
      this.rowEl[i] = row;
      this.cellEl[i] = deriv;
      rows++;
    }
    table.append(thead, tbody);
    if (nodes.array) this.sizeArrayColumns();
    this.tableWrap.replaceChildren(caption, table);
    this.tableWrap.classList.toggle("gad-tall", rows > 12);
    this.el.classList.toggle("gad-has-arrays", !!nodes.array);
  },

  // A graph of arrays: the value and derivative columns are as wide as the widest number or
  // matrix each will hold (the values, and every stored sweep's derivatives), so no matrix is
  // clipped, and still no row's layout depends on another's. Given in characters of the code
  // font and pixels; explorer.css makes them lengths, and wraps a row whose cells do not fit.
  sizeArrayColumns() {
    const widest = () => ({ s: 0, m: 0, p: 0 });
    const add = (w, text, entries) => {
      if (entries) {
        const a = arrayWidth(entries, true);
        w.m = Math.max(w.m, a.chars);
        w.p = Math.max(w.p, a.px);
      } else w.s = Math.max(w.s, String(text ?? "").length);
    };
    const nodes = this.data.nodes, value = widest(), deriv = widest();
    add(value, "value");
    add(deriv, "derivative");
    for (let i = 0; i < nodes.name.length; i++) {
      if (nodes.kind[i] !== "const") add(value, nodes.value[i], nodes.array?.[i]);
    }
    for (const sweep of Object.values(this.data.sweeps)) {
      const steps = sweep.steps;
      add(deriv, sweep.column);
      for (let i = 0; i < steps.node.length; i++) add(deriv, steps.value[i], steps.array?.[i]);
    }
    const style = this.el.style;  // the side's width needs them too
    for (const [column, w] of [["value", value], ["deriv", deriv]]) {
      for (const k of "smp") style.setProperty(`--gad-${column}-${k}`, String(w[k]));
    }
    const chars = (w) => Math.max(w.s, 0.81 * w.m);
    style.setProperty("--gad-side-ch", String(Math.ceil(chars(value) + chars(deriv))));
    // the name column's 4em (52 px), each cell's paddings, the wrap's borders and a scroll bar
    style.setProperty("--gad-side-px", String(value.p + deriv.p + 52 + 3 * 14 + 2 + 12));
  },

  buildCost() {
    const c = this.data.cost || { inputs: 0, edges: 0, forward_total: 0, reverse: {} };
    const box = this.costBox;
    box.replaceChildren(make("h2", { class: "gad-h" }, "Cost"));
    const list = make("ul", { class: "gad-cost-list" });
    this.reverseCost = make("li");
    const sweeps = c.forward_sweeps ?? c.inputs;
    const per = sweeps === c.inputs ? "one per input" : "one per input entry";
    list.append(
      make("li", {}, `Forward mode: ${sweeps} sweep${sweeps === 1 ? "" : "s"} (${per}) × ${c.edges} multiply-adds = ${c.forward_total}`),
      this.reverseCost,
    );
    const stored = Object.keys(this.data.sweeps).filter((key) => key.startsWith("forward:")).length;
    if (stored < sweeps) list.append(make("li", { class: "gad-note" }, `${stored} of ${sweeps} forward sweeps are stored here; compare plays those.`));
    this.compareBtn = button("Compare forward and reverse", "Compare", "gad-compare");
    this.on(this.compareBtn, "click", () => (this.compare ? this.stopCompare() : this.startCompare()));
    this.compareOut = make("div", { class: "gad-compare-out", "aria-live": "polite" });
    box.append(list, this.compareBtn, this.compareOut);
    this.showCost();
  },

  // The reverse line is the cost for the output chosen now (`of`), not the first one.
  showCost() {
    const of = this.model.get("of");
    const cost = this.data.cost?.reverse?.[of];
    this.reverseCost.textContent = cost === undefined
      ? `Reverse mode: 1 sweep from ${of || "an output"} (not stored in this page)`
      : `Reverse mode: 1 sweep from ${of} = ${cost} multiply-adds for the whole gradient`;
  },

  // Input sliders (controls=True). Each keeps the range it was first given, and a retrace
  // (which sends the new values) updates them in place: a dragged slider stays where it was
  // left and keeps the keyboard focus, so its arrow keys go on working.
  buildInputs() {
    const box = this.inputsBox;
    if (this.standalone && this.data.whatif) { box.replaceChildren(); this.buildWhatIf(); return; }  // no kernel: recompute here
    const inputs = this.model.get("_inputs") || {};
    const names = Object.keys(inputs);
    if (!this.model.get("controls") || !names.length) { box.replaceChildren(); this.sliders = null; return; }
    if (this.sliders && names.join("\n") === Object.keys(this.sliders).join("\n")) {
      for (const [name, value] of Object.entries(inputs)) {
        const { slider, shown } = this.sliders[name];
        if (Number(slider.value) !== value && document.activeElement !== slider) slider.value = String(value);
        shown.textContent = String(Number(Number(value).toPrecision(4)));
      }
      return;
    }
    box.replaceChildren(make("h2", { class: "gad-h" }, "Inputs"));
    this.sliders = {};
    this.inputRanges = this.inputRanges || {};
    const why = "Changing inputs re-traces the graph in Python; this page has no running kernel.";
    for (const [name, value] of Object.entries(inputs)) {
      const span = Math.max(1, Math.abs(value)) * 2;
      const range = this.inputRanges[name] || (this.inputRanges[name] = { min: value - span, max: value + span, step: span / 50 });
      const slider = make("input", {
        type: "range", min: String(range.min), max: String(range.max), step: String(range.step),
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
      // JupyterLab's notebook takes arrow keys for its own commands: keep them for the slider.
      this.on(slider, "keydown", (e) => { if (e.key.startsWith("Arrow") || e.key === "Home" || e.key === "End") e.stopPropagation(); });
      const row = labelled(name, slider);
      row.append(shown);
      if (this.standalone) row.title = why;
      box.append(row);
      this.sliders[name] = { slider, shown };
    }
    if (this.standalone) box.append(make("p", { class: "gad-note" }, why));
  },

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
        const steps = sweep.steps;
        this.shownSweep = sweep;
        if (!this.lazyPending) {
          steps.node.forEach((node, i) => { this.derivBlank[node] = steps.symbol[i] + " = ?"; });
          this.derivEl.forEach((d, i) => { if (d && d.textContent !== this.derivBlank[i]) d.textContent = this.derivBlank[i]; });
        }
        this.derivHead.textContent = sweep.column;
        this.countBoxes(steps, sweep.mode);
        this.heading.textContent = sweep.heading;
      }
    }
    if (!sweep) {
      const seed = mode === "forward" ? this.model.get("wrt") : this.model.get("of");
      let why = this.unavailableWhy(mode + ":" + seed);
      if (!why && (seed === "" || this.standalone)) {  // nothing will compute it: say why
        why = Object.entries(this.data.unavailable || {})
          .filter(([k]) => k.startsWith(mode + ":")).map(([, reason]) => reason).join("; ")
          || `this page stores no ${mode} sweep`;
      }
      this.heading.textContent = "";
      this.figures.replaceChildren();
      this.formula.textContent = why ? `This sweep is not available: ${why}` : "Computing this sweep…";
      this.detail.textContent = "";
      return;
    }
    this.clearCurrent();
    let cur = this.shown.step;
    while (cur < k) this.markDone(sweep.steps, ++cur);
    while (cur > k) this.unmarkDone(sweep.steps, cur--);
    this.shown.step = k;
    this.markCurrent(sweep, mode, k);
  },

  markCurrent(sweep, mode, k) {
    const d = this.data;
    const steps = sweep.steps;
    const node = steps.node[k], terms = steps.term_edges[k], reads = steps.reads[k];
    this.aheadNodes = steps.node.slice(k + 1, k + 1 + FOLLOW_AHEAD);  // what the view may take in (follow)
    this.mark(this.elementOf(node), "gad-current");
    this.mark(this.rowEl[node], "gad-row-current");
    for (const j of terms) {
      this.mark(this.edgeEl[j], "gad-term");
      this.mark(this.nodeEl[mode === "forward" ? d.edges.src[j] : d.edges.dst[j]], "gad-factor");
    }
    for (const r of reads) this.mark(this.nodeEl[r], "gad-read");
    const figures = this.showFigures(sweep, k);
    if (this.byLayer) { this.showLayer(sweep, k); return; }
    const text = steps.text[k];
    const parts = [];
    if (figures) {  // the arrays are written out below: the formula in symbols, the numbers on demand
      const symbolic = text.split(" = ").slice(0, 2).join(" = ");
      setFormula(this.formula, symbolic);
      const more = make("details");
      more.append(make("summary", {}, "In numbers, on one line"), make("div", {}, text));
      parts.push(more);
    } else {
      setFormula(this.formula, text);
    }
    const about = make("p", {}, `Step ${k + 1} of ${steps.node.length}: node ${d.nodes.name[node]} (value ${d.nodes.value[node]}). `);
    // (the keyboard's way to a node's details; a pointer clicks the node)
    const details = button(`Details of node ${d.nodes.name[node]}`, "Details", "gad-details-btn");
    this.on(details, "click", () => this.inspect(node));
    about.append(details);
    parts.push(about);
    if (terms.length) {
      parts.push(make("p", {}, `One term per ${mode === "forward" ? "incoming" : "outgoing"} edge:`));
      const list = make("ul", { class: "gad-terms" });
      const texts = steps.term_texts[k] || [steps.text[k].slice(steps.text[k].indexOf(" = ") + 3)];
      for (const text of texts) list.append(make("li", {}, text));
      parts.push(list);
    }
    if (mode === "reverse") {
      parts.push(make("p", { class: "gad-reads" }, reads.length
        ? "Reads stored forward values: " + reads.map((r) => this.readText(r)).join(", ") + "."
        : "Reads no stored forward values."));
    }
    this.detail.replaceChildren(...parts);
    this.say(`Step ${k + 1} of ${steps.node.length}: ${steps.symbol[k]} = ${steps.value[k]}`);
    this.currentNode = node;
    this.follow(node);
    this.followRow(this.rowEl[node]);
  },

  // A stored value a step reads: "a2 = [0.122, …]", or an unnamed constant by its value alone.
  readText(r) {
    const d = this.data;
    return d.nodes.kind[r] === "const" && /^v\d+$/.test(d.nodes.name[r])
      ? `the constant ${d.nodes.value[r]}` : `${d.nodes.name[r]} = ${d.nodes.value[r]}`;
  },

  // The short announcement of a step (its result), in the live region.
  say(text) { if (this.announce.textContent !== text) this.announce.textContent = text; },

  // Stepping by layer: the layer's steps so far, each node's chain rule, all marked.
  showLayer(sweep, k) {
    const l = sweep.layers, steps = sweep.steps, d = this.data;
    const layer = this.layerOf(k);
    const start = l.start[layer];
    const scope = l.scope[layer] || (sweep.mode === "reverse" ? "inputs and parameters" : "inputs");
    for (let j = start; j < k; j++) this.mark(this.nodeEl[steps.node[j]], "gad-current");
    this.formula.replaceChildren(make("div", { class: "gad-eq-lhs" },
      `${scope}: step${k > start ? "s" : ""} ${start + 1}${k > start ? "–" + (k + 1) : ""} of ${steps.node.length}`));
    const list = make("ol", { class: "gad-layer-steps", start: String(start + 1) });
    for (let j = start; j <= k; j++) {
      const li = make("li");
      setFormula(li, steps.text[j]);
      list.append(li);
    }
    this.detail.replaceChildren(list, make("p", {}, `Layer ${layer + 1} of ${l.scope.length}` +
      (k < l.stop[layer] - 1 ? ` (${l.stop[layer] - 1 - k} more step${l.stop[layer] - 1 - k === 1 ? "" : "s"} in it)` : "") +
      `; ${d.nodes.name[steps.node[k]]} is the last node shown.`));
    this.say(`${scope}: steps ${start + 1} to ${k + 1} of ${steps.node.length}; ${steps.symbol[k]} = ${steps.value[k]}`);
    this.currentNode = steps.node[k];
    this.follow(steps.node[k]);
    this.followRow(this.rowEl[steps.node[k]]);
  },

  // An array step: what it multiplies (the other ends' derivatives, the values it reads)
  // and its result, as matrices or heat maps.
  showFigures(sweep, k) {
    const steps = sweep.steps, d = this.data;
    if (!steps.array) { this.figures.replaceChildren(); return false; }
    if (!sweep.stepOf) sweep.stepOf = new Map(steps.node.map((node, j) => [node, j]));
    const items = [];
    for (const [kind, node] of steps.operands[k]) {
      const j = sweep.stepOf.get(node);
      if (kind === "d" && j !== undefined) items.push([steps.symbol[j], steps.array[j], steps.value[j]]);
      else if (kind === "v") items.push([d.nodes.name[node], d.nodes.array?.[node], d.nodes.value[node]]);
    }
    const result = [steps.symbol[k], steps.array[k], steps.value[k]];
    if (![...items, result].some(([, entries]) => entries)) { this.figures.replaceChildren(); return false; }
    const figure = ([label, entries, text], role) => {
      const box = make("div", { class: "gad-operand" + (role ? " gad-" + role : "") });
      box.append(make("div", { class: "gad-operand-label" }, label));
      box.append(entries ? arrayView(entries, { name: label, column: true }) : make("div", { class: "gad-scalar" }, text));
      return box;
    };
    const parts = [];
    if (items.length) {
      parts.push(make("div", { class: "gad-h" }, "Operands"));
      const row = make("div", { class: "gad-operands" });
      row.append(...items.map((item) => figure(item)));
      parts.push(row);
    }
    parts.push(make("div", { class: "gad-h" }, "Result"), figure(result, "result"));
    this.figures.replaceChildren(...parts);
    return true;
  },

  showPath(k) {
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
    this.figures.replaceChildren();
    this.setPathMarks(entry, k, "gad-path");
    this.pathItems?.forEach((li, j) => li.setAttribute("aria-selected", String(j === k)));
    this.shown.path = k;
    if (!entry) {
      // Paths start at an input with a stored forward sweep; say why there is none.
      const why = Object.entries(this.data.unavailable || {}).filter(([k2]) => k2.startsWith("forward:"))
        .map(([, reason]) => reason).join("; ");
      this.heading.textContent = "";
      this.formula.textContent = "No paths to show" + (why ? `: ${why}` : ".");
      this.detail.textContent = "";
      return;
    }
    this.heading.textContent = entry.heading;
    if (!entry.texts.length) {
      this.formula.textContent = entry.listed ? "No path leads from this input to this output: the derivative is 0."
        : `${entry.count.toLocaleString("en")} paths: too many to list. This is why sweeps exist: each visits every edge once.`;
      this.detail.textContent = "";
      return;
    }
    this.formula.textContent = entry.texts[k];
    this.say(`Path ${k + 1} of ${entry.texts.length}: ${entry.texts[k]}`);
    this.detail.replaceChildren(make("p", {}, `Path ${k + 1} of ${entry.texts.length}.`), make("p", {}, entry.sum_text));
  },

  setPathMarks(entry, k, cls) {
    for (const el of this.stack ? this.stack.querySelectorAll("." + cls) : []) el.classList.remove(cls);
    if (!entry || k < 0 || !entry.edges[k]) return;
    const edges = this.data.edges;
    for (const j of entry.edges[k]) {
      this.edgeEl[j]?.classList.add(cls);
      this.nodeEl[edges.dst[j]]?.classList.add(cls);
      this.nodeEl[edges.src[j]]?.classList.add(cls);
    }
  },

  buildPathList(entry) {
    const box = this.pathsBox;
    box.replaceChildren(make("h2", { class: "gad-h" }, "Paths"));
    this.pathItems = [];
    if (!entry) return;
    const list = make("ol", { class: "gad-path-list", role: "listbox", "aria-label": "Paths" });
    entry.texts.forEach((text, j) => {
      const li = make("li", { role: "option", tabindex: "0", "aria-selected": "false" }, text);
      this.on(li, "click", () => this.setStep(j));
      this.on(li, "keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        e.stopPropagation();
        this.setStep(j);
      });
      this.on(li, "mouseenter", () => this.setPathMarks(entry, j, "gad-path-preview"));
      this.on(li, "mouseleave", () => this.setPathMarks(entry, -1, "gad-path-preview"));
      list.append(li);
      this.pathItems.push(li);
    });
    box.append(list);
    if (entry.sum_text) box.append(make("p", { class: "gad-sum" }, `Sum: ${entry.sum_text}`));
    if (!entry.listed) box.append(make("p", { class: "gad-note" }, `${entry.count.toLocaleString("en")} paths in all; too many to list.`));
    const factor = make("div", { class: "gad-factor-text" });
    if (entry.forward_text) factor.append(make("p", {}, `The forward sweep from ${this.model.get("wrt")} groups the paths by their last edge: ${entry.forward_text}`));
    if (entry.reverse_text) factor.append(make("p", {}, `The reverse sweep from ${this.model.get("of")} groups them by their first edge: ${entry.reverse_text}`));
    box.append(factor);
  },
};
