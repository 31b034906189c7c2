"""drafter: drafts the annual 区（县）人民政府履行教育职责情况自评报告 as a GB/T 9704 .docx."""

__version__ = "0.1.0"
