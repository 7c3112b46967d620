// graphviz_ad explorer, part 4 of 6 (panels): the input/output choosers, the explanation of
// a step, the values table, the cost panel, the input controls and the paths list.
// Methods of ExplorerView (view.js copies them onto its prototype). Every ∂-text comes
// from the data, made in Python (graphviz_ad.notation); here it is only displayed.

const Panels = {
  buildSelects() {
    const d = this.data;
    const fill = (select, indices, whole, kind) => {
      select.replaceChildren();
      indices.forEach((i, k) => {
        const name = whole[k];  // the value wrt/of take; shown as drawn (clipped)
        const key = `${kind}:${name}`;
        const option = make("option", { value: name }, d.nodes.name[i]);
        if (!d.sweeps[key]) {
          const why = d.unavailable?.[key] || "not stored";
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

  buildTable() {
    const nodes = this.data.nodes;
    const table = make("table", { class: "gad-table" });
    const head = make("tr");
    this.derivHead = make("th", { scope: "col" }, "derivative");
    this.derivHead.className = "gad-num";
    head.append(make("th", { scope: "col" }, "node"), make("th", { scope: "col", class: "gad-num" }, "value"), this.derivHead);
    const thead = make("thead");
    thead.append(head);
    const tbody = make("tbody");
    const n = nodes.name.length;
    this.rowEl = new Array(n).fill(null);
    this.cellEl = new Array(n).fill(null);
    for (let i = 0; i < n; i++) {
      if (nodes.kind[i] === "const") continue;
      const row = make("tr");
      const deriv = make("td", { class: "gad-num" });
      row.append(make("th", { scope: "row" }, nodes.name[i]), make("td", { class: "gad-num" }, nodes.value[i]), deriv);
      tbody.append(row);
      this.rowEl[i] = row;
      this.cellEl[i] = deriv;
    }
    table.append(make("caption", {}, "Values and derivatives"), thead, tbody);
    this.tableWrap.replaceChildren(table);
  },

  buildCost() {
    const c = this.data.cost || { inputs: 0, edges: 0, forward_total: 0, reverse: {} };
    const box = this.costBox;
    box.replaceChildren(make("h2", { class: "gad-h" }, "Cost"));
    const list = make("ul", { class: "gad-cost-list" });
    this.reverseCost = make("li");
    list.append(
      make("li", {}, `Forward mode: ${c.inputs} sweep${c.inputs === 1 ? "" : "s"} (one per input) × ${c.edges} multiply-adds = ${c.forward_total}`),
      this.reverseCost,
    );
    const stored = this.data.input_names.filter((name) => this.data.sweeps["forward:" + name]).length;
    if (stored < c.inputs) list.append(make("li", { class: "gad-note" }, `${stored} of ${c.inputs} forward sweeps are stored here; compare plays those.`));
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

  buildInputs() {
    const box = this.inputsBox;
    box.replaceChildren();
    if (this.standalone && this.data.whatif) { this.buildWhatIf(); return; }  // no kernel: recompute here
    const inputs = this.model.get("_inputs") || {};
    if (!this.model.get("controls") || !Object.keys(inputs).length) return;
    box.append(make("h2", { class: "gad-h" }, "Inputs"));
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
        this.derivBlank.fill("");
        steps.node.forEach((node, i) => { this.derivBlank[node] = steps.symbol[i] + " = ?"; });
        this.derivEl.forEach((d, i) => { if (d) d.textContent = this.derivBlank[i]; });
        this.derivHead.textContent = sweep.column;
        this.heading.textContent = sweep.heading;
      }
    }
    if (!sweep) {
      const seed = mode === "forward" ? this.model.get("wrt") : this.model.get("of");
      let why = this.data.unavailable?.[mode + ":" + seed];
      if (!why && (seed === "" || this.standalone)) {  // nothing will compute it: say why
        why = Object.entries(this.data.unavailable || {})
          .filter(([k]) => k.startsWith(mode + ":")).map(([, reason]) => reason).join("; ")
          || `this page stores no ${mode} sweep`;
      }
      this.heading.textContent = "";
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
    this.mark(this.nodeEl[node], "gad-current");
    this.mark(this.rowEl[node], "gad-row-current");
    for (const j of terms) {
      this.mark(this.edgeEl[j], "gad-term");
      this.mark(this.nodeEl[mode === "forward" ? d.edges.src[j] : d.edges.dst[j]], "gad-factor");
    }
    for (const r of reads) this.mark(this.nodeEl[r], "gad-read");
    setFormula(this.formula, steps.text[k]);
    const parts = [make("p", {}, `Step ${k + 1} of ${steps.node.length}: node ${d.nodes.name[node]} (value ${d.nodes.value[node]}).`)];
    if (terms.length) {
      parts.push(make("p", {}, `One term per ${mode === "forward" ? "incoming" : "outgoing"} edge:`));
      const list = make("ul", { class: "gad-terms" });
      for (const text of steps.term_texts[k]) list.append(make("li", {}, text));
      parts.push(list);
    }
    if (mode === "reverse") {
      parts.push(make("p", { class: "gad-reads" }, reads.length
        ? "Reads stored forward values: " + reads.map((r) => `${d.nodes.name[r]} = ${d.nodes.value[r]}`).join(", ") + "."
        : "Reads no stored forward values."));
    }
    this.detail.replaceChildren(...parts);
    this.follow(node);
    this.followRow(this.rowEl[node]);
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
      const li = make("li", { role: "option", tabindex: "-1", "aria-selected": "false" }, text);
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
    if (entry.forward_text) factor.append(make("p", {}, `The forward sweep from ${this.model.get("wrt")} groups the paths by their last edge: ${entry.forward_text}`));
    if (entry.reverse_text) factor.append(make("p", {}, `The reverse sweep from ${this.model.get("of")} groups them by their first edge: ${entry.reverse_text}`));
    box.append(factor);
  },
};
