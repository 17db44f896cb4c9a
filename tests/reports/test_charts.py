from decimal import Decimal

from reports.charts import Bar, bar_chart


def test_chart_labels_are_escaped():
    svg = bar_chart(
        'Tỷ lệ <script>alert("x")</script>',
        [
            Bar(
                label='<img src="http://127.0.0.1:9/x.png">',
                values=(Decimal("80"),),
                maximum=Decimal(100),
            )
        ],
        scale=Decimal(100),
        legend=('Khối "A" & <b>B</b>', "Cụm"),
        suffix="%",
    )

    assert "<script" not in svg
    assert "<img" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp;" in svg


def test_chart_draws_one_bar_per_value():
    svg = bar_chart(
        "Điểm bình quân",
        [Bar("Nội dung 1", (Decimal("9.5"), Decimal("9")), Decimal(10))],
        scale=Decimal(10),
        legend=("Tự chấm", "Thẩm định"),
    )

    assert svg.startswith("<svg ")
    assert "9,50" in svg
    assert "9,00" in svg
