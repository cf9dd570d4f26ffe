"""Timeline pictures: `quorumsim --timeline` and `quorumsim timeline TRACE`, checked as
files and, when Debian's chromium is installed, rendered in headless Chromium.

Usage: timeline_test.py QUORUMSIM SCENARIO_DIR [--keep-screenshot PATH]

The browser part loads the HTML page, reads back the DOM the browser built (the SVG's rows,
ring bands, quorate/inquorate shading, vote lines, command lines and fault markers must be
there) and takes a screenshot, whose pixels must show both the quorate green and the
inquorate red. Without chromium that part is skipped with a message (exit 0).
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from results import Results  # noqa: E402

RESULTS = Results("timeline")
case = RESULTS.case


def png_pixels(path):
    """(width, height, rows of RGB(A) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def has_colour(rows, bpp, rgb, tol=6):
    for line in rows:
        for i in range(0, len(line), bpp):
            if all(abs(line[i + k] - rgb[k]) <= tol for k in range(3)):
                return True
    return False


def main():
    q, scen = sys.argv[1:3]
    keep = sys.argv[sys.argv.index("--keep-screenshot") + 1] if "--keep-screenshot" in sys.argv else None
    tmp = tempfile.mkdtemp()

    # A run with --timeline (and --trace, which must still be written in full).
    svg = os.path.join(tmp, "split.svg")
    trace = os.path.join(tmp, "split.trace")
    p = subprocess.run([q, "--timeline", svg, "--trace", trace, os.path.join(scen, "vq-three-node-split.vqsim")],
                       capture_output=True, text=True)
    case("--timeline run exits 0", p.returncode == 0, p.stderr)
    html = os.path.join(tmp, "split.html")
    case("SVG and HTML written", os.path.exists(svg) and os.path.exists(html))
    text = open(svg).read() if os.path.exists(svg) else ""
    for cls in ["seg quorate", "seg inquorate", "class=\"ring\"", "class=\"expected\"", "class=\"quorum\"",
                "class=\"cmd\"", "node-row"]:
        case("SVG has " + cls, cls in text)
    case("--trace still complete", open(trace).readline().startswith('{"t":0,"ev":"trace"'))

    # The saved trace drawn on its own.
    out = os.path.join(tmp, "from-trace.html")
    p = subprocess.run([q, "timeline", trace, "-o", out], capture_output=True, text=True)
    case("timeline TRACE exits 0", p.returncode == 0, p.stderr)
    case("timeline TRACE writes HTML and SVG", os.path.exists(out) and os.path.exists(out[:-5] + ".svg"))
    p = subprocess.run([q, "timeline", os.path.join(scen, "three-node.conf")], capture_output=True, text=True)
    case("not a trace: exit 2 naming the file", p.returncode == 2 and "three-node.conf:1" in p.stderr, p.stderr)

    # 32 nodes: every row present, rows at least 18 px apart.
    conf32 = os.path.join(tmp, "n32.conf")
    with open(conf32, "w") as f:
        f.write("totem {\n version: 2\n cluster_name: q\n}\nquorum {\n provider: corosync_votequorum\n}\nnodelist {\n")
        for i in range(1, 33):
            f.write(" node {\n  ring0_addr: 10.0.0.%d\n  nodeid: %d\n }\n" % (i, i))
        f.write("}\n")
    script32 = os.path.join(tmp, "n32.vqsim")
    with open(script32, "w") as f:
        f.write("split 1:17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32\ncrash 3\njoin 0 1\n")
    svg32 = os.path.join(tmp, "n32.svg")
    p = subprocess.run([q, "-c", conf32, "--timeline", svg32, script32], capture_output=True, text=True)
    case("32 nodes: run exits 0", p.returncode == 0, p.stderr)
    t32 = open(svg32).read() if os.path.exists(svg32) else ""
    ys = sorted(float(y) for y in re.findall(r'<text x="8" y="([0-9.]+)" class="node-label"', t32))
    case("32 nodes: 32 rows", len(ys) == 32, str(len(ys)))
    case("32 nodes: rows at least 18 px apart", len(ys) == 32 and min(b - a for a, b in zip(ys, ys[1:])) >= 18)

    # The browser.
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIP browser rendering: chromium is not installed (Debian package 'chromium')")
    else:
        env = dict(os.environ, HOME=tmp)
        flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--user-data-dir=" + os.path.join(tmp, "profile"), "--window-size=1100,760"]
        url = "file://" + html
        p = subprocess.run([chromium] + flags + ["--dump-dom", url], capture_output=True, text=True, env=env,
                           timeout=120)
        dom = p.stdout
        case("chromium loads the page", p.returncode == 0 and "<svg" in dom, p.stderr[-1000:])
        for what, pattern in [("3 node rows", r'class="node-row"'), ("ring bands", r'class="ring"'),
                              ("quorate shading", r'class="seg quorate"'),
                              ("inquorate shading", r'class="seg inquorate"'),
                              ("expected-votes line", r'class="expected"'), ("quorum line", r'class="quorum"'),
                              ("command lines", r'class="cmd"')]:
            n = len(re.findall(pattern, dom))
            case("DOM has " + what, n >= (3 if what == "3 node rows" else 1), str(n))
        shot = os.path.join(tmp, "shot.png")
        p = subprocess.run([chromium] + flags + ["--screenshot=" + shot, url], capture_output=True, text=True,
                           env=env, timeout=120)
        case("screenshot taken", os.path.exists(shot), p.stderr[-1000:])
        if os.path.exists(shot):
            w, h, bpp, rows = png_pixels(shot)
            case("screenshot shows quorate green", has_colour(rows, bpp, (0x9f, 0xd8, 0x9a)))
            case("screenshot shows inquorate red", has_colour(rows, bpp, (0xf2, 0xa7, 0xa7)))
            case("screenshot shows a ring band", has_colour(rows, bpp, (0x4e, 0x79, 0xa7)) or
                 has_colour(rows, bpp, (0xf2, 0x8e, 0x2b)))
            if keep:
                shutil.copy(shot, keep)

    return RESULTS.finish()


if __name__ == "__main__":
    sys.exit(main())
