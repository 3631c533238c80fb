"""Writes the orphaned blobs of seed.sql into a Sigil file store, two hours old: python3 files.py STORAGE ORPHANS"""
import hashlib, os, sys, time

root, count = sys.argv[1], int(sys.argv[2])
old = time.time() - 2 * 3600
for i in range(1, count + 1):
    for kind in ("config", "layer"):
        label = f"orphan {kind} {i}\n"
        data = (label * (4096 // len(label))).encode()
        hexdigest = hashlib.sha256(data).hexdigest()
        directory = os.path.join(root, "blobs", "sha256", hexdigest[:2])
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, hexdigest)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (old, old))
