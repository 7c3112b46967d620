"""Explorers are freed: in this process after close(), and in a real ipykernel, where a
student re-running a cell forty times in a lecture must not exhaust the kernel."""

import gc
import textwrap
import weakref

import pytest

import graphviz_ad as ad
from tests.requirements import required


def test_a_closed_explorer_and_its_graph_are_freed():
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    explorer = ad.explore(g, mode="forward")
    explorer.step = 2
    explorer.save_html  # (a bound method must not pin it either)
    ref = weakref.ref(explorer)
    graph_ref = weakref.ref(explorer.graph)
    explorer.close()
    del explorer, g
    gc.collect()
    assert ref() is None
    assert graph_ref() is None


KERNEL_CODE = textwrap.dedent("""
    import gc, os
    import numpy as np
    import graphviz_ad as ad

    rng = np.random.default_rng(0)
    def mlp(x):
        h = x
        for width in (12, 8):
            w = rng.standard_normal((width, len(h)))
            h = [ad.tanh(sum(w[i, j] * h[j] for j in range(len(h)))) for i in range(width)]
        return sum(h)
    g = ad.trace(mlp, [0.1, -0.2, 0.3])

    def rss_mb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def churn(count):
        for _ in range(count):
            ex = ad.explore(g)
            ex.close()
            del ex
        gc.collect()
        return rss_mb()
""")


@pytest.mark.slow
def test_two_hundred_explorers_closed_in_a_real_kernel_leave_memory_flat():
    jupyter_client = required("jupyter_client")
    manager = jupyter_client.KernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)

        def run(code):
            reply = client.execute_interactive(code, timeout=600, output_hook=outputs.append)
            assert reply["content"]["status"] == "ok", reply["content"]

        outputs = []
        run(KERNEL_CODE)
        run("print(len(g.nodes)); print(churn(20)); print(churn(180))")
        printed = [o["content"]["text"] for o in outputs if o["msg_type"] == "stream"]
        nodes, after_20, after_200 = (float(v) for v in "".join(printed).split())
        assert nodes > 250
        # Each explorer of this graph held ~2.6 MB when explorers leaked: 180 more would add ~470 MB.
        assert after_200 - after_20 < 20, (after_20, after_200)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
