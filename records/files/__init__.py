"""Files attached to records: storage, type sniffing, text extraction and OCR."""
