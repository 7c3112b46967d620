// graphviz_ad explorer, part 6 of 8 (playback): play a sweep step by step, and compare
// every forward sweep with the one reverse sweep while counting their multiply-adds.
// Methods of ExplorerView (view.js copies them onto its prototype).

const Playback = {
  togglePlay() { if (this.timer) this.stop(); else this.play(); },

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
  },

  stop() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.playBtn.setAttribute("aria-label", "Play");
    this.playBtn.title = "Play";
    setIcon(this.playBtn, "play");
  },

  startCompare() {
    this.stop();
    const d = this.data;
    const plan = [];
    for (const name of d.input_names) {  // an array input: the sweep of each stored entry
      const keys = d.elements?.[name] ? d.elements[name].keys.map((entry) => name + entry) : [name];
      for (const key of keys) {
        const sweep = d.sweeps["forward:" + key];
        if (sweep) plan.push(["forward", sweep]);
      }
    }
    const reverse = d.sweeps["reverse:" + this.model.get("of")];
    if (reverse) plan.push(["reverse", reverse]);
    if (!plan.length) return;
    this.compare = { plan, part: 0, step: -1, fwd: 0, rev: 0 };
    this.compareBtn.textContent = "Stop compare";
    this.compareBtn.setAttribute("aria-label", "Stop compare");
    const speed = (Number(this.speedSelect.value) || 1) * 4;
    this.compareTimer = setInterval(() => this.compareTick(), 1000 / speed);
  },

  compareTick() {
    const c = this.compare;
    c.step += 1;
    if (c.step >= c.plan[c.part][1].steps.node.length) {
      c.part += 1;
      c.step = 0;
      if (c.part >= c.plan.length) { this.stopCompare(true); return; }
    }
    const [mode, sweep] = c.plan[c.part];
    const work = sweep.steps.term_edges[c.step].length;
    if (mode === "forward") c.fwd += work; else c.rev += work;
    this.showStep(sweep, mode, c.step, `compare:${mode}:${sweep.seed_name}`);
    // The toolbar follows the sweep being played.
    this.modeSelect.value = mode;
    this.counter.textContent = `${c.step + 1} / ${sweep.steps.node.length}`;
    const forwardCount = c.plan.filter((p) => p[0] === "forward").length;
    const which = mode === "forward" ? `forward sweep ${c.part + 1} of ${forwardCount} (from ${sweep.seed_name})`
      : `the reverse sweep (from ${sweep.seed_name})`;
    this.compareOut.textContent = `Playing ${which}. Multiply-adds so far: forward ${c.fwd}, reverse ${c.rev}.`;
  },

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
  },
};
