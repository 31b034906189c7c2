"""The no-break characters drafter writes into a .docx inside a score annotation, a number
with its unit and a 文号 (drafter/word/breaks.py explains them), which every reader of a
.docx strips again. Kept apart from the writer, so a reader does not load it."""

JOINER = "\u200d\u2060"  # written between two characters of a token
JOINERS = str.maketrans("", "", JOINER)  # what readers strip again
# Also no text: U+FEFF, which Word and other editors may leave as a zero-width no-break.
INVISIBLE = JOINER + "\ufeff"
