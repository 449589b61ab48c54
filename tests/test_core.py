"""Template data, normalisation and label matching, the cache, the command line, and the rule
that the core never imports Streamlit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gkcore
from gkcore.errors import TemplateError
from gkcore.parse.normalize import is_value_like, label_key, parse_value
from gkcore.parse.readers.text import TextDoc
from gkcore.parse.tables import match_row
from gkcore.parse.template import _read, load, parse_template

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
HUAIAN = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"


def test_core_never_imports_streamlit() -> None:
    code = "import sys, gkcore, gkcore.cli; assert 'streamlit' not in sys.modules, 'streamlit imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---- template data -------------------------------------------------------------------------
def test_templates_load_with_spec_codes() -> None:
    t21, t19 = load("2021"), load("2019")
    assert [c.code for c in t21.tables["t3"].cols] == [
        "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
    assert [r.code for r in t21.tables["t2"].rows] == ["rules", "normative_docs", "licensing", "punishment",
                                                       "enforcement", "fees"]
    assert t19.tables["t2"].row("procurement").cols == ("items", "amount_wan")
    assert [c.code for t in (t21, t19) for c in t.tables["t2"].cols if c.decimals] == ["amount_wan", "amount_wan"]
    assert len(t21.tables["t3"].rows) == 26 and len(t21.tables["t4"].rows) == 3


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["tables"]["t3"]["rows"][0].update(cols=["nope"]), "unknown columns"),
    (lambda d: d["rules"][0].update(lhs=["no_such_row"]), "unknown names"),
    (lambda d: d["sections"].pop("t3"), "sections must be"),
    (lambda d: d["prose"][0].update(compare=[["t3.granted.nope"]]), "unknown cell"),
    (lambda d: d["tables"]["t2"].update(layout="diagonal"), "layout must be one of"),
    (lambda d: d["tables"]["t2"]["cols"][4].update(decimals="yes"), "decimals must be true or false"),
])
def test_invalid_template_data_is_refused(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _read("t2021.toml")
    mutate(data)
    with pytest.raises(TemplateError, match=message):
        parse_template(data)


# ---- normalisation and matching ------------------------------------------------------------
@pytest.mark.parametrize(("raw", "value"), [
    ("0", 0), ("１２", 12), ("-18", -18), ("251000元", 251000), ("22（其中修订16件）", 22),
    ("24252.311082", 24252.311082), ("96171.6", 96171.6), ("/", None), ("—", None), ("无", None), ("", None),
])
def test_parse_value(raw: str, value: float | None) -> None:
    assert parse_value(raw) == value
    assert is_value_like(raw)


@pytest.mark.parametrize(("label", "code"), [
    ("2.其他法律行政法规禁止公开", "deny_law_forbidden"),
    ("2、其他法律行政止公开", "deny_law_forbidden"),                 # real typo, 洪泽区
    ("（三）不予公开 1.属于国家秘密", "deny_state_secret"),
    ("三、本年度办理结果 （一）予以公开", "granted"),
    ("3.危及\"三安全一稳定\"", "deny_three_safety"),
    ("（二）部分公开（区分处理的，只计这一情 形，不计其他情形）", "partial"),
    ("（六）其他处理", "other_total"),
    ("（六）其他处理 3.其他", "other_other"),
    ("3、其他", "other_other"),
    ("5.要求行政机关确认或重 新出具已获取信息", "reject_confirm"),
    ("（七）总计", "total_processed"),
    ("四、结转下年度继续办理", "carry_forward"),
])
def test_label_variants_match(label: str, code: str) -> None:
    row = match_row(label, list(load("2021").tables["t3"].rows))
    assert row is not None and row.code == code


def test_header_words_match_nothing() -> None:
    rows = list(load("2021").tables["t3"].rows)
    assert match_row("申请人情况 法人或其他组织", rows) is None
    assert label_key("第二十条第（一）项") == "第二十条第项"


def test_text_reader_joins_wrapped_labels() -> None:
    text = "某区人民政府2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" \
           "5.要求行政机关确认或重新\n出具已获取信息\n0 0 0 0 0 0 7\n四、政府信息公开行政复议、行政诉讼情况\n"
    rows = TextDoc(text.encode()).read_sections(load("2021"))["t3"].rows
    assert [(r.label, [v.text for v in r.values]) for r in rows] == [
        ("5.要求行政机关确认或重新 出具已获取信息", ["0", "0", "0", "0", "0", "0", "7"])]


# ---- real reports: figures read by hand from the documents ---------------------------------
def test_huaian_key_cells_and_metadata() -> None:
    r = gkcore.parse_file(HUAIAN)
    v = {c.ref: c.value for c in r.cells}
    assert (r.meta.agency, r.meta.region, r.meta.region_code, r.meta.year, r.meta.pages) == (
        "淮安市人民政府", "江苏省淮安市", "320800", 2024, 6)
    assert v["t2.fees.amount_wan"] == 96171.6 and v["t2.punishment.decisions"] == 3985758
    assert v["t3.new_received.total"] == 3119 and v["t3.total_processed.total"] == 3050
    assert v["t3.other_overdue_correction.legal_service"] == 1 and v["t3.carry_forward.total"] == 103
    assert [v[f"t4.suit_after_review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [
        12, 1, 1, 6, 20]
    cell = r.cell("t3", "unable_no_info", "total")
    assert cell is not None and cell.page == 4 and cell.bbox is not None
    assert {f.code: f.value for f in r.figures}["reviews"] == 351
    assert r.failures() == []


def test_zhangdian_text_report() -> None:
    r = gkcore.parse_file(ZHANGDIAN)
    v = {c.ref: c.value for c in r.cells}
    assert (r.meta.agency, r.meta.region, r.meta.region_code, r.meta.year) == (
        "张店区人民政府办公室", "山东省淄博市张店区", "370303", 2024)
    assert v["t3.unable_no_info.natural_person"] == 37 and v["t3.other_other.total"] == 2
    assert v["t4.review.upheld"] == 2 and v["t4.review.total"] == 2
    assert {f.code: f.value for f in r.figures} == {
        "applications_received": 53, "applications_answered": 51, "applications_carried_forward": 2,
        "items_published": 6458}
    assert r.failures() == []


# ---- cache ---------------------------------------------------------------------------------
def test_cache_round_trip_and_hit(tmp_path: Path) -> None:
    cache = gkcore.Cache(tmp_path)
    data = HUAIAN.read_bytes()
    first, hit1 = gkcore.load_or_parse(data, HUAIAN.name, cache)
    second, hit2 = gkcore.load_or_parse(data, HUAIAN.name, cache)
    assert (hit1, hit2) == (False, True)
    assert second == first
    assert [p.name for p in cache.entries()] == [first.meta.sha256]
    assert sorted(p.name for p in cache.entries()[0].iterdir()) == [
        "cells.parquet", "checks.parquet", "figures.parquet", "manifest.json", "outline.parquet", "report.parquet",
        "source.bin"]
    assert cache.source(first.meta.sha256) == data
    assert not [p for p in cache.dir.iterdir() if p.name.startswith(".tmp-")]


def test_cache_write_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = gkcore.Cache(tmp_path)
    report = gkcore.parse_file(ZHANGDIAN)
    calls = {"n": 0}
    real = Path.write_bytes

    def dying(self: Path, data: bytes) -> int:      # the third file of the entry finds the disk full
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", dying)
    with pytest.raises(OSError, match="disk full"):
        cache.put(report)
    assert cache.entries() == [] and list(cache.dir.iterdir()) == []
    assert cache.get(report.meta.sha256) is None


def test_cache_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GK_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert gkcore.Cache().root == tmp_path / "elsewhere"


# ---- command line --------------------------------------------------------------------------
def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gkcore", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def test_cli_parse_csv_header_is_the_spec() -> None:
    out = _cli("parse", str(ZHANGDIAN), "--format", "csv").stdout.splitlines()
    assert out[0] == "report_id,agency,region,region_code,year,template,table,row,col,value,raw,page,flag"
    assert "t3,unable_no_info,natural_person,37,37,," in out[1 + 7 * 12]


def test_cli_parse_json(tmp_path: Path) -> None:
    proc = _cli("parse", str(HUAIAN), str(ZHANGDIAN), "--format", "json")
    objs = [json.loads(x) for x in proc.stdout.splitlines()]
    assert proc.returncode == 0 and [o["agency"] for o in objs] == ["淮安市人民政府", "张店区人民政府办公室"]
    assert {"cells", "checks", "figures", "tables", "region_code"} <= set(objs[0])
    assert all(k["status"] == "pass" for k in objs[0]["checks"])


def test_cli_ingest_then_export(tmp_path: Path) -> None:
    env = {"GK_CACHE_DIR": str(tmp_path / "c")}
    folder = tmp_path / "reports" / "nested"
    folder.mkdir(parents=True)
    for p in [*(FIXTURES / "real").glob("*.pdf"), ZHANGDIAN]:
        (folder / p.name).write_bytes(p.read_bytes())
    folder = folder.parent                                   # folders are searched recursively
    n = 4
    proc = _cli("ingest", str(folder), "--jobs", "2", env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"ingested {n} reports from {n} of {n} files (0 already cached, 0 duplicates, 0 failed)" in proc.stderr
    again = _cli("ingest", str(folder), "--quiet", env=env)
    assert f"({n} already cached," in again.stderr
    long = _cli("export", env=env).stdout.splitlines()
    assert len({row.split(",")[0] for row in long[1:]}) == n
    wide = _cli("export", "--wide", env=env).stdout.splitlines()
    assert len(wide) == n + 1
    assert wide[0].startswith("report_id,agency,region,region_code,year,template,t3.new_received")
