"""The meeting papers, read back by real readers: the meeting CSV (csv module), the workbook
(openpyxl), the yearly report's CSV; and the full view still loads back through import."""

import csv
import io
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"


def test_the_yearly_report_csv_shows_a_plain_dash_for_none(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    out = cli.ok("report", "--year", "2025/26", "--format", "csv", as_of="2026-03-04").stdout
    rows = {(r["section"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(out))}
    assert rows[("local reviews", "published within 6 months")] == "-"
    assert "'-" not in out
    assert rows[("incidents", "serious incidents")] == "3"  # 2025/26 read as 2025-26
