"""The explorer's script against a model that records what it is asked (Chromium): the graph
is parsed once per change, a dragged slider does not flood the kernel, the cost panel
follows the chosen output, and a host that takes model.on's event name literally (marimo)
still drives the view."""

import pytest

import graphviz_ad as ad
from graphviz_ad.widget.script import EXPLORER_CSS, explorer_script
from graphviz_ad.widget.standalone import widget_state

pytestmark = pytest.mark.browser

# A model with the anywidget API that counts save_changes and, like marimo's, registers
# each model.on(name) under exactly that name (no splitting on spaces).
HARNESS = """
window.gadRecord = { saves: 0, parses: 0 };
const parse = DOMParser.prototype.parseFromString;
DOMParser.prototype.parseFromString = function (...args) { window.gadRecord.parses += 1; return parse.apply(this, args); };
function literalModel(state) {
  const values = { ...state };
  const listeners = new Map();
  return {
    get: (key) => values[key],
    set(key, value) {
      values[key] = value;
      for (const fn of [...(listeners.get("change:" + key) || [])]) fn();
    },
    on(event, fn) { if (!listeners.has(event)) listeners.set(event, new Set()); listeners.get(event).add(fn); },
    off(event, fn) { listeners.get(event)?.delete(fn); },
    save_changes() { window.gadRecord.saves += 1; },
    send() {},
  };
}
window.gadModel = literalModel(window.gadState);
render({ model: window.gadModel, el: document.getElementById("root") });
"""


def open_explorer(page, explorer):
    state = widget_state(explorer)
    state["_svg"] = explorer._svg
    page.set_content(f"<!doctype html><style>{EXPLORER_CSS}</style><div id='root'></div>")
    page.evaluate("state => { window.gadState = state; }", state)
    page.add_script_tag(type="module", content=explorer_script() + "\n" + HARNESS)
    page.wait_for_selector("#root .gad-counter")
    return page


@pytest.fixture
def two_outputs():
    return ad.trace(lambda a, b: (a * b, a + b * b), 2.0, 3.0)


def test_a_literal_host_model_drives_the_view(page):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    open_explorer(page, ad.explore(g))
    assert page.inner_text("#root .gad-counter") == "1 / 5"
    page.evaluate("window.gadModel.set('step', 3)")
    assert page.inner_text("#root .gad-counter") == "4 / 5"
    assert "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b" in page.inner_text("#root .gad-formula").replace("\n", " ")


def test_the_graph_is_parsed_once_when_svg_and_data_change_together(page):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    explorer = ad.explore(g)
    open_explorer(page, explorer)
    again = ad.explore(g.retrace(a=3.0))
    before = page.evaluate("window.gadRecord.parses")
    page.evaluate("([svg, data]) => { window.gadModel.set('_svg', svg); window.gadModel.set('_data', data); }",
                  [again._svg, again._data])
    page.wait_for_function("document.querySelector('#root .gad-table').innerText.includes('3')")
    assert page.evaluate("window.gadRecord.parses") - before == 1


def test_dragging_the_slider_sends_at_most_once_per_frame_and_once_on_release(page):
    chain = ad.parse("; ".join(["x1 = x0 * 2"] + [f"x{i + 1} = x{i} + 1" for i in range(1, 40)]), x0=1.0)
    open_explorer(page, ad.explore(chain))
    sent = page.evaluate("""async () => {
        const slider = document.querySelector('#root .gad-slider');
        const before = window.gadRecord.saves;
        for (let k = 1; k <= 30; k++) {   // one synchronous drag: 30 input events
          slider.value = String(k);
          slider.dispatchEvent(new Event('input'));
        }
        const during = window.gadRecord.saves - before;
        slider.dispatchEvent(new Event('change'));
        const painted = window.gadRecord.saves - before;
        // sent once stepping pauses (base.js SYNC_IDLE), not in the frames that show the steps
        await new Promise(r => setTimeout(r, 400));
        return [during, painted, window.gadRecord.saves - before, window.gadModel.get('step')];
    }""")
    during, at_release, total, step = sent
    assert during == 0 and at_release == 0 and total == 1 and step == 30  # shown at once, sent once
    assert page.inner_text("#root .gad-counter").startswith("31 /")


def test_the_cost_panel_shows_the_chosen_outputs_reverse_sweep(page, two_outputs):
    explorer = ad.explore(two_outputs)
    costs = explorer.data["cost"]["reverse"]
    open_explorer(page, explorer)
    first, second = explorer.graph.output_names
    assert f"from {first} = {costs[first]} multiply-adds" in page.inner_text("#root .gad-cost")
    page.evaluate(f"window.gadModel.set('of', {second!r})")
    assert f"from {second} = {costs[second]} multiply-adds" in page.inner_text("#root .gad-cost")
