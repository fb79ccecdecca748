#!/usr/bin/env python3
"""Print `go test -json` output as go test would, then check that the Neo4j
tests really ran: at least one Neo4j test passed, none was skipped, none
failed. Exit 1 otherwise (CI must fail, not skip, without Neo4j)."""
import json
import sys

events = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.startswith("{")]
for e in events:
    if e.get("Action") == "output":
        sys.stdout.write(e["Output"])

def is_neo4j(e):
    return "Test" in e and ("neo4jstore" in e.get("Package", "") or "Neo4j" in e["Test"])

ran = [e for e in events if is_neo4j(e) and e.get("Action") in ("pass", "fail", "skip")]
passed = [e for e in ran if e["Action"] == "pass"]
skipped = [e for e in ran if e["Action"] == "skip"]
failed = [e for e in ran if e["Action"] == "fail"]
total = {a: sum(1 for e in events if "Test" in e and e.get("Action") == a) for a in ("pass", "fail", "skip")}
print(f"\nNeo4j tests (incl. subtests): {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped")
for e in skipped:
    print(f"  skipped: {e['Package']} {e['Test']}")
print(f"{total['pass']} passed, {total['fail']} failed, {total['skip']} skipped")
sys.exit(0 if passed and not skipped and not failed else 1)
