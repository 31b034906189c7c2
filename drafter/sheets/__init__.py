"""`drafter sheet`: a facts file's figures as a spreadsheet (.xlsx, via openpyxl) and back.

export.py writes the 指标 sheet (and, when the report has scores, the 自评打分 sheet);
importing.py reads them back into the facts file, round-trip, with located errors.
"""

from drafter.errors import DrafterError

METRICS_SHEET = "指标"
SCORES_SHEET = "自评打分"
METRIC_COLUMNS = ("指标", "本年", "上年", "单位", "同比", "说明", "已更新")
SCORE_COLUMNS = ("指标", "分值", "自评分", "说明", "位置")
YES, NO = "是", "否"


class SheetError(DrafterError):
    """A spreadsheet that cannot be read, or a cell that is not what it should be."""


__all__ = ["METRICS_SHEET", "METRIC_COLUMNS", "NO", "SCORES_SHEET", "SCORE_COLUMNS", "YES",
           "SheetError"]
