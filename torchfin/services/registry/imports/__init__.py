"""Bulk import of the Torch registry: enterprises from a zone's XLSX or CSV file.

`columns` names the template's columns and finds them under the headers files really carry;
`cells` reads one cell; `import_file` reads a file into checked rows; `plans` compares them with
the registry; `runs` writes them chunk by chunk for the job; `records` keeps the import record,
its progress and its result file.
"""
