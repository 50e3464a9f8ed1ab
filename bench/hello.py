"""A bare Flask hello-world: the baseline the results POST is compared with."""

from flask import Flask

app = Flask(__name__)


@app.post("/")
def hello():
    return "Hello, world!"
