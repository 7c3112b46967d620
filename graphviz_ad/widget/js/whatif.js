// graphviz_ad explorer, part 3 of 8 (what-if): a scalar graph's values, local partials,
// tangents and adjoints recomputed in the browser when a reader edits an input.
//
// The graph comes from Python (graphviz_ad/widget/whatif.py: whatif_spec) as op names and argument
// indices. SCALAR_RULES below restates, for numbers, each elementwise entry of the Python
// registry (graphviz_ad/primitives.py, elementwise_ops.py): its value and its partial per
// argument, with the same conventions at kinks. Python stays the source of truth: the
// browser tests compare every rule here with the registry at sample points, and whole
// sweeps on random graphs (tests/browser/test_whatif.py), and a test fails when an entry
// has no rule here.

const LN2 = Math.LN2;
const LN10 = Math.LN10;

function sign(x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

function pyMax(x, y) { return y > x ? y : x; }  // Python's max: the first of equals, nan as given
function pyMin(x, y) { return y < x ? y : x; }

function pyMod(x, y) {  // Python's float %: the result takes the divisor's sign
  if (y === 0) return NaN;
  let m = x % y;
  if (m && ((y < 0) !== (m < 0))) m += y;
  if (m === 0) m = y < 0 ? -0 : 0;
  return m;
}

function pyFloorDiv(x, y) {  // Python's float //, which is consistent with its %
  if (y === 0) return x === 0 || Number.isNaN(x) ? NaN : (x > 0 ? Infinity : -Infinity);
  const m = pyMod(x, y);
  const div = (x - m) / y;
  if (!div) return 0 * (x / y);
  let q = Math.floor(div);
  if (div - q > 0.5) q += 1;
  return q;
}

function rint(x) {  // numpy's rint: halves to even
  const r = Math.round(x);
  return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
}

function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const z = Math.exp(x);
  return z / (1 + z);
}

