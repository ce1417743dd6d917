#!/usr/bin/env python3
"""Typing at the END of a very long line, black-box in tmux (120x40), for caret and vim.
   After load (caret: status without 'loading'; vim: marker on screen + settle), send the
   go-to-end key(s) and time until the screen shows the cursor there (caret: the status line's
   Col; vim: the ruler), then type N literal keys and time each until the typed text is on screen.
   usage: lineend.py EDITOR FILE N   (EDITOR = caret | vim)"""
import os, sys, time, statistics
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import eb, CARET, session

ed, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ARGV = {"caret": CARET, "vim": ["vim", "-n", "-i", "NONE", "{file}"]}[ed]
b = session("lineend")
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
