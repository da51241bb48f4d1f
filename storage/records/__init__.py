"""Record types that register themselves: one module per record, holding its table row(s), the
row <-> domain mapping, the SQL repository and the line registering it against the record's key
(``storage.repo_base.register``). Nothing else in storage/ names them: storage/tables.py imports
every module here (``import_record_modules``), so their rows are in Alembic's metadata and their
repositories in the unit of work's registry wherever the tables are.
"""
