"""Font configuration shipped with drafter: fonts.conf maps the 公文 font names to free
stand-ins for previews (see drafter/preview.py)."""
