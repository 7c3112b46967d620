// graphviz_ad explorer, part 7 of 8 (inspect): a clicked node's details, the legend, and
// present mode. Methods of ExplorerView (view.js copies them onto its prototype).

/** The legend: every state colour and line style the drawing uses, as small swatches. */
function buildLegend() {
  const box = make("details", { class: "gad-legend" });
  box.append(make("summary", {}, "Legend"));
  const items = [
    ["current", "the current step's node: its derivative is computed now"],
    ["done", "done: its derivative is known (written in blue)"],
    ["term", "an edge of the current chain rule, and the node at its other end"],
    ["read", "a stored forward value the current step reads (dashed, green)"],
    ["pending", "not reached yet in this sweep (faded)"],
    ["path", "the chosen path (paths mode)"],
    ["input", "an input (rounded corners)"],
    ["output", "an output (double border)"],
    ["const", "a constant (dashed, small)"],
    ["scope", "a collapsed scope: many nodes in one box, with how many are done"],
  ];
  const list = make("ul", { class: "gad-legend-list" });
  for (const [kind, text] of items) {
    const li = make("li");
    li.append(make("span", { class: `gad-swatch gad-swatch-${kind}`, "aria-hidden": "true" }), make("span", {}, text));
    list.append(li);
  }
  box.append(list, make("p", { class: "gad-note" },
    "Each edge is labelled with its local partial: ∂node/∂input = formula = number. Click a node for its details."));
  return box;
}

const Inspect = {
  // A click (not a drag) on the drawing: the details of the node under it, if any.
  inspectAt(target) {
    const g = target.closest ? target.closest("g.node") : null;
    const match = g && /^node-n(\d+)$/.exec(g.id);
    if (match) this.inspect(Number(match[1]));
  },

  inspect(node) {
    const d = this.data, box = this.inspector;
    const name = d.nodes.name[node];
    const head = make("div", { class: "gad-inspect-head" });
    const close = button("Close the node's details", "×", "gad-close");
    this.on(close, "click", () => { box.hidden = true; this.graph.focus({ preventScroll: true }); });
    head.append(make("h2", { class: "gad-h" }, `Node ${name}`), close);
    const parts = [head];
    const kind = d.nodes.kind[node] === "op" ? d.nodes.op[node] : d.nodes.kind[node];
    const expression = d.nodes.expression?.[node];
    parts.push(make("p", { class: "gad-inspect-value" },
      `${name}${expression ? " = " + expression : ""} = ${d.nodes.value[node]} (${kind})`));
    const mode = this.model.get("mode");
    const sweep = mode !== "paths" ? this.sweep() : null;
    if (sweep) {
      if (!sweep.stepOf) sweep.stepOf = new Map(sweep.steps.node.map((n, j) => [n, j]));
      const j = sweep.stepOf.get(node);
      if (j === undefined) {
        parts.push(make("p", {}, "This sweep does not visit it."));
      } else {
        const steps = sweep.steps, known = j <= this.shown.step;
        parts.push(make("p", {}, `In this sweep: ${steps.symbol[j]} = ${known ? steps.value[j] : "? (not reached yet)"}, ` +
                                 `step ${j + 1} of ${steps.node.length}.`));
        const go = button(`Go to step ${j + 1}`, `Go to step ${j + 1}`, "gad-go");
        this.on(go, "click", () => {
          this.stepBySelect.value = "node";
          this.setStep(j);
        });
        parts.push(go);
        if (mode === "reverse") {
          const reads = steps.reads[j];
          parts.push(make("p", { class: "gad-reads" }, reads.length
            ? "Its backward step reads the stored values " + reads.map((r) => this.readText(r)).join(", ") + "."
            : "Its backward step reads no stored values."));
        }
      }
    }
    if (!this.inEdges) {
      this.inEdges = new Map();
      d.edges.dst.forEach((dst, j) => { if (!this.inEdges.has(dst)) this.inEdges.set(dst, []); this.inEdges.get(dst).push(j); });
    }
    const formulas = (this.inEdges.get(node) || []).map((j) => d.edges.formula?.[j]).filter(Boolean);
    if (formulas.length) {
      parts.push(make("p", {}, `Its local partials (one per incoming edge):`));
      const list = make("ul", { class: "gad-terms" });
      for (const text of formulas) list.append(make("li", {}, text));
      parts.push(list);
    }
    box.replaceChildren(...parts);
    box.hidden = false;
  },

  // Present mode: the explorer full screen, larger type, the graph using the height. Where
  // full screen is not allowed (a frame without allow="fullscreen") it fills the window.
  togglePresent() {
    if (document.fullscreenElement === this.el) { document.exitFullscreen(); return; }
    if (this.el.classList.contains("gad-present")) { this.el.classList.remove("gad-present"); this.presented(); return; }
    if (document.fullscreenEnabled && this.el.requestFullscreen) {
      this.el.requestFullscreen().catch(() => { this.el.classList.add("gad-present"); this.presented(); });
    } else {
      this.el.classList.add("gad-present");
      this.presented();
    }
  },

  presented() {
    const on = document.fullscreenElement === this.el || this.el.classList.contains("gad-present");
    if (on === !!this.presenting) return;
    this.presenting = on;
    this.el.classList.toggle("gad-presenting", on);
    this.presentBtn.setAttribute("aria-pressed", String(on));
    this.graph.style.height = on ? "calc(100vh - 110px)" : this.graphHeight;
    this.userZoomed = false;
    requestAnimationFrame(() => { this.fit(); this.follow(this.currentNode ?? 0); });
  },
};
