#!/usr/bin/env python3
"""check_map.py: validates the map commands' outputs against the synthetic drive test's truth.

  check_map.py grid GRID.geojson GAPS.json TRUTH.json     bins, classes, hole, near-site service
  check_map.py cells CELLS.json TRUTH.json                site estimates (median error <= 150 m)
  check_map.py exports DIR TRUTH.json [EXTRA]             opencellid, cellmapper, csv, geojson
  check_map.py same GRID_A.geojson GRID_B.geojson         two grids agree (SQLite vs PostgreSQL)
  check_map.py report DOM.html CELLS.json                 the report's tables hold the cells
Exits 1 with a message per failed check."""
import csv, json, math, sys
from html.parser import HTMLParser

failed = 0
def check(cond, msg):
    global failed
    if not cond:
        failed += 1
        print("FAIL:", msg)

def dist_m(lat1, lon1, lat2, lon2):
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))

def ring_area(ring):  # shoelace in degrees: > 0 counter-clockwise
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2

def check_bin_feature(f):
    check(f["type"] == "Feature", "feature type")
    g = f["geometry"]
    check(g["type"] == "Polygon", "bin geometry is a Polygon")
    ring = g["coordinates"][0]
    check(len(ring) == 5 and ring[0] == ring[-1], "ring closed with 5 positions")
    check(ring_area(ring) > 0, "exterior ring counter-clockwise (RFC 7946 3.1.6)")
    p = f["properties"]
    for k in ("operator", "rat", "samples", "best_dbm", "median_dbm", "best_cell", "class"):
        check(k in p, "property %s present" % k)
    check(p["class"] in ("strong", "variable", "none"), "class value %r" % p["class"])
    check(p["rat"] in ("gsm", "lte"), "rat value")
    if p["samples"] == 0:
        check(p["class"] == "none", "bin without samples is none")

def centre(f):
    ring = f["geometry"]["coordinates"][0][:4]
    return sum(c[1] for c in ring) / 4, sum(c[0] for c in ring) / 4

def grid(path, gaps_path, truth_path):
    d = json.load(open(path))
    t = json.load(open(truth_path))
    gaps = json.load(open(gaps_path))
    check(d["type"] == "FeatureCollection", "FeatureCollection")
    feats = d["features"]
    check(len(feats) > 0, "grid has features")
    for f in feats:
        check_bin_feature(f)
    groups = {(f["properties"]["operator"], f["properties"]["rat"]) for f in feats}
    check(groups == {("641-01", "lte"), ("641-10", "gsm"), ("641-10", "lte")}, "operator+RAT groups %s" % groups)
    h = t["hole"]
    lat0, lat1 = sorted((h["lat0"], h["lat1"]))
    lon0, lon1 = sorted((h["lon0"], h["lon1"]))
    hole = [f for f in feats if f["properties"]["operator"] == h["operator"] and f["properties"]["rat"] == h["rat"]
            and all(lat0 <= c[1] <= lat1 and lon0 <= c[0] <= lon1 for c in f["geometry"]["coordinates"][0])]
    none = sum(f["properties"]["class"] == "none" for f in hole)
    print("hole: %d of %d bins none" % (none, len(hole)))
    check(len(hole) >= 10 and none >= 0.9 * len(hole), "hole bins none >= 90%%: %d/%d" % (none, len(hole)))
    for op, rat in sorted(groups):
        sites = [s for s in t["sites"] if "%s-%s" % (s["mcc"], s["mnc"]) == op and s["rat"] == rat]
        near = [f for f in feats if (f["properties"]["operator"], f["properties"]["rat"]) == (op, rat)
                and min(dist_m(*centre(f), s["lat"], s["lon"]) for s in sites) < 400]
        served = sum(f["properties"]["class"] != "none" for f in near)
        print("%s %s: %d of %d bins near a site served" % (op, rat, served, len(near)))
        check(len(near) >= 20 and served >= 0.9 * len(near), "near-site bins served >= 90%%: %d/%d" % (served, len(near)))
    check(len(gaps["operators"]) == 3, "gap report has 3 operator+RAT rows")
    for g in gaps["operators"]:
        n = sum(1 for f in feats if (f["properties"]["operator"], f["properties"]["rat"]) == (g["operator"], g["rat"])
                and f["properties"]["class"] == "none")
        check(g["none_bins"] == n == len(g["gaps"]), "gap count %s %s: %d vs %d" % (g["operator"], g["rat"], g["none_bins"], n))
        check(abs(g["covered_share"] - (g["strong_bins"] + g["variable_bins"]) / g["visited_bins"]) < 1e-3, "covered share")

