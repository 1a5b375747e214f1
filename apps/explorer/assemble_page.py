#!/usr/bin/python3
"""Puts Chart.js and the engine (Emscripten's single-file JavaScript) into the explorer page.

Usage: assemble_page.py TEMPLATE CHART_JS ENGINE_JS OUT

The template holds two placeholders, each alone in a <script> element: /*@CHART_JS@*/ and
/*@ENGINE_JS@*/ (a text/plain script that the page turns into its Web Worker).
Written to OUT.tmp and renamed, so an interrupted build never leaves half a page.
"""

import os
import sys


def inline(text):
    # Inside <script>, only "</script" (any case) would end the element early.
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def main(template, chart_js, engine_js, out):
    page = open(template, encoding="utf-8").read()
    for marker in ("/*@CHART_JS@*/", "/*@ENGINE_JS@*/"):
        if page.count(marker) != 1:
            sys.exit(f"assemble_page: {template} must hold {marker} exactly once")
    page = page.replace("/*@CHART_JS@*/", inline(open(chart_js, encoding="utf-8").read()))
    page = page.replace("/*@ENGINE_JS@*/", inline(open(engine_js, encoding="utf-8").read()))
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
