"""Hostile text: what an attacker (or a careless paste) puts in a free-text field."""

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
TEMPLATE_TAG = "{% debug %}"
# Everything that must come back as typed, shown escaped, never run or evaluated.
MARKUP = f"{SCRIPT} {IMG} {TEMPLATE} {TEMPLATE_TAG} Đơn vị đã làm"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Text a spreadsheet would run as a formula if written as one.
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1", "-1+1", "@SUM(A1)", "=1+1"]

NUL = "Báo cáo\x00kết quả"
RLO = "\u202e"  # right-to-left override: shows "fdp.exe" for "exe.pdf"
ZWJ = "\u200d"  # zero-width joiner
INVISIBLE = f"Hoàn thành{RLO} kế hoạch{ZWJ} năm"
VISIBLE = "Hoàn thành kế hoạch năm"
LONG = "x" * 25_000
