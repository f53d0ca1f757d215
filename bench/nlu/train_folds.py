#!/usr/bin/env python3
"""Writes K stratified folds of CLINC150's *train* split only (val is never used), each as a
CLINC150-layout file {"train", "oos_train", "test", "oos_test"} for `guichet nlu eval`, so that
ideas are chosen by cross-validation on train. With "val" as 4th argument, fold (f + 1) mod K
becomes "val" + "oos_val" (tuning set), as in the real evaluation.
Usage: train_folds.py DEV.json OUT_PREFIX [K] [val]"""
import json
import sys
from collections import defaultdict

src, prefix = sys.argv[1], sys.argv[2]
k = int(sys.argv[3]) if len(sys.argv) > 3 else 5
with_val = len(sys.argv) > 4 and sys.argv[4] == "val"
with open(src, encoding="utf-8") as f:
    d = json.load(f)
by_intent = defaultdict(list)
for text, intent in d["train"]:
    by_intent[intent].append([text, intent])
oos = d.get("oos_train", [])
for fold in range(k):
    out = {"train": [], "oos_train": [], "test": [], "oos_test": []}
    if with_val:
        out.update({"val": [], "oos_val": []})

    def split(i, prefix=""):
        if i % k == fold:
            return prefix + "test"
        if with_val and i % k == (fold + 1) % k:
            return prefix + "val"
        return prefix + "train"
    for items in by_intent.values():
        for i, item in enumerate(items):
            out[split(i)].append(item)
    for i, item in enumerate(oos):
        out[split(i, "oos_")].append(item)
    path = f"{prefix}{fold}.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(path)
