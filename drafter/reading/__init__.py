"""The reading side: a report someone wrote (or edited) in Word back into facts.

It mirrors the writing side, one job per module:

    files.py        any input file (.docx, .doc/.wps/.odt/.rtf via LibreOffice, .txt)
                    → a SourceDocument; refuses what is not a report
    docx_reader.py  the only Word reading code: paragraphs with the little of
                    their look that tells a heading (styles, outline levels, bold or
                    黑体/楷体 leads, alignment, size); docx_package.py opens the package
                    and follows its relationships (zipfile and lxml, no python-docx)
    recognise.py    plain paragraphs → an Outline (numbered sections and items, closing);
                    knows no Word. frame.py: title, 落款, addressee, web-page chrome;
                    headings.py: typed heading numbers; scores.py: score annotations
    build.py        Outline → a facts mapping for a structure profile; front.py: district,
                    government, year, period and the cited notice
    metrics.py      the figures in prose → metrics and {{ m.… }} references
                    (metric_scan.py finds them, metric_names.py names them)
    facts_writer.py the facts mapping → the YAML text of a facts file
    profile_writer.py a report's own structure profile, when no shipped one fits
    importer.py     the whole `drafter import`: file → profile chosen → facts file
    merge.py        an edited draft → changes to an existing facts file (import --into),
                    with provenance.py (which fact drafted which words), rewrite.py,
                    additions.py, compare.py and facts_edit.py (round-trip YAML edits)
"""
