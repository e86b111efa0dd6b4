#!/usr/bin/env python3
"""Host side of make bench: tables from the guests' raw.txt files.

analyze.py OUTDIR RUN... reads OUTDIR/RUN/raw.txt (lines "round driver
condition taps test n ns_total ns_per_exchange") and the two modules copied
to OUTDIR, and writes OUTDIR/bench.txt, bench.csv, overhead.csv and raw.csv.
"""
import csv
import re
import statistics
import subprocess
import sys
from datetime import datetime, timezone

TESTS = ["getlink", "dump", "genl"]
CONDS = ["down", "up1-bare", "up1", "up2", "up4", "up8"]
TAPPED = ["up1-bare", "up1", "up2", "up4", "up8"]
SLOPE = {"up1": 1, "up2": 2, "up4": 4, "up8": 8}
DRIVERS = ["c", "rust"]


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(header)
        wr.writerows(rows)


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            rnd, drv, cond, taps, test, n, total, per = line.split()
            rows.append(dict(round=int(rnd), driver=drv, condition=cond, taps=int(taps),
                             test=test, n=int(n), ns_total=int(total), ns=float(per)))
    if not rows:
        sys.exit(f"analyze: no measurements in {path}")
    return rows


def base_cond(test):
    # The dump lists every link: from "down" on, 8 more than with no module.
    # Its tap overhead is taken against "down" (same links), the others'
    # against "none".
    return "down" if test == "dump" else "none"


def per_round(rows):
    """{(round, driver, condition, test): ns}"""
    return {(r["round"], r["driver"], r["condition"], r["test"]): r["ns"] for r in rows}


def mmm(v):
    return min(v), statistics.median(v), max(v)


def slope(points):
    xs, ys = zip(*points)
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    resid = max(abs(y - (a + b * x)) for x, y in points)
    return b, a, resid


def analyze_run(name, rows, out, csv_rows, ov_rows):
    m = per_round(rows)
    rounds = sorted({r["round"] for r in rows})
    w = out.append
    w(f"== run {name}: {len(rounds)} pairs of rounds (C, Rust) ==")
    w("")
    w(f"{'test':8} {'condition':12} {'driver':6} {'min':>10} {'median':>10} {'max':>10} {'Rust/C':>7}")
    for test in TESTS:
        none = [v for (rd, d, c, t), v in m.items() if c == "none" and t == test]
        lo, med, hi = mmm(none)
        w(f"{test:8} {'none':12} {'-':6} {lo:10.1f} {med:10.1f} {hi:10.1f}")
        csv_rows.append([name, test, "none", "-", len(none), lo, med, hi, ""])
        for cond in CONDS:
            meds = {}
            for drv in DRIVERS:
                v = [m[(rd, drv, cond, test)] for rd in rounds if (rd, drv, cond, test) in m]
                lo, med, hi = mmm(v)
                meds[drv] = (lo, med, hi, len(v))
            ratio = meds["rust"][1] / meds["c"][1]
            for drv in DRIVERS:
                lo, med, hi, k = meds[drv]
                r = f"{ratio:7.3f}" if drv == "rust" else ""
                w(f"{test:8} {cond:12} {drv:6} {lo:10.1f} {med:10.1f} {hi:10.1f} {r:>7}")
                csv_rows.append([name, test, cond, drv, k, lo, med, hi,
                                 f"{ratio:.4f}" if drv == "rust" else ""])
    w("")
    w("Tap overhead per exchange = condition minus "
      "'none' (getlink, genl) or 'down' (dump: same links), each round against its own")
    w("baseline; Rust/C ratio per pair, then the median of the pairs and their spread:")
    w("")
    w(f"{'test':8} {'condition':10} {'C median':>9} {'Rust med.':>9} {'ratio median':>12} "
      f"{'min':>6} {'max':>6}  per pair")
    summary = {}
    for test in TESTS:
        b = base_cond(test)
        for cond in TAPPED:
            ratios, ovc, ovr = [], [], []
            for rd in rounds:
                try:
                    oc = m[(rd, "c", cond, test)] - m[(rd, "c", b, test)]
                    orr = m[(rd, "rust", cond, test)] - m[(rd, "rust", b, test)]
                except KeyError:
                    continue
                ovc.append(oc)
                ovr.append(orr)
                ratios.append(orr / oc)
                ov_rows.append([name, test, cond, rd, f"{oc:.1f}", f"{orr:.1f}", f"{orr / oc:.4f}"])
            lo, med, hi = mmm(ratios)
            summary[(test, cond)] = (med, lo, hi, statistics.median(ovc), statistics.median(ovr))
            w(f"{test:8} {cond:10} {statistics.median(ovc):9.1f} {statistics.median(ovr):9.1f} "
              f"{med:12.4f} {lo:6.3f} {hi:6.3f}  " + " ".join(f"{x:.3f}" for x in ratios))
    w("")
    w("Device down against no module loaded (median over rounds, ns/exchange):")
    for test in TESTS:
        parts = []
        for drv in DRIVERS:
            d = [m[(rd, drv, "down", test)] - m[(rd, drv, "none", test)] for rd in rounds]
            none = statistics.median([m[(rd, drv, "none", test)] for rd in rounds])
            parts.append(f"{drv} {statistics.median(d):+.1f} ({100 * statistics.median(d) / none:+.2f}%)")
        note = "  (dump: 8 more links listed, not a tap cost)" if test == "dump" else ""
        w(f"  {test:8} " + ", ".join(parts) + note)
    w("")
    w("Per-device growth: least-squares slope of the overhead over 1, 2, 4, 8 devices up with")
    w("readers, per round; median of the rounds (ns/exchange per device), and the largest")
    w("distance of a point from its round's line:")
    for test in TESTS:
        b = base_cond(test)
        res = {}
        for drv in DRIVERS:
            sl, rs = [], []
            for rd in rounds:
                pts = [(k, m[(rd, drv, c, test)] - m[(rd, drv, b, test)]) for c, k in SLOPE.items()]
                s, _, r = slope(pts)
                sl.append(s)
                rs.append(r)
            res[drv] = (statistics.median(sl), min(sl), max(sl), max(rs))
        c, r = res["c"], res["rust"]
        summary[(test, "slope")] = (c[0], r[0])
        w(f"  {test:8} C {c[0]:8.1f} [{c[1]:.1f}..{c[2]:.1f}] resid<={c[3]:.0f}   "
          f"Rust {r[0]:8.1f} [{r[1]:.1f}..{r[2]:.1f}] resid<={r[3]:.0f}   Rust/C {r[0] / c[0]:.4f}")
    w("")
    return summary


