#!/usr/bin/env python3
"""Receives a pty master over a unix socket (runc's --console-socket protocol) and copies what
the container writes to stdout until the terminal closes. usage: console_socket.py SOCKET READY"""
import array, os, socket, sys

path, ready = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
open(ready, "w").close()
conn, _ = srv.accept()
fds = array.array("i")
msg, anc, _, _ = conn.recvmsg(1024, socket.CMSG_LEN(fds.itemsize))
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
master = fds[0]
out = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.write("name=%s\n" % msg.decode())
sys.stdout.write(out.decode(errors="replace"))