def load_lines(path):
    return [json.loads(l) for l in open(path) if l.strip()]

def cells(path, truth_path):
    rows = load_lines(path)
    t = json.load(open(truth_path))
    errs = []
    for s in t["sites"]:
        key = "cell_id" if s["rat"] == "gsm" else "cell_identity"
        area = "lac" if s["rat"] == "gsm" else "tac"
        m = [r for r in rows if r["rat"] == s["rat"] and r.get(key) == s["cid"] and r.get(area) == s["area"]
             and r["mcc"] == s["mcc"] and r["mnc"] == s["mnc"]]
        check(len(m) == 1, "cell %s found once" % s["cid"])
        if m:
            r = m[0]
            for k in ("rat", "mcc", "mnc", area, key, "bsic" if s["rat"] == "gsm" else "pci", "samples",
                      "est_lat", "est_lon", "est_radius_m"):
                check(k in r, "field %s" % k)
            check(r["est_lat"] is not None, "cell %s has an estimate (%s)" % (s["cid"], r.get("reason")))
            if r["est_lat"] is not None:
                errs.append(dist_m(r["est_lat"], r["est_lon"], s["lat"], s["lon"]))
    stray = [r for r in rows if r.get("cell_id") == 999]
    check(len(stray) == 1 and stray[0]["est_lat"] is None and stray[0]["est_lon"] is None
          and stray[0]["est_radius_m"] is None and "place" in (stray[0]["reason"] or ""), "stray cell says why it has no estimate")
    errs.sort()
    med = errs[len(errs) // 2] if len(errs) % 2 else (errs[len(errs) // 2 - 1] + errs[len(errs) // 2]) / 2
    print("site errors (m):", " ".join("%.0f" % e for e in errs), "median %.0f" % med)
    check(med <= 150, "median site error %.0f m <= 150 m" % med)

OCID_HEADER = "mcc,mnc,lac,cellid,lon,lat,signal,measured_at,rating,speed,direction,act,ta,psc,tac,pci,sid,nid,bid"
CM_HEADER = "latitude,longitude,altitude,MCC,MNC,LAC,CID,signal,type,subtype,ARFCN,PSC"

def exports(d, truth_path, extra="0"):
    lines = open(d + "/out.opencellid").read().splitlines()
    check(lines[0] == OCID_HEADER, "OpenCelliD header")
    rows = list(csv.DictReader(lines))
    check(len(rows) > 1000, "OpenCelliD rows %d" % len(rows))
    for r in rows:
        check(len(r) == 19 and None not in r, "19 columns")
        mcc, mnc, lac, cid = int(r["mcc"]), int(r["mnc"]), int(r["lac"]), int(r["cellid"])
        check(200 <= mcc <= 799 and 0 <= mnc <= 999, "mcc/mnc range")
        check(r["act"] in ("GSM", "LTE"), "act")
        check(1 <= lac <= 65533, "lac/tac range")
        check(1 <= cid <= (65535 if r["act"] == "GSM" else 268435455), "cellid range")
        if r["act"] == "LTE":
            check(r["tac"] == r["lac"] and r["pci"] != "" and 0 <= int(r["pci"]) <= 503, "LTE: lac is the TAC, pci")
        else:
            check(r["tac"] == "" and r["pci"] == "", "GSM: no tac/pci")
        lat, lon = float(r["lat"]), float(r["lon"])
        check(-90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0), "position")
        ms = int(r["measured_at"])
        check(1.7e12 < ms < 2.0e12, "measured_at in milliseconds since 1970: %d" % ms)
        sig = int(r["signal"])
        check((-113 <= sig <= -51) if r["act"] == "GSM" else (-140 <= sig <= -44), "signal in range")
        if failed > 20:
            break
    lines = open(d + "/out.cellmapper").read().splitlines()
    check(lines[0] == CM_HEADER, "CellMapper header")
    for r in list(csv.DictReader(lines))[:2000]:
        check(r["type"] in ("GSM", "LTE") and r["MCC"] == "641" and r["LAC"] and r["CID"], "CellMapper row")
        check(r["PSC"] != "" if r["type"] == "LTE" else r["PSC"] == "", "CellMapper PSC is the PCI for LTE")
    g = json.load(open(d + "/out.geojson"))
    kinds = {}
    for f in g["features"]:
        k = f["properties"]["kind"]
        kinds[k] = kinds.get(k, 0) + 1
        if k == "bin":
            check_bin_feature(f)
        else:
            check(f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2, "point geometry")
    print("geojson features:", kinds)
    check(kinds.get("measurement", 0) > 1000 and kinds.get("bin", 0) > 100 and kinds.get("site", 0) == 7, "geojson kinds")
    rows = list(csv.DictReader(open(d + "/out.csv")))
    t = json.load(open(truth_path))
    want = t["lines"] + int(extra)
    check(len(rows) == want, "csv rows %d = imported lines %d" % (len(rows), want))

