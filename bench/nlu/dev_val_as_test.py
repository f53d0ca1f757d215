#!/usr/bin/env python3
"""Writes a copy of CLINC150's dev file whose "val" split is renamed "test" (and "oos_val"
"oos_test"), with no "val": `guichet nlu eval` then tunes on a part of train and reports
figures on val. Usage: dev_val_as_test.py [DEV.json] [OUT.json]"""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/clinc150/clinc150_dev.json"
dst = sys.argv[2] if len(sys.argv) > 2 else "/tmp/nlu_dev_valtest.json"
with open(src, encoding="utf-8") as f:
    d = json.load(f)
out = {"train": d["train"], "oos_train": d.get("oos_train", []),
       "test": d["val"], "oos_test": d.get("oos_val", [])}
with open(dst, "w", encoding="utf-8") as f:
    json.dump(out, f)
print(dst)
