"""The strategy charts of zora.core.charts: accessible SVG with the expected series and labels."""

from datetime import date

from zora.core import charts


def test_gantt_has_bars_milestones_groups_and_today():
    svg = str(
        charts.gantt(
            [
                charts.GanttBar(
                    "1",
                    "Vouchers",
                    "P1 Business",
                    date(2025, 1, 1),
                    date(2026, 6, 30),
                    40,
                    "amber",
                    "In progress",
                ),
                charts.GanttBar(
                    "2",
                    "Incubator",
                    "P2 Start-ups",
                    date(2026, 1, 1),
                    date(2027, 12, 31),
                    0,
                    "green",
                ),
                charts.GanttBar("3", "No dates yet", "P2 Start-ups", None, None),
            ],
            [charts.GanttMilestone("1", "Half way", date(2025, 9, 30), done=True)],
            title="Roadmap & plan",
            today=date(2026, 1, 15),
            labels=charts.GanttLabels(today="Днес", no_dates="без дати"),
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title id=" in svg and "Roadmap &amp; plan" in svg and "<desc id=" in svg
    for text in (
        "Vouchers",
        "Incubator",
        "P1 Business",
        "P2 Start-ups",
        "Днес",
        "без дати",
        "2025",
        "2027",
    ):
        assert text in svg
    assert svg.count('class="milestone"') == 1
    assert 'class="today"' in svg
    assert charts.RAG_COLOURS["amber"] in svg
    assert "progress 40%" in svg  # in the description


def test_progress_bar():
    svg = str(charts.progress_bar(62.4, label="Objective <A>"))
    assert "62%" in svg and "Objective &lt;A&gt;" in svg and 'role="img"' in svg
    assert "—" in str(charts.progress_bar(None, label="x"))


def test_kpi_chart_has_measurements_baseline_target_and_path():
    svg = str(
        charts.kpi_chart(
            [(date(2025, 6, 30), 55.0), (date(2026, 6, 30), 61.5)],
            title="Broadband",
            baseline=(date(2024, 1, 1), 50.0),
            target=(date(2030, 12, 31), 90.0),
            unit="%",
            labels=charts.KpiLabels(measured="Измерено", target="Цел", path="Път", baseline="База"),
            today=date(2026, 11, 1),
        )
    )
    for text in (
        'class="measured"',
        'class="baseline"',
        'class="target"',
        'class="path"',
        'class="today"',
    ):
        assert text in svg
    for text in ("Broadband", "61.5", "Цел 90.0", "Път", "База", "Измерено", "2030"):
        assert text in svg
    assert svg.count("<circle") == 2


def test_charts_on_one_page_have_distinct_ids():
    a = str(charts.kpi_chart([(date(2025, 1, 1), 1.0)], title="A"))
    b = str(charts.kpi_chart([(date(2025, 1, 1), 2.0)], title="B"))
    id_a = a.split('<title id="')[1].split('"')[0]
    assert id_a not in b
