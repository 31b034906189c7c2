"""The reading side: a report someone wrote (or edited) in Word back into facts.

It mirrors the writing side, one job per module:

    files.py        any input file (.docx, .doc/.wps/.odt/.rtf via LibreOffice, .txt)
                    → a SourceDocument; refuses what is not a report
    docx_reader.py  the only python-docx reading code: paragraphs with the little of
                    their look that tells a heading (styles, outline levels, bold or
                    黑体/楷体 leads, alignment, size)
    recognise.py    plain paragraphs → an Outline (title, addressee, preamble, numbered
                    sections and items, 落款); knows no Word
    build.py        Outline → a facts mapping for a structure profile
    metrics.py      the figures in prose → metrics and {{ m.… }} references
    facts_writer.py the facts mapping → a commented YAML file (round trip)
    merge.py        an edited draft → changes to an existing facts file (import --into)
    importer.py     the whole `drafter import`: file → profile chosen → facts file
"""
