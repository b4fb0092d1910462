#!/usr/bin/env bash
# Checks every deletion manifest added or changed between two commits with `blastguard check`:
#   - prints GitHub Actions annotations (--format github), so the offending manifest lines are marked in the PR;
#   - writes one Markdown summary for a pull-request comment (COMMENT_FILE), starting with a marker line that the
#     workflow uses to update its own comment instead of adding a new one on every push;
#   - writes the approved plan of each manifest to PLAN_DIR (for the maintenance script's guard / `verify`), signed
#     with SIGN_KEY when it is set (only after review: see the `approve` job of blastguard.yml).
# Exit code: 0 when every changed manifest passes (or none changed), 1 when any fails, 2 on bad input.
#
# Usage: check-changed-manifests.sh BASE_SHA HEAD_SHA
# Environment:
#   SNAPSHOT      current snapshot export (.json or .json.gz)                      (required)
#   MANIFEST_DIR  where manifests live (default: manifests)
#   BLASTGUARD    how to run blastguard (default: blastguard)
#   COMMENT_FILE  where to write the Markdown summary (default: blastguard-comment.md)
#   PLAN_DIR      where to write approved plans (default: blastguard-plans)
#   SIGN_KEY      an Ed25519 private key file (PEM): sign the approved plans with it (default: not signed)
#   GITHUB_OUTPUT set by GitHub Actions; receives checked=<count> and failed=<count>
set -uo pipefail

base=${1:?usage: check-changed-manifests.sh BASE_SHA HEAD_SHA}
head=${2:?usage: check-changed-manifests.sh BASE_SHA HEAD_SHA}
: "${SNAPSHOT:?set SNAPSHOT to the current snapshot export}"
manifest_dir=${MANIFEST_DIR:-manifests}
read -r -a blastguard <<< "${BLASTGUARD:-blastguard}"
comment=${COMMENT_FILE:-blastguard-comment.md}
plan_dir=${PLAN_DIR:-blastguard-plans}
marker='<!-- blastguard -->'
sign=()
if [ -n "${SIGN_KEY:-}" ]; then sign=(--sign-key "$SIGN_KEY"); fi

# Added, copied, modified or renamed manifests (deleted ones have nothing left to check). NUL-separated, so any
# file name works.
manifests=()
while IFS= read -r -d '' file; do
  case "$file" in
    *.yaml | *.yml | *.json) manifests+=("$file") ;;
  esac
done < <(git diff -z --name-only --diff-filter=ACMR "$base...$head" -- "$manifest_dir")

failed=0
worst=0
if [ "${#manifests[@]}" -gt 0 ]; then
  mkdir -p "$plan_dir"
  {
    echo "$marker"
    echo "## blastguard: ${#manifests[@]} deletion manifest(s) changed"
    echo
  } > "$comment"
  for m in "${manifests[@]}"; do
    plan="$plan_dir/$(printf '%s' "$m" | tr '/ ' '__').plan.json"
    # Annotations for the job log and the PR's changed files.
    "${blastguard[@]}" check "$m" --graph "$SNAPSHOT" --format github
    code=$?
    # The summary for the comment, and the approved plan.
    errors=$(mktemp)
    "${blastguard[@]}" check "$m" --graph "$SNAPSHOT" --format markdown --out "$plan" ${sign[@]+"${sign[@]}"} >> "$comment" 2> "$errors"
    if [ "$code" -eq 2 ]; then
      # Bad input prints nothing on stdout: say so in the comment, with blastguard's one-line reasons.
      {
        echo "### ❌ blastguard: cannot check \`$(printf '%s' "$m" | tr '\`' "'")\`"
        echo
        echo '```text'
        sed 's/```/` ` `/g' "$errors"
        echo '```'
      } >> "$comment"
    fi
    rm -f "$errors"
    echo >> "$comment"
    if [ "$code" -ne 0 ]; then failed=$((failed + 1)); fi
    if [ "$code" -gt "$worst" ]; then worst=$code; fi
  done
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "checked=${#manifests[@]}" >> "$GITHUB_OUTPUT"
  echo "failed=$failed" >> "$GITHUB_OUTPUT"
fi
echo "blastguard: ${#manifests[@]} manifest(s) checked, $failed failed"
exit "$worst"
