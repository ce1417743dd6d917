"""Shared set-up of the black-box scripts: the editor-bench harness (../shared/editor-bench,
or $EDITOR_BENCH), caret's binary ($CARET_BIN, else target/release/caret), and a clean
home in tmux at 120x40 (no recovery files left from earlier runs, so no restore questions)."""
import importlib.machinery, os, shutil, types

BENCH = os.environ.get("EDITOR_BENCH", os.path.join(os.path.dirname(__file__), "../../../shared/editor-bench/editor-bench.py"))
eb = importlib.machinery.SourceFileLoader("eb", BENCH).load_module()
# Absolute: the editor runs in a scratch folder, not the repository.
CARET = [os.path.abspath(os.environ.get("CARET_BIN", "target/release/caret")), "{file}"]
HOME = "/tmp/editor-bench-home"


def session(name):
    """A private tmux server and the state editor-bench's Run expects."""
    shutil.rmtree(HOME + "/.local/state/caret/recovery", ignore_errors=True)
    os.makedirs(HOME + "/cwd", exist_ok=True)
    os.makedirs(HOME + "/run", mode=0o700, exist_ok=True)
    return types.SimpleNamespace(tm=eb.Tmux(f"{name}-{os.getpid()}"), home=HOME, w=120, h=40,
                                 cwd=HOME + "/cwd", max_rss_kb=0, clean_state=lambda: None)
