"""Bare Flask baselines the results POST is compared with.

``POST /`` is the hello-world. ``POST /page`` answers with the bytes of the file
BENCH_PAGE names (one real results page, saved by bench/run.py): the cost of
serving a page that size with no work behind it, which bounds what any cut in the
app's own work can reach.
"""

import os
from pathlib import Path

from flask import Flask, Response

app = Flask(__name__)
PAGE = Path(os.environ["BENCH_PAGE"]).read_bytes() if os.environ.get("BENCH_PAGE") else b""


@app.post("/")
def hello():
    return "Hello, world!"


@app.post("/page")
def page():
    return Response(PAGE, content_type="text/html; charset=utf-8")
