"""Files the ASCN domain reads and writes: spreadsheets, documents, exports, FIWARE shapes and the M&E reports."""
