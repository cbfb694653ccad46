#!/usr/bin/env python3
"""Makes the tar files the CLI tests feed to kouti: hostile layers and multi-layer archives.

usage: mktar.py KIND OUT [ARG]
  dotdot OUT           a member "../escaped-by-dotdot"
  absolute OUT PATH    a member with the absolute path PATH
  symlink OUT DIR      "evil" -> DIR, then "evil/pwned" written through it
  hardlink OUT PATH    a hard link to PATH (outside the archive)
  hardlink-dotdot OUT  a hard link to "../../etc/passwd"
  whiteouts OUT        a docker-archive with two layers, the second whiting out files of the first
  duplicate OUT        a member written twice and one whited out in the same layer
  bigfiles OUT N       N files of 1 MiB of random bytes (for crash tests)
"""
import hashlib
import io
import json
import os
import sys
import tarfile


def add_bytes(tar, name, data=b"x", mode=0o644, **kw):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    for k, v in kw.items():
        setattr(info, k, v)
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    tar.addfile(info)


def layer(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        members(t)
    return buf.getvalue()


def main():
    kind, out = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else None
    if kind == "whiteouts":
        def l1(t):
            add_dir(t, "a")
            add_bytes(t, "a/b", b"b")
            add_bytes(t, "a/c", b"c")
            add_dir(t, "d")
            add_bytes(t, "d/e", b"e")

        def l2(t):
            add_dir(t, "a")
            add_bytes(t, "a/.wh.b", b"")
            add_dir(t, "d")
            add_bytes(t, "d/.wh..wh..opq", b"")
            add_bytes(t, "d/f", b"f")

        layers = [layer(l1), layer(l2)]
        diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
        config = json.dumps({
            "architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05Z",
            "config": {"Cmd": ["/bin/sh"]},
            "history": [{"created": "2024-01-02T03:04:05Z", "created_by": "layer one"},
                        {"created": "2024-01-02T03:04:05Z", "created_by": "layer two"}],
            "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
        cfg_name = hashlib.sha256(config).hexdigest() + ".json"
        manifest = [{"Config": cfg_name, "RepoTags": ["wh:latest"],
                     "Layers": [d[7:] + "/layer.tar" for d in diff_ids]}]
        with tarfile.open(out, "w") as t:
            add_bytes(t, cfg_name, config)
            for d, l in zip(diff_ids, layers):
                add_bytes(t, d[7:] + "/layer.tar", l)
            add_bytes(t, "manifest.json", json.dumps(manifest).encode())
        return
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        if kind == "dotdot":
            add_bytes(t, "ok", b"fine")
            add_bytes(t, "../escaped-by-dotdot")
        elif kind == "absolute":
            add_bytes(t, arg)
        elif kind == "symlink":
            info = tarfile.TarInfo("evil")
            info.type = tarfile.SYMTYPE
            info.linkname = arg
            t.addfile(info)
            add_bytes(t, "evil/pwned")
        elif kind == "hardlink":
            add_bytes(t, "ok", b"fine")
            info = tarfile.TarInfo("link")
            info.type = tarfile.LNKTYPE
            info.linkname = arg
            t.addfile(info)
        elif kind == "hardlink-dotdot":
            info = tarfile.TarInfo("link")
            info.type = tarfile.LNKTYPE
            info.linkname = "../../etc/passwd"
            t.addfile(info)
        elif kind == "duplicate":
            add_bytes(t, "same", b"first version")
            add_bytes(t, "same", b"second, longer version")
            add_bytes(t, "gone", b"deleted below")
            add_bytes(t, ".wh.gone", b"")
        elif kind == "bigfiles":
            for i in range(int(arg)):
                add_bytes(t, "f%04d" % i, os.urandom(1 << 20))
        else:
            sys.exit("unknown kind " + kind)


main()
