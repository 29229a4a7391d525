#!/usr/bin/env bash
# Back up Nadzor (the PostgreSQL database and the stored files) and restore it.
#
#   bench/backup_restore.sh backup  DIR   # DIR/nadzor.dump, DIR/media.tar, DIR/records.jsonl
#   bench/backup_restore.sh restore DIR   # into the EMPTY database DATABASE_URL names
#
# Both read the archive's own settings from the environment: DATABASE_URL (postgres://...)
# and the file storage (MEDIA_ROOT, or FILE_STORAGE=s3 with its bucket settings). The
# database is dumped before the files are copied: files are stored once under their SHA-256
# and never changed, so every file the dump refers to is in the copy (a file added in between
# is an extra, harmless one). The files are read and written through the storage API
# (manage.py backup_files / restore_files), so a bucket is backed up like a folder.
#
# restore refuses a database that already holds tables and a storage that holds files, runs
# pg_restore, then `migrate` (the code may be newer than the dump), puts the files into the
# storage the environment names (the restored copy, not the live one), checks every file's
# SHA-256 there (verify_files) and compares the JSON Lines export with the one taken at backup.
# MANAGE is how to run manage.py (default: uv run manage.py).
set -euo pipefail
cd "$(dirname "$0")/.."

MANAGE=${MANAGE:-uv run manage.py}
usage() { echo "usage: $0 backup|restore DIR (DATABASE_URL and MEDIA_ROOT from the environment)" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1 dir=$2
: "${DATABASE_URL:?set DATABASE_URL=postgres://... (the archive database)}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "DATABASE_URL must be PostgreSQL" >&2; exit 2;; esac
media=${MEDIA_ROOT:-media}

case "$action" in
backup)
  mkdir -p "$dir"
  # Custom format: compressed, and pg_restore can restore it selectively or in parallel.
  pg_dump --format=custom --no-owner --no-privileges --file="$dir/nadzor.dump" "$DATABASE_URL"
  $MANAGE backup_files --output "$dir/media.tar" >/dev/null
  # A readable copy, and the reference a restore is compared against.
  $MANAGE export_records --output "$dir/records.jsonl" 2>/dev/null
  echo "backed up to $dir: $(du -h "$dir/nadzor.dump" | cut -f1) database, $(du -h "$dir/media.tar" | cut -f1) files"
  ;;
restore)
  tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  if [ "$tables" != 0 ]; then
    echo "refused: the database already holds $tables tables; restore into an empty one" >&2
    exit 1
  fi
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dir/nadzor.dump"
  $MANAGE migrate --no-input >/dev/null
  [ "${FILE_STORAGE:-local}" = s3 ] || mkdir -p "$media"
  $MANAGE restore_files --input "$dir/media.tar" >/dev/null
  $MANAGE verify_files
  if [ -f "$dir/records.jsonl" ]; then
    $MANAGE export_records --output "$dir/restored.jsonl" 2>/dev/null
    # The same lines, except whether a request is overdue: that depends on the day.
    python3 - "$dir/records.jsonl" "$dir/restored.jsonl" <<'PYTHON'
import json, sys

def rows(path):
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            if row.get("foi"):
                row["foi"].pop("overdue", None)
            yield row

if list(rows(sys.argv[1])) != list(rows(sys.argv[2])):
    sys.exit(f"the restored archive differs from the backup: diff {sys.argv[1]} {sys.argv[2]}")
PYTHON
  fi
  echo "restored from $dir: $(wc -l < "$dir/records.jsonl") records, identical export, every file verified"
  ;;
*) usage ;;
esac