def sizes(outdir):
    out = []
    kos = {"c": f"{outdir}/c-nlmon.ko", "rust": f"{outdir}/rust-nlmon.ko"}
    txt = subprocess.run(["size", kos["c"], kos["rust"]], check=True, capture_output=True,
                         text=True).stdout
    out.append("Module sizes (size(1); C = the series' nlmon.c built out of tree, Rust = nlmon.ko of the VM build):")
    out += ["  " + line for line in txt.rstrip().splitlines()]
    text = {}
    for line in txt.splitlines()[1:]:
        f = line.split()
        text["c" if f[-1] == kos["c"] else "rust"] = int(f[0])
    out.append(f"  text Rust/C: {text['rust'] / text['c']:.2f}x")
    # Where the Rust module's bytes go: its largest functions.
    nm = subprocess.run(["nm", "--size-sort", "-S", "-t", "d", kos["rust"]], check=True,
                        capture_output=True, text=True).stdout
    funcs = []
    for line in nm.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tT":
            funcs.append((int(f[1]), demangle(f[3])))
    funcs.sort(reverse=True)
    out.append("  largest Rust functions (bytes): " +
               "; ".join(f"{n} {s}" for n, s in funcs[:8]))
    return out


def demangle(sym):
    # Readable without rustfilt: the last two length-prefixed identifiers
    # of a v0 symbol (e.g. Driver::start_xmit), found from the end.
    if not sym.startswith("_R"):
        return sym
    ends = {}
    for mm in re.finditer(r"(?<!\d)\d+", sym):
        n, j = int(mm.group()), mm.end()
        if j + n <= len(sym) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sym[j:j + n]):
            # Several runs may end at the same place: the shortest is the name.
            if mm.start() > ends.get(j + n, (-1, ""))[0]:
                ends[j + n] = (mm.start(), sym[j:j + n])
    names = []
    end = max((e for e in ends if re.fullmatch(r"(B[0-9A-Za-z]*_)?", sym[e:])), default=None)
    while end in ends and len(names) < 2:
        end, name = ends[end]
        names.insert(0, name)
    return "::".join(names) if names else sym


