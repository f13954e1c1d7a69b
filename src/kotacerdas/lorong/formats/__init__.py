"""Readers and writers of the files officials work with: CSV and XLSX sheets, Excel and PDF reports."""
