"""The daily operations report: figures from the ops tables, rendered as HTML, Markdown and JSON."""
