"""The shared dashboard (samhandlingsdashboard, case 14/24): one web place where the
hospital and every municipality see the same numbers. FastAPI; every page has a
JSON twin at the same URL with ``.json`` appended (flyt.web.pages.page)."""