def same(a, b):
    def load(p):
        return {(f["properties"]["bin_x"], f["properties"]["bin_y"], f["properties"]["operator"], f["properties"]["rat"]):
                f["properties"] for f in json.load(open(p))["features"]}
    A, B = load(a), load(b)
    check(A.keys() == B.keys(), "same bins and groups (%d vs %d)" % (len(A), len(B)))
    diff = 0
    for k in A.keys() & B.keys():
        x, y = A[k], B[k]
        ok = x["samples"] == y["samples"] and x["class"] == y["class"]
        for q in ("best_dbm", "median_dbm"):
            ok = ok and ((x[q] is None) == (y[q] is None)) and (x[q] is None or abs(x[q] - y[q]) <= 0.11)  # levels are rounded to 0.1 dB in the GeoJSON
        diff += not ok
    check(diff == 0, "%d bins differ" % diff)
    best = sum(A[k]["best_cell"] != B[k]["best_cell"] for k in A.keys() & B.keys())
    check(best <= 0.01 * len(A), "best_cell differs in %d bins (ties only)" % best)
    print("grids agree on %d bins x groups" % len(A))

class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.cell, self.text = {}, None, None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.cur = a.get("id") or a.get("class") or "table"
            self.tables.setdefault(self.cur, [])
        elif tag == "tr" and self.cur:
            self.tables[self.cur].append([])
        elif tag in ("td", "th") and self.cur:
            self.text = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cur and self.text is not None:
            self.tables[self.cur][-1].append(self.text.strip())
            self.text = None
        elif tag == "table":
            self.cur = None
    def handle_data(self, data):
        if self.text is not None:
            self.text += data

def report(dom, cells_path):
    p = Tables()
    html = open(dom).read()
    p.feed(html)
    rows = load_lines(cells_path)
    body = p.tables.get("cells", [])[1:]
    check(len(body) == len(rows), "report cell table has %d rows, store %d cells" % (len(body), len(rows)))
    ids = {r[4] for r in body}
    for r in rows:
        cid = r.get("cell_id", r.get("cell_identity"))
        check(str(cid) in ids, "cell %s in the report table" % cid)
    cov = p.tables.get("coverage", [])[1:]
    check(len(cov) == 3, "coverage summary has 3 rows")
    check(html.count("<svg class=\"map\"") == 3, "three maps")
    check(html.count("<svg class=\"plot\"") >= 1, "spectrum plot present")
    check("<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", ""), "self-contained, no script, no network")

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"grid": grid, "cells": cells, "exports": exports, "same": same, "report": report}[cmd](*args)
    print("%s: %s" % (cmd, "FAILED (%d)" % failed if failed else "ok"))
    sys.exit(1 if failed else 0)