function sinc(x) {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

function logaddexp(x, y) {  // numpy's npy_logaddexp
  if (x === y) return x + LN2;
  const d = x - y;
  if (d > 0) return x + Math.log1p(Math.exp(-d));
  if (d <= 0) return y + Math.log1p(Math.exp(d));
  return d;  // nan
}

function logaddexp2(x, y) {  // numpy's npy_logaddexp2
  if (x === y) return x + 1;
  const d = x - y;
  if (d > 0) return x + Math.log1p(Math.pow(2, -d)) / LN2;
  if (d <= 0) return y + Math.log1p(Math.pow(2, d)) / LN2;
  return d;
}

function powValue(x, y) {
  return Math.pow(x, y);  // (NaN for a negative base and a fractional exponent, as numpy)
}

const zero = () => 0;

// name -> [value(...args), [partial_k(...args, out)]]
export const SCALAR_RULES = {
  add: [(x, y) => x + y, [() => 1, () => 1]],
  sub: [(x, y) => x - y, [() => 1, () => -1]],
  mul: [(x, y) => x * y, [(x, y) => y, (x) => x]],
  div: [(x, y) => x / y, [(x, y) => 1 / y, (x, y, o) => -(o / y)]],
  pow: [powValue, [(x, y) => (y === 0 ? 0 : y * powValue(x, y - 1)),
                   (x, y, o) => (o === 0 ? 0 : o * Math.log(x))]],
  maximum: [pyMax, [(x, y) => (x >= y ? 1 : 0), (x, y) => (x < y ? 1 : 0)]],
  minimum: [pyMin, [(x, y) => (x <= y ? 1 : 0), (x, y) => (x > y ? 1 : 0)]],
  fmax: [(x, y) => (Number.isNaN(x) ? y : (Number.isNaN(y) ? x : pyMax(x, y))),
         [(x, y) => ((x >= y || Number.isNaN(y)) ? 1 : 0), (x, y) => ((x >= y || Number.isNaN(y)) ? 0 : 1)]],
  fmin: [(x, y) => (Number.isNaN(x) ? y : (Number.isNaN(y) ? x : pyMin(x, y))),
         [(x, y) => ((x <= y || Number.isNaN(y)) ? 1 : 0), (x, y) => ((x <= y || Number.isNaN(y)) ? 0 : 1)]],
  remainder: [pyMod, [() => 1, (x, y) => -Math.floor(x / y)]],
  floor_divide: [pyFloorDiv, [zero, zero]],
  logaddexp: [logaddexp, [(x, y, o) => Math.exp(x - o), (x, y, o) => Math.exp(y - o)]],
  logaddexp2: [logaddexp2, [(x, y, o) => Math.pow(2, x - o), (x, y, o) => Math.pow(2, y - o)]],
  arctan2: [Math.atan2, [(x, y) => y / (x * x + y * y), (x, y) => -(x / (x * x + y * y))]],
  hypot: [Math.hypot, [(x, y, o) => x / o, (x, y, o) => y / o]],
  neg: [(x) => -x, [() => -1]],
  abs: [Math.abs, [(x) => sign(x)]],
  fabs: [Math.abs, [(x) => sign(x)]],
  exp: [Math.exp, [(x, o) => o]],
  exp2: [(x) => Math.pow(2, x), [(x, o) => o * LN2]],
  expm1: [Math.expm1, [(x, o) => o + 1]],
  log: [Math.log, [(x) => 1 / x]],
  log2: [Math.log2, [(x) => 1 / (x * LN2)]],
  log10: [Math.log10, [(x) => 1 / (x * LN10)]],
  log1p: [Math.log1p, [(x) => 1 / (1 + x)]],
  sqrt: [Math.sqrt, [(x, o) => 0.5 / o]],
  square: [(x) => x * x, [(x) => 2 * x]],
  reciprocal: [(x) => 1 / x, [(x, o) => -(o * o)]],
  sin: [Math.sin, [(x) => Math.cos(x)]],
  cos: [Math.cos, [(x) => -Math.sin(x)]],
  tan: [Math.tan, [(x, o) => 1 + o * o]],
  arcsin: [Math.asin, [(x) => 1 / Math.sqrt(1 - x * x)]],
  arccos: [Math.acos, [(x) => -(1 / Math.sqrt(1 - x * x))]],
  arctan: [Math.atan, [(x) => 1 / (1 + x * x)]],
  sinh: [Math.sinh, [(x) => Math.cosh(x)]],
  cosh: [Math.cosh, [(x) => Math.sinh(x)]],
  tanh: [Math.tanh, [(x, o) => 1 - o * o]],
  arcsinh: [Math.asinh, [(x) => 1 / Math.sqrt(x * x + 1)]],
  arccosh: [Math.acosh, [(x) => 1 / Math.sqrt(x * x - 1)]],
  arctanh: [Math.atanh, [(x) => 1 / (1 - x * x)]],
  sigmoid: [sigmoid, [(x, o) => o * (1 - o)]],
  relu: [(x) => (x > 0 ? x : 0), [(x) => (x > 0 ? 1 : 0)]],
  deg2rad: [(x) => x * (Math.PI / 180), [() => Math.PI / 180]],
  rad2deg: [(x) => x * (180 / Math.PI), [() => 180 / Math.PI]],
  sinc: [sinc, [(x, o) => (x === 0 ? 0 : (Math.cos(Math.PI * x) - o) / x)]],
  sign: [sign, [zero]],
  floor: [Math.floor, [zero]],
  ceil: [Math.ceil, [zero]],
  trunc: [Math.trunc, [zero]],
  rint: [rint, [zero]],
};

// A term partial × factor between numbers is 0 when either is exactly 0, even against an
// infinite other (0·∞ = 0): Python's ZERO_TERMS convention.
function term(partial, factor) {
  return (partial && factor) ? partial * factor : 0;
}

/**
 * Recompute a scalar graph for new input values.
 * spec: {ops: [name], args: [[a] | [a, b] | []], kinds: ["input"|"const"|"op"], values: [number]}
 * inputs: {index: value} for the inputs to change (others keep spec.values).
 * Returns {values, partials}: partials[i] lists node i's partial per argument (null for
 * an argument that is a constant: no sweep differentiates along it).
 */
export function evaluate(spec, inputs = {}) {
  const n = spec.ops.length;
  const values = new Array(n);
  const partials = new Array(n);
  for (let i = 0; i < n; i++) {
    const kind = spec.kinds[i];
    if (kind !== "op") {
      values[i] = (kind === "input" && i in inputs) ? Number(inputs[i]) : spec.values[i];
      partials[i] = [];
      continue;
    }
    const rule = SCALAR_RULES[spec.ops[i]];
    const args = spec.args[i].map((a) => values[a]);
    const out = rule[0](...args);
    values[i] = out;
    partials[i] = spec.args[i].map((a, slot) => (spec.kinds[a] === "const" ? null : rule[1][slot](...args, out)));
  }
  return { values, partials };
}

/** Tangents of every node for the seed d(input)/d(input) = 1 (one forward sweep). */
export function forwardTangents(spec, partials, wrt) {
  const n = spec.ops.length;
  const tangents = new Array(n).fill(0);
  tangents[wrt] = 1;
  for (let i = 0; i < n; i++) {
    if (spec.kinds[i] !== "op") continue;
    let t = 0;
    spec.args[i].forEach((a, slot) => {
      const p = partials[i][slot];
      if (p !== null) t += term(p, tangents[a]);
    });
    tangents[i] = t;
  }
  return tangents;
}

/** Adjoints of every node up to the seeded output (one reverse sweep). */
export function reverseAdjoints(spec, partials, of) {
  const adjoints = new Array(of + 1).fill(0);
  adjoints[of] = 1;
  for (let i = of; i >= 0; i--) {
    if (spec.kinds[i] !== "op") continue;
    const ct = adjoints[i];
    spec.args[i].forEach((a, slot) => {
      const p = partials[i][slot];
      if (p !== null) adjoints[a] += term(p, ct);
    });
  }
  return adjoints;
}

/** A number as Python's format_number writes it: ``digits`` significant digits, "%g"-style. */
export function formatNumber(x, digits = 4) {
  if (x === 0) return "0";
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const [mantissa, exponentText] = x.toExponential(digits - 1).split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= digits) {
    return `${stripZeros(mantissa)}e${exponent}`;
  }
  return stripZeros(x.toFixed(Math.max(0, digits - 1 - exponent)));
}

