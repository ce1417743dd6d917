#!/usr/bin/env python3
"""Typing at the END of a very long line, black-box in tmux (120x40), for caret and vim.
   After load (caret: status without 'loading'; vim: marker on screen + settle), send the
   go-to-end key(s) and time until the screen shows the cursor there (caret: the status line's
   Col; vim: the ruler), then type N literal keys and time each until the typed text is on screen.
   usage: lineend.py EDITOR FILE N   (EDITOR = caret | vim)"""
import importlib.machinery, os, sys, time, statistics, types
BENCH = os.environ.get("EDITOR_BENCH", os.path.join(os.path.dirname(__file__), "../../../shared/editor-bench/editor-bench.py"))
eb = importlib.machinery.SourceFileLoader("eb", BENCH).load_module()
ed, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ARGV = {"caret": [os.environ.get("CARET_BIN", "target/release/caret"), "{file}"], "vim": ["vim", "-n", "-i", "NONE", "{file}"]}[ed]
home = "/tmp/editor-bench-home"
import shutil
shutil.rmtree(home + "/.local/state/caret/recovery", ignore_errors=True)  # no restore questions
os.makedirs(home + "/cwd", exist_ok=True); os.makedirs(home + "/run", mode=0o700, exist_ok=True)
b = types.SimpleNamespace(tm=eb.Tmux(f"lineend-{os.getpid()}"), home=home, w=120, h=40,
                          cwd=home + "/cwd", max_rss_kb=0, clean_state=lambda: None)
def status(s):
    rows = s.split("\n"); return rows[-2] if ed == "caret" else rows[-1]
r = eb.Run(b, ed, ARGV, path)
try:
    t0 = r.start()
    if ed == "caret":
        ms, _, scr = r.wait_screen(lambda s: eb.MARKER in s and "loading" not in status(s), t0, 120, 0.002)
    else:
        ms, _, scr = r.wait_screen(lambda s: eb.MARKER in s, t0, 120, 0.002)
    print(f"{ed}: loaded/painted at {ms:.1f} ms; status: {status(scr).strip()}")
    r.settle(limit=30)
    before = status(b.tm.capture(r.sess))
    t0 = time.perf_counter()
    r.send_keys("End" if ed == "caret" else "A")
    ms, _, scr = r.wait_screen(lambda s: status(s) != before and ("Col" in status(s) or ed == "vim"), t0, 300, 0.002)
    if ed == "vim":  # vim shows -- INSERT -- at once; settle until the ruler stops changing
        r.settle(limit=60)
        scr = b.tm.capture(r.sess)
    print(f"{ed}: to end of line in {ms if ms is None else round(ms, 1)} ms; status: {status(scr).strip()}")
    typed, samples = "", []
    for i in range(n):
        ch = "qzk"[i % 3]
        typed += ch; exp = "Q" + typed if False else typed
        before = b.tm.capture(r.sess)
        t0 = time.perf_counter()
        r.send_literal(ch)
        # done when the screen changed and shows what was typed so far
        ms, _, scr = r.wait_screen(lambda s: s != before and typed in s, t0, 300, 0.001)
        samples.append(ms)
        print(f"  key {i+1} '{ch}': {ms if ms is None else round(ms, 2)} ms; status: {status(scr).strip()}", flush=True)
        time.sleep(0.05)
    ok = [x for x in samples if x is not None]
    if ok:
        print(f"{ed} {os.path.basename(path)} end-of-line keys: median {statistics.median(ok):.1f} ms, max {max(ok):.1f} ms, n={len(ok)}")
finally:
    r.stop(); b.tm.close()
