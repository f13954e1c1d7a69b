"""Demo data that the project generates itself, so the demo runs offline on a fresh machine."""
