#!/usr/bin/env python3
"""Time from exec of caret (inside tmux, 120x40) until first paint (marker on screen) and
   until the first highlighted paint (a keyword coloured by the default theme: magenta).
   usage: colortime.py REPS FILE..."""
import os, sys, time, statistics
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import eb, CARET, session

reps = int(sys.argv[1]); files = sys.argv[2:]
b = session("colortime")
# tmux reports ANSI magenta as 256-colour index 5 or as SGR 35.
MAGENTA = ("\x1b[38;5;5m", "\x1b[35m")

try:
    for path in files:
        first, coloured = [], []
        for i in range(reps):
            r = eb.Run(b, "caret", CARET, path)
            try:
                t0 = r.start()
                t_first = t_col = None
                last = t0
                while t_col is None:
                    cs = time.perf_counter()
                    ok, out = b.tm.cmd("capture-pane -p -e -t " + eb.q(r.sess))
                    scr = "\n".join(out) if isinstance(out, list) else (out or "")
                    ce = time.perf_counter()
                    if t_first is None and eb.MARKER in scr:
                        t_first = ((last + ce) / 2 - t0) * 1000
                    if t_first is not None and any(m in scr for m in MAGENTA):
                        t_col = ((last + ce) / 2 - t0) * 1000
                    last = cs
                    if ce - t0 > 30:
                        print("timeout"); break
                    time.sleep(0.002)
                first.append(t_first); coloured.append(t_col)
                print(f"  {os.path.basename(path)} rep {i+1}: first paint {t_first:.1f} ms, "
                      f"first highlighted paint {t_col:.1f} ms", flush=True)
            finally:
                r.stop()
        print(f"{os.path.basename(path)}: first paint median {statistics.median(first):.1f} ms, "
              f"first highlighted paint median {statistics.median(coloured):.1f} ms "
              f"[min {min(coloured):.1f} max {max(coloured):.1f}]", flush=True)
finally:
    b.tm.close()
