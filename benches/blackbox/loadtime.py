#!/usr/bin/env python3
"""Time from exec of an editor (inside tmux, 120x40) until
   first paint (marker on screen) and until the status line no longer says 'loading'.
   Reuses editor-bench.py's Tmux/Run/mem_tree. usage: loadtime.py REPS FILE..."""
import os, sys, time, statistics
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import eb, CARET, session

reps = int(sys.argv[1]); files = sys.argv[2:]
b = session("loadtime")

def warm(p):
    with open(p, "rb") as f:
        while f.read(1 << 24): pass

def status(scr):
    rows = scr.split("\n")
    return rows[-2] if len(rows) >= 2 else ""

try:
    for path in files:
        size = os.path.getsize(path)
        fp, done, rss_done, rss_settled, hwm = [], [], [], [], []
        for i in range(reps):
            warm(path)
            r = eb.Run(b, "caret", CARET, path)
            try:
                t0 = r.start()
                t_first = t_done = None; seen_loading = False
                last_fail = t0; last_status = ""
                while True:
                    cs = time.perf_counter()
                    scr = b.tm.capture(r.sess) or ""
                    ce = time.perf_counter()
                    if t_first is None and eb.MARKER in scr:
                        t_first = ((last_fail + ce) / 2 - t0) * 1000
                    if eb.MARKER in scr:
                        st = status(scr)
                        if "loading" in st:
                            seen_loading = True; last_status = st
                        elif seen_loading or size <= (8 << 20):
                            t_done = ((last_fail + ce) / 2 - t0) * 1000
                            break
                    last_fail = cs
                    if ce - t0 > 120:
                        print("timeout; screen:", scr[-400:]); break
                    time.sleep(0.002)
                m = eb.mem_tree(r.pid)
                r.settle(limit=10)
                m2 = eb.mem_tree(r.pid)
                fp.append(t_first); done.append(t_done)
                rss_done.append(m[0] / 1024); rss_settled.append(m2[0] / 1024); hwm.append(m2[1] / 1024)
                print(f"  {os.path.basename(path)} rep {i+1}: first paint {t_first:.1f} ms, "
                      f"load complete {t_done:.1f} ms, RSS at done {m[0]/1024:.1f} MiB, settled {m2[0]/1024:.1f} MiB, "
                      f"HWM {m2[1]/1024:.1f} MiB | final status: {status(scr).strip()}", flush=True)
            finally:
                r.stop()
        mb = size / 2**20
        print(f"{os.path.basename(path)} ({mb:.1f} MiB): first paint median {statistics.median(fp):.1f} ms, "
              f"load complete median {statistics.median(done):.1f} ms [min {min(done):.1f} max {max(done):.1f}], "
              f"RSS settled median {statistics.median(rss_settled):.1f} MiB = {statistics.median(rss_settled)/mb:.3f}x file, "
              f"HWM median {statistics.median(hwm):.1f} MiB = {statistics.median(hwm)/mb:.3f}x", flush=True)
finally:
    b.tm.close()
