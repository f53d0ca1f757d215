#!/usr/bin/env python3
"""Writes two CLINC150-layout files from the dev file that split "val" in two stratified halves
(every intent and out-of-scope cut in two): in file A, half A is the tuning set ("val" +
"oos_val") and half B the test set ("test" + "oos_test"); file B swaps them. "train" stays the
training set. `guichet nlu eval` on both (with or without --refit) measures a model tuned, and
optionally refitted, on one half of val against the other half, never seen. By default the
halves alternate (1st, 3rd, … example of each intent in one half); with "blocks" as 3rd argument
each intent's first half of examples (in file order) goes to half A, the rest to half B, so that
neighbouring examples (perhaps from the same crowd worker) stay on the same side.
Usage: val_halves.py [DEV.json] [OUT_PREFIX] [blocks] → OUT_PREFIXa.json, OUT_PREFIXb.json"""
import json
import sys
from collections import defaultdict

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/clinc150/clinc150_dev.json"
prefix = sys.argv[2] if len(sys.argv) > 2 else "/tmp/nlu_val_half_"
blocks = len(sys.argv) > 3 and sys.argv[3] == "blocks"
with open(src, encoding="utf-8") as f:
    d = json.load(f)
halves = ({"val": [], "oos_val": []}, {"val": [], "oos_val": []})
by_intent = defaultdict(list)
for item in d["val"]:
    by_intent[item[1]].append(item)
for items in by_intent.values():
    for i, item in enumerate(items):
        halves[int(2 * i >= len(items)) if blocks else i % 2]["val"].append(item)
oos_val = d.get("oos_val", [])
for i, item in enumerate(oos_val):
    halves[int(2 * i >= len(oos_val)) if blocks else i % 2]["oos_val"].append(item)
for name, tune, test in (("a", halves[0], halves[1]), ("b", halves[1], halves[0])):
    out = {"train": d["train"], "oos_train": d.get("oos_train", []),
           "val": tune["val"], "oos_val": tune["oos_val"],
           "test": test["val"], "oos_test": test["oos_val"]}
    path = f"{prefix}{name}.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(path)