function stripZeros(text) {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

// ---------------------------------------------------------------- the explorer's what-if
// Methods of ExplorerView (view.js copies them onto its prototype). The data's texts were
// made in Python with their numbers as slots ⟨k⟩ (notation.step_template); after an edit
// the numbers are recomputed here and put into the same texts.

const SLOT_PATTERN = /⟨(\d+)⟩/g;

function fillTemplate(template, slots, read, fmt) {
  const numbers = [];
  for (const s of slots) numbers.push(s[0] === "x" ? term(numbers[s[1]], numbers[s[2]]) : read(s));
  return template.replace(SLOT_PATTERN, (_, k) => fmt(numbers[Number(k)]));
}

const WhatIf = {
  // Number boxes and sliders for a graph of numbers in a page with no kernel.
  buildWhatIf() {
    const d = this.data;
    const spec = d.whatif;
    const box = this.inputsBox;
    box.append(make("h2", { class: "gad-h" }, "Inputs (what if?)"));
    if (!this.whatIfStart) this.whatIfStart = { ...spec.values };
    spec.kinds.forEach((kind, i) => {
      if (kind !== "input") return;
      const start = this.whatIfStart[i];
      const value = this.whatIfInputs?.[i] ?? start;
      const span = Math.max(1, Math.abs(start)) * 2;  // fixed by the first value: the thumb stays put
      const name = d.nodes.name[i];
      const number = make("input", { type: "number", step: "any", value: String(value), "aria-label": `Input ${name}`, class: "gad-num-input" });
      const slider = make("input", { type: "range", min: String(start - span), max: String(start + span),
                                     step: String(span / 100), value: String(value), "aria-label": `Input ${name} (slider)` });
      const set = (v) => { if (Number.isFinite(v)) this.whatIf(i, v); };
      this.on(number, "change", () => { slider.value = number.value; set(Number(number.value)); });
      this.on(slider, "input", () => { number.value = slider.value; set(Number(slider.value)); });
      const row = labelled(name, number);
      row.append(slider);
      box.append(row);
    });
    box.append(make("p", { class: "gad-note" }, "Recomputed in this page (no kernel): every value, local derivative, tangent and adjoint."));
  },

  whatIf(index, value) {
    const d = this.data;
    const spec = d.whatif;
    this.whatIfInputs = { ...(this.whatIfInputs || {}), [index]: value };
    const { values, partials } = evaluate(spec, this.whatIfInputs);
    const fmt = (x) => formatNumber(x, d.digits);
    d.nodes.value = values.map(fmt);
    for (const sweep of Object.values(d.sweeps)) {
      const derivs = sweep.mode === "forward" ? forwardTangents(spec, partials, sweep.seed)
        : reverseAdjoints(spec, partials, sweep.seed);
      const read = (s) => (s[0] === "d" ? (derivs[s[1]] ?? 0) : partials[s[1]][s[2]]);
      const st = sweep.steps;
      st.value = st.node.map((n) => fmt(derivs[n] ?? 0));
      st.text = st.template.map((t, k) => fillTemplate(t, st.slots[k], read, fmt));
      st.term_texts = st.term_templates.map((ts, k) => ts.map((t, j) => fillTemplate(t, st.term_slots[k][j], read, fmt)));
    }
    const edges = d.edges;
    const partialOf = (j) => partials[edges.dst[j]][edges.slot[j]];
    for (const [key, entry] of Object.entries(d.paths)) {
      const products = entry.edges.map((path) => path.reduce((p, j) => p * partialOf(j), 1));
      entry.texts = entry.texts.map((text, k) => `${text.split(": ")[0]}: ${entry.edges[k].map((j) => fmt(partialOf(j))).join("·")} = ${fmt(products[k])}`);
      if (entry.sum_text) {
        entry.sum_text = `${entry.sum_text.split(" = ")[0]} = ${products.map(fmt).join(" + ")} = ${fmt(products.reduce((a, b) => a + b, 0))}`;
      }
      const [src, dst] = key.split(">");
      const at = (sweep, node) => (sweep ? sweep.steps.text[sweep.steps.node.indexOf(node)] || "" : "");
      entry.forward_text = at(d.sweeps["forward:" + src], entry.dst);
      entry.reverse_text = at(d.sweeps["reverse:" + dst], entry.src);
    }
    // The drawing: node values and edge labels (their numbers).
    if (this.stack) {
      values.forEach((v, i) => {
        const el = this.stack.querySelector(`[id="value-n${i}"]`);
        if (el) el.textContent = fmt(v);
      });
      edges.dst.forEach((dst, j) => {
        const label = edges.label[j];
        const text = label && this.edgeEl[j]?.querySelector("text");
        if (text) text.textContent = `\u00a0${label} = ${fmt(partialOf(j))}`;
      });
    }
    this.buildTable();
    this.shown = { key: null, step: -1, path: -1 };
    this.apply();
  },
};
