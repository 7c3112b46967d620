// graphviz_ad explorer, part 1 of 8 (base): constants, the kernel-free model, DOM helpers.
//
// The explorer's script is one ES module assembled in Python from js/*.js in a fixed order
// (graphviz_ad/widget/script.py: base, arrays, whatif, graph_view, panels, playback, inspect,
// view), no build
// step. An anywidget front end (export default { render }) that also runs in the
// kernel-free page written by save_html, where createStandaloneModel() stands in for the
// widget model. Its data is described in graphviz_ad/widget/data.py; every text in it is
// made in Python and written here with textContent, never parsed as HTML.

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
  present: "M1 3h14v9H1zM3 5v5h10V5zM6 13h4v2H6z",
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

// Chromium repaints an inline <svg> as one unit: a class or text change on any element in
// it re-records the whole drawing (tens of ms per step for ~1,000 nodes, measured). So a
// large drawing is cut, in document order, into a stack of same-size <svg> layers with
// the same viewBox, each holding ~LAYER_SIZE node/edge groups of graphviz's top group.
// Each layer is absolutely positioned (its own paint layer), so a step re-records only
// the few layers whose elements changed. Paint order and element ids are unchanged.
const LAYER_SIZE = 100;
// Above this many nodes, a change of sweep does not rewrite every node's derivative line
// ("∂e/∂c = ?" while pending): the lines of pending nodes are hidden instead, and only the
// steps shown write theirs. Rewriting all of them repaints the whole drawing (at 1,000
// nodes, 90 ms per mode switch, measured); now a switch repaints what it marks.
const LAZY_PENDING = 300;
// When the view has to move to the current node, it takes in up to this many of the next
// steps' nodes too (graph_view.js followView).
const FOLLOW_AHEAD = 40;
// A step is sent to Python this long after the last one (view.js sendAfterPaint).
const SYNC_IDLE = 250;

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
