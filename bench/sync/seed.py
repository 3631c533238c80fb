#!/usr/bin/env python3
"""Pushes N tiny single-layer OCI images (tags tag-1..tag-N) to a plain-HTTP registry and writes, for each, an atomic
signature made with gpg into a lookaside directory (<dir>/<name>@sha256=<hex>/signature-1), as skopeo --sign-by would.
An optional sixth argument sets each layer's size in bytes (default 512, random so it does not compress)."""
import gzip, hashlib, json, os, subprocess, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

registry, name, n, lookaside, fingerprint = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
layer_bytes = int(sys.argv[6]) if len(sys.argv) > 6 else 512
host = registry.split("//", 1)[1]


def request(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req) as response:
        return response


def blob(data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    location = request("POST", f"{registry}/v2/{name}/blobs/uploads/").headers["Location"]
    url = location if location.startswith("http") else registry + location
    request("PUT", url + ("&" if "?" in url else "?") + "digest=" + digest, data,
            {"Content-Type": "application/octet-stream"})
    return {"digest": digest, "size": len(data)}


def push(i):
    raw = os.urandom(layer_bytes) + str(i).encode()
    layer = gzip.compress(raw, mtime=0)
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **blob(config)),
                           "layers": [dict(mediaType="application/vnd.oci.image.layer.v1.tar+gzip", **blob(layer))]}).encode()
    tag = f"tag-{i}"
    request("PUT", f"{registry}/v2/{name}/manifests/{tag}", manifest,
            {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    payload = json.dumps({"critical": {"identity": {"docker-reference": f"{host}/{name}:{tag}"},
                                       "image": {"docker-manifest-digest": digest},
                                       "type": "atomic container signature"},
                          "optional": {"creator": "sigil bench", "timestamp": int(time.time())}},
                         separators=(",", ":"), sort_keys=True).encode()
    directory = os.path.join(lookaside, f"{name}@sha256={digest[7:]}")
    os.makedirs(directory, exist_ok=True)
    subprocess.run(["gpg", "--batch", "--yes", "--local-user", fingerprint, "--sign", "-o",
                    os.path.join(directory, "signature-1")], input=payload, check=True)


with ThreadPoolExecutor(8) as pool:
    list(pool.map(push, range(1, n + 1)))
