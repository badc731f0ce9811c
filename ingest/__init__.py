"""Turn files (PDF, text, markdown, DOCX, scans) into typed Documents with exact provenance."""
