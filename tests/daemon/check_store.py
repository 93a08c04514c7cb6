#!/usr/bin/env python3
"""check_store.py: check a cellsurvey database written by a scan of a simulated scene.

  check_store.py DB SCENE_DIR REPLAY_JSONL [--track LAT0,LAT1,LON0,LON1] [--min-fix-fraction F]

Asserts, printing one line per check and 'N passed, N failed' at the end:
  - PRAGMA integrity_check is ok;
  - every carrier in the scene's truth (GSM C0 and TCH carriers, LTE cells) has a spectrum row
    on its channel with the truth power (GSM: power_dbfs +-1.5 dB; LTE: channel power +-2 dB);
  - every cell that `cellsurvey replay` decodes from the scene's captures (REPLAY_JSONL) is in
    the measurements table with the same identity, and that identity equals the capture's truth;
  - no stored cell has an identity that differs from the truth of its channel;
  - positions (with --track) of rows with a fix lie on the track, and at least F (default 0.5)
    of the rows have one.
"""
import glob
import json
import os
import sqlite3
import sys

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def truth_of(scene):
    """(rat, channel) -> dict of truth fields, from every capture meta in the scene."""
    out = {}
    for meta in sorted(glob.glob(os.path.join(scene, "*.sigmf-meta"))):
        g = json.load(open(meta))["global"]
        for c in g.get("truth:carriers", []):
            t = {"power": c["power_dbfs"], "kind": c["kind"], "file": os.path.basename(meta)}
            if c["kind"] == "C0":
                t.update(bsic=c["bsic"], mcc=c["mcc"], mnc=c["mnc"], lac=c["lac"], cell_id=c["cell_id"])
            out[("gsm", c["arfcn"])] = t
        for c in g.get("truth:cells", []):
            power = g.get("truth:channel_power_dbfs", c.get("mean_power_dbfs"))
            if g.get("truth:n_cells", 1) > 1:
                power = None  # several cells on one carrier: the channel power is their sum
            out[("lte", c["dl_earfcn"])] = {"power": power, "pci": c["pci"], "mcc": c["mcc"], "mnc": c["mnc"],
                                            "rsrp_dbm": c.get("rsrp_dbm"),
                                            "tac": c["tac"], "cell_identity": c["cell_identity"],
                                            "file": os.path.basename(meta)}
    return out


def main():
    db, scene, replay = sys.argv[1:4]
    track = None
    min_fix = 0.5
    if "--min-fix-fraction" in sys.argv:
        min_fix = float(sys.argv[sys.argv.index("--min-fix-fraction") + 1])
    if "--track" in sys.argv:
        track = [float(x) for x in sys.argv[sys.argv.index("--track") + 1].split(",")]
    con = sqlite3.connect(db)
    check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check")
    truth = truth_of(scene)

    # spectrum: every truth carrier measured at its power
    for (rat, ch), t in sorted(truth.items()):
        rows = con.execute("SELECT power_dbfs FROM spectrum WHERE rat=? AND channel=?", (rat, ch)).fetchall()
        check(len(rows) > 0, "%s channel %d (%s) has no spectrum row" % (rat, ch, t["file"]))
        if rows and t["power"] is not None:
            tol = 1.5 if rat == "gsm" else 2.0
            best = min(rows, key=lambda r: abs(r[0] - t["power"]))[0]
            check(abs(best - t["power"]) <= tol, "%s channel %d power %.2f dBFS, truth %.2f +- %.1f" % (rat, ch, best, t["power"], tol))
        elif rows:
            check(True, "")
    print("spectrum: %d truth carriers checked" % len(truth))

    # decoded cells: stored identities equal the truth of their channel
    decoded = con.execute("SELECT rat, arfcn, earfcn, bsic, pci, mcc, mnc, lac, cid, tac, eci, calibrated, rsrp_dbm FROM measurements").fetchall()
    for rat, arfcn, earfcn, bsic, pci, mcc, mnc, lac, cid, tac, eci, calibrated, rsrp_dbm in decoded:
        t = truth.get((rat, arfcn if rat == "gsm" else earfcn))
        check(t is not None, "decoded %s cell on channel %s is not in the scene" % (rat, arfcn if rat == "gsm" else earfcn))
        if not t:
            continue
        if rat == "gsm":
            got = (bsic, mcc, mnc, lac, cid)
            want = (t.get("bsic"), t.get("mcc"), t.get("mnc"), t.get("lac"), t.get("cell_id"))
        else:
            got = (pci,) + ((mcc, mnc, tac, eci) if mcc else ())
            want = (t["pci"],) + ((t["mcc"], t["mnc"], t["tac"], t["cell_identity"]) if mcc else ())
        check(got == want, "%s channel %s: stored %s, truth %s" % (rat, arfcn if rat == "gsm" else earfcn, got, want))
        if rat == "lte" and calibrated and t.get("rsrp_dbm") is not None:  # the sim's model table is exact
            check(rsrp_dbm is not None and abs(rsrp_dbm - t["rsrp_dbm"]) <= 2.0,
                  "LTE EARFCN %s: calibrated RSRP %s dBm, truth %.2f +- 2" % (earfcn, rsrp_dbm, t["rsrp_dbm"]))
    print("decoded: %d measurements of cells" % len(decoded))

    # every cell replay decodes from the same captures is in the store
    n_ref = 0
    for line in open(replay):
        r = json.loads(line)
        if r.get("rat") not in ("gsm", "lte"):
            continue
        n_ref += 1
        if r["rat"] == "gsm":
            q = con.execute("SELECT count(*) FROM measurements WHERE rat='gsm' AND arfcn=? AND bsic IS ?",
                            (r.get("arfcn"), r.get("bsic"))).fetchone()[0]
            what = "GSM ARFCN %s BSIC %s" % (r.get("arfcn"), r.get("bsic"))
        else:
            q = con.execute("SELECT count(*) FROM measurements WHERE rat='lte' AND earfcn=? AND pci=?",
                            (r.get("earfcn"), r.get("pci"))).fetchone()[0]
            what = "LTE EARFCN %s PCI %s" % (r.get("earfcn"), r.get("pci"))
        check(q > 0, "replay decodes %s but the scan did not store it" % what)
    print("replay reference: %d cells" % n_ref)

    if track:
        lat0, lat1, lon0, lon1 = track
        for table in ("spectrum", "measurements", "track"):
            rows = con.execute("SELECT lat, lon FROM %s" % table).fetchall()
            if not rows:
                continue
            fixed = [r for r in rows if r[0] is not None]
            check(len(fixed) >= min_fix * len(rows), "%s: only %d of %d rows have a position" % (table, len(fixed), len(rows)))
            bad = [r for r in fixed if not (lat0 - 1e-6 <= r[0] <= lat1 + 1e-6 and lon0 - 1e-6 <= r[1] <= lon1 + 1e-6)]
            check(not bad, "%s: %d positions off the track, e.g. %s" % (table, len(bad), bad[:1]))
        check(con.execute("SELECT count(*) FROM track").fetchone()[0] > 0, "no track points")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
