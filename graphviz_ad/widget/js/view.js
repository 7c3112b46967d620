// graphviz_ad explorer, part 8 of 8 (view): the ExplorerView class (the skeleton, the
// model ↔ view wiring, stepping, the keyboard) with the methods of parts 2–7 copied onto
// it, and the anywidget entry point render().

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
    this.listen("change:_svg change:_svg_grouped change:_data", () => this.scheduleLoad());
    this.listen("change:_inputs change:controls", () => this.buildInputs());
    this.listen("change:_message", () => { this.message.textContent = this.model.get("_message") || ""; });
  }

  // One model.on per event: hosts that follow anywidget's model contract literally
  // (marimo) take the event name as given, so "change:a change:b" would never fire.
  listen(events, fn) {
    for (const event of events.split(" ")) {
      this.model.on(event, fn);
      this.handlers.push([event, fn]);
    }
  }

  destroy() {
    this.destroyed = true;
    this.resizeObserver?.disconnect();
    this.viewportObserver?.disconnect();
    this.stop();
    this.stopCompare();
    cancelAnimationFrame(this.saveFrame);
    try { this.flushSend(); } catch (err) { /* the model is closing too */ }
    document.removeEventListener("fullscreenchange", this.onFullscreen);
    for (const [event, fn] of this.handlers) this.model.off(event, fn);
  }

  get standalone() { return !!this.model.get("_standalone"); }

  // ---------------------------------------------------------------- DOM skeleton
  build() {
    const el = this.el;
    el.classList.add("gad-explorer");
    el.tabIndex = 0;
    el.setAttribute("role", "group");
    el.setAttribute("aria-roledescription", "sweep explorer");
    // Leaving the explorer (to run a cell that reads explorer.step) sends a waiting step now.
    el.addEventListener("pointerleave", () => this.flushSend());
    el.addEventListener("focusout", (e) => { if (!el.contains(e.relatedTarget)) this.flushSend(); });

    this.title = make("div", { class: "gad-title" });
    const bar = make("div", { class: "gad-toolbar" });
    this.modeSelect = make("select", { "aria-label": "Mode" });
    for (const [value, text] of MODES) this.modeSelect.append(make("option", { value }, text));
    this.wrtSelect = make("select", { "aria-label": "Input X" });
    this.ofSelect = make("select", { "aria-label": "Output Z" });
    this.wrtField = labelled("X", this.wrtSelect);
    // An array input has no single forward sweep: the learner picks one of its entries.
    this.elementSelect = make("select", { "aria-label": "Element of the chosen input" });
    this.elementField = labelled("entry", this.elementSelect);
    this.ofField = labelled("Z", this.ofSelect);
    this.stepBySelect = make("select", { "aria-label": "Step by" });
    this.stepBySelect.append(make("option", { value: "node" }, "node"), make("option", { value: "layer" }, "layer (scope)"));
    this.stepByField = labelled("Step by", this.stepBySelect);
    // A large network can also be drawn one box per neuron (legible at Fit).
    this.drawingSelect = make("select", { "aria-label": "Drawing" });
    this.drawingSelect.append(make("option", { value: "nodes" }, "every node"), make("option", { value: "neurons" }, "one box per neuron"));
    this.drawingField = labelled("Drawing", this.drawingSelect);
    this.drawingField.hidden = true;
    bar.append(labelled("Mode", this.modeSelect), this.wrtField, this.elementField, this.ofField, this.stepByField,
               this.drawingField);

    const nav = make("div", { class: "gad-nav" });
    this.firstBtn = button("First step", "first");
    this.prevBtn = button("Previous step", "prev");
    this.playBtn = button("Play", "play", "gad-play");
    this.nextBtn = button("Next step", "next", "gad-next");
    this.lastBtn = button("Last step", "last");
    this.slider = make("input", { type: "range", min: "0", max: "0", value: "0", "aria-label": "Step", class: "gad-slider" });
    this.counter = make("span", { class: "gad-counter" }, "0 / 0");
    this.speedSelect = make("select", { "aria-label": "Speed" });
    for (const s of SPEEDS) this.speedSelect.append(make("option", { value: String(s) }, `${s}×`));
    this.speedSelect.value = "1";
    nav.append(this.firstBtn, this.prevBtn, this.playBtn, this.nextBtn, this.lastBtn, this.slider, this.counter,
               labelled("Speed", this.speedSelect));
    bar.append(nav);

    const main = make("div", { class: "gad-main" });
    const graphBox = make("div", { class: "gad-graph-box" });
    this.graphBox = graphBox;
    // Focusable, so that the arrow keys scroll it; the drawing's text is hidden from screen
    // readers (the table and the explanation say the same, in order), its name says what it is.
    this.graph = make("div", { class: "gad-graph", role: "group", tabindex: "0",
      "aria-label": "Computational graph (arrow keys scroll it; the table lists every node)" });
    const zoom = make("div", { class: "gad-zoom" });
    this.zoomIn = button("Zoom in", "plus");
    this.zoomOut = button("Zoom out", "minus");
    this.zoomFit = button("Fit graph", "fit");
    this.presentBtn = button("Present (full screen)", "present");
    zoom.append(this.zoomIn, this.zoomOut, this.zoomFit, this.presentBtn);
    graphBox.append(this.graph, zoom);

    const side = make("div", { class: "gad-side" });
    this.heading = make("div", { class: "gad-heading" });
    // The step's short result is announced (a live region of its own); the whole
    // explanation is there to read on demand, not re-announced at every step.
    this.announce = make("div", { class: "gad-sr", role: "status", "aria-live": "polite" });
    this.status = make("div", { class: "gad-explain" });
    this.formula = make("div", { class: "gad-formula" });
    this.detail = make("div", { class: "gad-detail" });
    this.status.append(this.formula, this.detail);
    // The operands and result of an array step, as matrices or heat maps (outside the live
    // region: a screen reader hears the step's text, and reads the arrays on demand).
    this.figures = make("div", { class: "gad-figures" });
    this.pathsBox = make("div", { class: "gad-paths" });
    this.costBox = make("div", { class: "gad-cost" });
    this.inputsBox = make("div", { class: "gad-inputs" });
    this.inspector = make("div", { class: "gad-inspect", hidden: "" });
    this.tableWrap = make("div", { class: "gad-table-wrap", role: "region", tabindex: "0",
      "aria-label": "Values and derivatives (arrow keys scroll)" });
    this.legend = buildLegend();
    side.append(this.heading, this.status, this.figures, this.inspector, this.pathsBox, this.costBox, this.inputsBox,
                this.tableWrap, this.legend);
    main.append(graphBox, side);
    this.message = make("div", { class: "gad-message", role: "alert" });
    el.replaceChildren(this.title, bar, main, this.message, this.announce);

    this.on(this.modeSelect, "change", () => this.setSweep({ mode: this.modeSelect.value }));
    this.on(this.wrtSelect, "change", () => this.setSweep({ wrt: this.firstEntry(this.wrtSelect.value) }));
    this.on(this.elementSelect, "change", () => this.setSweep({ wrt: this.wrtParts()[0] + this.elementSelect.value }));
    this.on(this.stepBySelect, "change", () => this.apply());
    this.on(this.drawingSelect, "change", () => { this.userZoomed = false; this.loadGraph(); });
    this.on(this.ofSelect, "change", () => this.setSweep({ of: this.ofSelect.value }));
    this.on(this.firstBtn, "click", () => this.setStep(0));
    this.on(this.prevBtn, "click", () => this.setStep(this.stepFrom(-1)));
    this.on(this.nextBtn, "click", () => this.setStep(this.stepFrom(1)));
    this.on(this.lastBtn, "click", () => this.setStep(this.count() - 1));
    this.on(this.playBtn, "click", () => this.togglePlay());
    this.on(this.slider, "input", () => this.setStep(Number(this.slider.value), false));
    this.on(this.slider, "change", () => this.setStep(Number(this.slider.value)));
    this.on(this.speedSelect, "change", () => { if (this.timer) { this.stop(); this.play(); } });
    this.on(this.zoomIn, "click", () => { this.userZoomed = true; this.zoom(this.scale * 1.25); });
    this.on(this.zoomOut, "click", () => { this.userZoomed = true; this.zoom(this.scale / 1.25); });
    this.on(this.zoomFit, "click", () => { this.userZoomed = true; this.fit(); });
    this.on(this.presentBtn, "click", () => this.togglePresent());
    this.onFullscreen = () => this.presented();
    document.addEventListener("fullscreenchange", this.onFullscreen);
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

  // ---------------------------------------------------------------- model ↔ view
  count() {
    if (this.model.get("mode") === "paths") return this.pathEntry()?.texts.length || 0;
    return this.sweep()?.steps.node.length || 0;
  }

  sweep() {
    const m = this.model;
    const key = m.get("mode") === "forward" ? "forward:" + m.get("wrt") : "reverse:" + m.get("of");
    return this.data.sweeps[key];
  }

  pathEntry() { return this.data.paths[`${this.wrtParts()[0]}>${this.model.get("of")}`]; }

  // wrt is an input's name, or an input's name and one entry of it ("W2[1, 2]"):
  // [input, "[1, 2]" or ""].
  wrtParts() {
    const wrt = this.model.get("wrt") || "";
    for (const name of Object.keys(this.data.elements || {})) {
      const rest = wrt.slice(name.length);
      if (wrt.startsWith(name) && /^\[\d+(, \d+)*\]$/.test(rest)) return [name, rest];
    }
    return [wrt, ""];
  }

  // The wrt value for choosing an input: an array input starts at its first stored entry.
  firstEntry(name) {
    const entry = this.data.elements?.[name];
    if (!entry) return name;
    return name + (entry.keys[0] || "[" + entry.shape.map(() => "0").join(", ") + "]");
  }

  // The current sweep's runs of one scope (layers), or null when it has fewer than two.
  scopeRuns() {
    if (this.model.get("mode") === "paths") return null;
    const l = this.sweep()?.layers;
    return l && l.scope.length > 1 ? l : null;
  }

  layerOf(step) {
    const l = this.scopeRuns();
    if (!l) return -1;
    let k = 0;
    while (k < l.stop.length - 1 && step >= l.stop[k]) k++;
    return k;
  }

  get byLayer() { return !!this.scopeRuns() && this.stepBySelect.value === "layer"; }

  // Next/previous: one node, or (stepping by layer) to the end of the next/previous layer.
  stepFrom(direction) {
    const step = this.model.get("step");
    if (!this.byLayer) return step + direction;
    const l = this.scopeRuns(), k = this.layerOf(step);
    if (direction > 0) return step < l.stop[k] - 1 ? l.stop[k] - 1 : l.stop[Math.min(k + 1, l.stop.length - 1)] - 1;
    return k > 0 ? l.stop[k - 1] - 1 : 0;
  }

  // Show step k at once; tell Python now, or (send = false: a dragged slider) at most once
  // per animation frame, so a drag does not flood the kernel with messages.
  setStep(k, send = true) {
    const n = this.count();
    if (!n) return;
    const step = Math.max(0, Math.min(n - 1, k));
    if (step !== this.model.get("step")) this.model.set("step", step);
    else if (!this.saveFrame) return;  // nothing new to show or to send
    if (send) {
      cancelAnimationFrame(this.saveFrame);
      this.saveFrame = 0;
      this.sendAfterPaint();
    } else if (!this.saveFrame) {
      this.saveFrame = requestAnimationFrame(() => { this.saveFrame = 0; this.model.save_changes(); });
    }
  }

  // Tell Python once stepping pauses (SYNC_IDLE ms after the last step), not with each step:
  // every message to the kernel makes JupyterLab repaint its kernel and execution
  // indicators (10–25 ms of paint and layout, measured), which landed in the frames of the
  // steps that followed it.
  flushSend() {
    if (!this.sendTimer) return;
    clearTimeout(this.sendTimer);
    this.sendTimer = 0;
    this.model.save_changes();
  }

  sendAfterPaint() {
    clearTimeout(this.sendTimer);
    this.sendTimer = setTimeout(() => {
      this.sendTimer = 0;
      if (!this.destroyed) this.model.save_changes();
    }, SYNC_IDLE);
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
    const [input, entry] = this.wrtParts();
    this.wrtSelect.value = input;
    this.ofSelect.value = m.get("of");
    this.elementField.hidden = mode === "reverse" || !this.data.elements?.[input];
    if (!this.elementField.hidden) this.fillEntries(input, entry);
    this.el.dataset.mode = mode;
    this.wrtField.hidden = mode === "reverse";
    this.ofField.hidden = mode === "forward" || this.data.outputs.length < 2 && mode !== "paths";
    this.wrtField.querySelector(".gad-field-label").textContent = mode === "paths" ? "from" : "X";
    this.ofField.querySelector(".gad-field-label").textContent = mode === "paths" ? "to" : "Z";
    const n = this.count();
    const step = Math.max(0, Math.min(n - 1, m.get("step") || 0));
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.value = String(step);
    const layers = this.scopeRuns();
    this.stepByField.hidden = !layers;
    this.counter.textContent = !n ? "0 / 0" : this.byLayer
      ? `layer ${this.layerOf(step) + 1} / ${layers.scope.length} · ${step + 1} / ${n}` : `${step + 1} / ${n}`;
    this.firstBtn.disabled = this.prevBtn.disabled = step <= 0;
    this.nextBtn.disabled = this.lastBtn.disabled = step >= n - 1;
    this.showCost();
    if (mode === "paths") this.showPath(step);
    else this.showStep(this.sweep(), mode, step);
    this.drawMinimap();
  }

  // ---------------------------------------------------------------- keyboard
  onKey(e) {
    const tag = e.target.tagName;
    if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") return;
    // In the graph or the table the arrow keys scroll them, as in any scrollable box.
    if ((e.target === this.graph || e.target === this.tableWrap || e.target.tagName === "CANVAS") && e.key.startsWith("Arrow")) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const step = this.model.get("step");
    if (e.key === "ArrowRight") this.setStep(this.stepFrom(1));
    else if (e.key === "ArrowLeft") this.setStep(this.stepFrom(-1));
    else if (e.key === "Home") this.setStep(0);
    else if (e.key === "End") this.setStep(this.count() - 1);
    else if (e.key === " " && tag !== "BUTTON") this.togglePlay();
    else return;
    e.preventDefault();
    e.stopPropagation();  // keep JupyterLab's notebook shortcuts out of it
  }
}

Object.assign(ExplorerView.prototype, GraphView, Panels, Inspect, Playback, WhatIf);

function render({ model, el }) {
  const view = new ExplorerView(model, el);
  return () => view.destroy();
}

export default { render };