def priv_sizes(outdir):
    """Private data per device, read from the modules' code and data."""
    out = ["Private data per device:"]
    # C: rtnl_link_ops.priv_size, the field after .kind (relocated to the
    # "nlmon" string) in nlmon_link_ops.
    ko = f"{outdir}/c-nlmon.ko"
    relocs = subprocess.run(["objdump", "-r", "-j", ".data..read_mostly", ko], check=True,
                            capture_output=True, text=True).stdout
    dump = subprocess.run(["objdump", "-s", "-j", ".data..read_mostly", ko], check=True,
                          capture_output=True, text=True).stdout
    data = bytearray()
    for line in dump.splitlines():
        mm = re.match(r"^ ([0-9a-f]{4,}) ((?:[0-9a-f]{2,8} ?){1,4})", line)
        if mm:
            data += bytes.fromhex(mm.group(2).replace(" ", ""))
    kind = [int(r.split()[0], 16) for r in relocs.splitlines()
            if re.match(r"^[0-9a-f]{16} R_X86_64_64\s+\.rodata(\.str1\.1)?(\+0x[0-9a-f]+)?$", r)]
    c_priv = None
    if kind and len(data) >= kind[0] + 16:
        c_priv = int.from_bytes(data[kind[0] + 8:kind[0] + 16], "little")
    out.append(f"  C:    {c_priv if c_priv is not None else 'unknown'} bytes "
               "(rtnl_link_ops.priv_size in nlmon_link_ops = sizeof(struct nlmon), a struct netlink_tap)")
    # Rust: the immediate passed to alloc_netdev_mqs by add_init_device
    # (the kind's priv_size, Adapter::PRIV_SIZE); a module makes no device
    # itself, so a modular build has no such call.
    dis = subprocess.run(["objdump", "-dr", "--no-show-raw-insn", f"{outdir}/rust-nlmon.ko"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    r_priv = None
    for i, line in enumerate(dis):
        if re.search(r"R_X86_64_PLT32\s+alloc_netdev_mqs-0x4", line):
            for prev in reversed(dis[max(0, i - 12):i]):
                mm = re.search(r"mov\s+\$0x([0-9a-f]+),%edi", prev)
                if mm:
                    r_priv = int(mm.group(1), 16)
                    break
            break
    out.append(f"  Rust: {r_priv if r_priv is not None else 'not read from a modular build'}"
               f"{' bytes' if r_priv is not None else ''} (Adapter::PRIV_SIZE: the "
               "abstraction's struct netlink_tap, Driver::NETLINK_TAP, as in C)")
    out.append("  both: + the core's per-CPU lstats (NETDEV_PCPU_STAT_LSTATS, struct pcpu_lstats) "
               "and the struct net_device itself")
    return out


def main():
    outdir, runs = sys.argv[1], sys.argv[2:]
    out, csv_rows, ov_rows, raw = [], [], [], []
    head = [f"nlmon tap cost per netlink exchange, Rust against C ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)",
            "guest ns per exchange; under QEMU TCG -icount shift=0 one guest ns is one instruction;",
            "the 'tcg' run is plain TCG (real time, for scale). 1 vCPU. Exchanges: getlink = RTM_GETLINK",
            "of lo, dump = RTM_GETLINK dump, genl = CTRL_CMD_GETFAMILY nlctrl.", ""]
    out += head
    summaries = {}
    for run in runs:
        rows = load(f"{outdir}/{run}/raw.txt")
        raw += [[run] + list(r.values()) for r in rows]
        summaries[run] = analyze_run(run, rows, out, csv_rows, ov_rows)
        try:
            with open(f"{outdir}/{run}/drops.txt") as f:
                drops = [ln.split(None, 3)[3] for ln in f if ln.strip()]
            bad = [d for d in drops if not d.startswith("0 packets dropped")]
            out.append(f"tcpdump readers: {len(drops)}, " +
                       ("none dropped" if not bad else f"drops: {'; '.join(bad)}"))
        except OSError:
            out.append("tcpdump readers: no drop counts")
        try:
            with open(f"{outdir}/{run}/wall-seconds") as f:
                out.append(f"wall time of this boot: {f.read().strip()} s")
        except OSError:
            pass
        out.append("")
    out.append("== summary: Rust/C tap-overhead ratio, median of pairs [min..max] ==")
    for run, s in summaries.items():
        out.append(f"  {run:9} " + "  ".join(
            f"{t} {c}: {s[(t, c)][0]:.3f} [{s[(t, c)][1]:.3f}..{s[(t, c)][2]:.3f}]"
            for t in TESTS for c in ("up1-bare", "up1")))
    out.append("")
    out += sizes(outdir)
    out.append("")
    out += priv_sizes(outdir)
    text = "\n".join(out) + "\n"
    print(text, end="")
    with open(f"{outdir}/bench.txt", "w") as f:
        f.write(text)
    write_csv(f"{outdir}/bench.csv",
              ["run", "test", "condition", "driver", "rounds", "min_ns", "median_ns", "max_ns",
               "ratio_rust_c"], csv_rows)
    write_csv(f"{outdir}/overhead.csv",
              ["run", "test", "condition", "pair", "overhead_c_ns", "overhead_rust_ns",
               "ratio_rust_c"], ov_rows)
    write_csv(f"{outdir}/raw.csv",
              ["run", "round", "driver", "condition", "taps", "test", "n", "ns_total",
               "ns_per_exchange"], raw)

if __name__ == "__main__":
    main()
