"""Charts in reports: ids made unique, series and labels kept, the font named for the PNG."""

from zora.core.charts import Series, radar
from zora.reports.figures import figure, svg_to_png


def test_a_chart_keeps_its_series_and_labels_with_unique_ids():
    svg = radar(
        ["Стратегия", "Данни", "Хора"],
        [Series("T0", [20.0, 40.0, 60.0]), Series("T1", [30.0, 50.0, 70.0])],
        title="Резултат по измерения",
    )
    one, two = figure(svg, "caption"), figure(svg, "caption")
    for fig in (one, two):
        text = str(fig.svg)
        for label in ("Стратегия", "Данни", "Хора", "T0", "T1", "Резултат по измерения"):
            assert label in text
        assert 'font-family="DejaVu Sans"' in text
        assert "T0: Стратегия 20.0, Данни 40.0, Хора 60.0" in fig.alt
    ids_one = set(__import__("re").findall(r'id="([^"]+)"', str(one.svg)))
    ids_two = set(__import__("re").findall(r'id="([^"]+)"', str(two.svg)))
    assert ids_one and not ids_one & ids_two
    for chart_id in ids_one:
        assert f'aria-labelledby="{chart_id}' in str(one.svg) or f' {chart_id}"' in str(one.svg)


def test_the_png_for_word_renders():
    png = svg_to_png(
        str(figure(radar(["А", "Б", "В"], [Series("x", [1.0, 2.0, 3.0])], title="т")).svg)
    )
    assert png.startswith(b"\x89PNG") and len(png) > 1000
