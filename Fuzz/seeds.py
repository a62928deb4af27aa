#!/usr/bin/env python3
"""Writes the decoder fuzzer's seed corpus from the samples in devices/: each sample's payload,
prefixed with the byte that makes Fuzz/DecoderFuzzer.swift read it with the sample's profile."""
import os, re, sys

TOPICS = ["bp", "glucose", "ecg", "sos", "status", "alerts/ack", "senml", "gatt/2A35", "gatt/2A18", "pmd", "kiosk", "cgm-bridge"]

def selector(topic):
    if topic.startswith("kiosk/"): return TOPICS.index("kiosk")
    if topic.startswith("cgm-bridge/"): return TOPICS.index("cgm-bridge")
    parts = topic.split("/")
    if len(parts) == 5: return TOPICS.index("gatt/" + parts[4].upper()) if "gatt/" + parts[4].upper() in TOPICS else None
    if len(parts) == 4 and parts[2] == "alerts": return TOPICS.index("alerts/ack")
    return TOPICS.index(parts[3]) if len(parts) == 4 and parts[3] in TOPICS else None

def payload(folder):
    hex_file = os.path.join(folder, "payload.hex")
    if os.path.exists(hex_file):
        digits = "".join(re.sub(r"#.*", "", line).split() and "".join(re.sub(r"#.*", "", line).split()) or "" for line in open(hex_file))
        return bytes.fromhex(digits)
    return open(os.path.join(folder, "payload.json"), "rb").read()

devices, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
count = 0
for profile in sorted(os.listdir(devices)):
    samples = os.path.join(devices, profile, "samples")
    if not os.path.isdir(samples): continue
    for case in sorted(os.listdir(samples)):
        folder = os.path.join(samples, case)
        topic = open(os.path.join(folder, "topic")).read().strip()
        k = selector(topic)
        if k is None: continue
        with open(os.path.join(out, f"{profile}--{case}"), "wb") as f:
            f.write(bytes([k]) + payload(folder))
        count += 1
print(f"{count} seeds in {out}")
