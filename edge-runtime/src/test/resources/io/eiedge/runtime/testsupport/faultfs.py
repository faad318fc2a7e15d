#!/usr/bin/python3
"""faultfs: a FUSE passthrough that behaves like a disk losing power, filling up or failing.

Usage: faultfs.py BACKING MOUNTPOINT CONTROL_SOCKET

Every file operation is passed through to BACKING, except file *contents*: a write is kept in
memory, per inode, until an fsync or fdatasync of that file copies it to BACKING. So BACKING is
always exactly what a disk would hold after a power cut at this instant, and the `cut` command
drops every byte not covered by an fsync. Metadata (create, mkdir, unlink, rename, chmod) goes
to BACKING at once: the file system is modelled as journalling its metadata but not ordering
data before it, so a file renamed over another without an fsync of its data comes back empty
after a cut -- the real ext4/SD-card failure that AtomicFiles-style code must survive.

Open files use direct I/O (no kernel page cache), so after a cut the next reader sees what
BACKING holds, not stale cached pages; attributes are never cached for the same reason.

The control socket takes one command per line and answers one line ("ok ..." or "error ..."):
  ping                    -> ok
  freeze | thaw           every mutating call (write, truncate, fsync, create, rename, ...) waits
                          while frozen; after a cut the ones that waited fail with EIO
  cut [reorder SEED]      power cut: drop every unsynced byte; answers
                          "ok dropped=BYTES lost=FILE:BYTES,... holes=FILE:FROM-TO,...". With `reorder`, for each file whose
                          unsynced tail starts at its durable end, a random later part of that tail
                          (from a later write call or a 4 KiB page boundary on) persists and the
                          earlier part does not: a hole of zeros with whole frames after it. Half the
                          time the page holding the durable end persists as well, so the hole cuts the
                          first unsynced frame short (its length field survives, its body does not)
  enospc on|off           writes, growing truncates and mkdir fail with ENOSPC; statfs says full
  eio on|off              fsync/fdatasync of a file with unsynced data and fsyncdir fail with EIO;
                          that data is never made durable (Linux marks such pages clean), though it
                          stays readable until the next cut, like the page cache
  erofs on|off            read-only: opening for write and every mutating call fail with EROFS;
                          fsync of unsynced data fails with EIO as above
  fsync-delay MS          every fsync/fdatasync takes MS milliseconds before it makes anything durable
                          (an SD card is not instant; a cut meanwhile makes it fail and persist nothing)
  sync                    make everything unsynced durable (a clean shutdown)
  stats                   counters: fsync fdatasync fsyncdir rename writes written synced pending
  reset-stats

Built on pyfuse3 (Debian python3-pyfuse3, libfuse3); must run as root or with /dev/fuse access.
"""
import errno
import os
import random
import socket
import stat
import sys
import time

import pyfuse3
import trio

TIMEOUT = 0.0  # never cache names or attributes: a cut changes sizes under the kernel


class Write:
    """Contiguous unsynced bytes at `off`; `starts` are the offsets where write calls began."""
    __slots__ = ("off", "data", "starts", "applied", "doomed")

    def __init__(self, off, data):
        self.off = off
        self.data = bytearray(data)
        self.starts = [off]
        self.applied = False
        self.doomed = False

    def end(self):
        return self.off + len(self.data)


class Truncate:
    __slots__ = ("size", "applied", "doomed")

    def __init__(self, size):
        self.size = size
        self.applied = False
        self.doomed = False


class Journal:
    """Unsynced operations on one inode, in order, and the size the file has with them."""

    def __init__(self, size):
        self.ops = []
        self.size = size
        self.mtime_ns = time.time_ns()

    def pending(self):
        return [op for op in self.ops if not op.applied and not op.doomed]

    def write(self, off, data):
        last = self.ops[-1] if self.ops else None
        if isinstance(last, Write) and not last.applied and not last.doomed and last.end() == off:
            last.data += data
            last.starts.append(off)
        else:
            self.ops.append(Write(off, data))
        self.size = max(self.size, off + len(data))
        self.mtime_ns = time.time_ns()

    def truncate(self, size):
        self.ops.append(Truncate(size))
        self.size = size
        self.mtime_ns = time.time_ns()

    def overlay(self, buf, off):
        """Replays every op (applied ones too: order matters) over `buf`, which holds [off, off+len)."""
        n = len(buf)
        for op in self.ops:
            if isinstance(op, Write):
                lo, hi = max(off, op.off), min(off + n, op.end())
                if lo < hi:
                    buf[lo - off:hi - off] = op.data[lo - op.off:hi - op.off]
            elif op.size < off + n:
                lo = max(op.size, off)
                buf[lo - off:] = bytes(off + n - lo)


class FaultFs(pyfuse3.Operations):
    def __init__(self, backing):
        super().__init__()
        self.backing = os.path.realpath(backing)
        self.root_ino = os.lstat(self.backing).st_ino
        self.paths = {pyfuse3.ROOT_INODE: {self.backing}}
        self.journals = {}     # ino -> Journal
        self.handles = {}      # fh -> [fd, ino]
        self.dirs = {}         # fh -> entries
        self.next_fh = 1
        self.frozen = False
        self.thawed = trio.Event()
        self.thawed.set()
        self.epoch = 0
        self.enospc = False
        self.eio = False
        self.erofs = False
        self.fsync_delay = 0.0
        self.reset_stats()

    # ---- bookkeeping -----------------------------------------------------------------------

    def reset_stats(self):
        self.stats = dict(fsync=0, fdatasync=0, fsyncdir=0, rename=0, writes=0, written=0, synced=0,
                          failed_fsync=0, enospc=0, erofs=0)

    def ino_of(self, st):
        return pyfuse3.ROOT_INODE if st.st_ino == self.root_ino else st.st_ino

    def path(self, ino):
        ps = self.paths.get(ino)
        if not ps:
            raise pyfuse3.FUSEError(errno.ENOENT)
        return next(iter(ps))

    def child(self, parent, name):
        return os.path.join(self.path(parent), os.fsdecode(name))

    def remember(self, ino, path):
        self.paths.setdefault(ino, set()).add(path)

    def forget_path(self, path):
        for ino, ps in list(self.paths.items()):
            if path in ps:
                ps.discard(path)
                if not ps and ino != pyfuse3.ROOT_INODE:
                    del self.paths[ino]
                    if not any(h[1] == ino for h in self.handles.values()):
                        self.journals.pop(ino, None)

    def attrs(self, path):
        st = os.lstat(path)
        ino = self.ino_of(st)
        self.remember(ino, path)
        a = pyfuse3.EntryAttributes()
        for f in ("st_mode", "st_nlink", "st_uid", "st_gid", "st_rdev", "st_size", "st_atime_ns",
                  "st_mtime_ns", "st_ctime_ns"):
            setattr(a, f, getattr(st, f))
        a.st_ino = ino
        a.generation = 0
        a.entry_timeout = TIMEOUT
        a.attr_timeout = TIMEOUT
        a.st_blksize = 4096
        j = self.journals.get(ino)
        if j is not None:
            a.st_size = j.size
            a.st_mtime_ns = max(a.st_mtime_ns, j.mtime_ns)
        a.st_blocks = (a.st_size + 511) // 512
        return a

    async def gate(self, mutating=True):
        """Waits while frozen; fails with EIO when a power cut happened meanwhile."""
        if self.frozen:
            epoch = self.epoch
            await self.thawed.wait()
            if epoch != self.epoch:
                raise pyfuse3.FUSEError(errno.EIO)
        if mutating and self.erofs:
            self.stats["erofs"] += 1
            raise pyfuse3.FUSEError(errno.EROFS)

    # ---- durability ------------------------------------------------------------------------

    def apply(self, ino, fd):
        """Copies the inode's unsynced ops to BACKING (what fsync makes durable)."""
        j = self.journals.get(ino)
        if j is None:
            return
        for op in j.pending():
            if isinstance(op, Write):
                os.pwrite(fd, op.data, op.off)
                self.stats["synced"] += len(op.data)
            else:
                os.ftruncate(fd, op.size)
            op.applied = True
        if not any(op.doomed for op in j.ops):
            del self.journals[ino]

    def doom(self, ino):
        j = self.journals.get(ino)
        if j is None or not j.pending():
            return False
        for op in j.pending():
            op.doomed = True
        return True

    def cut(self, reorder, seed):
        rnd = random.Random(seed)
        dropped = 0
        holes = []
        files = []
        for ino, j in list(self.journals.items()):
            pending = j.pending()
            lost = sum(len(op.data) for op in pending if isinstance(op, Write))
            dropped += lost
            if lost:
                try:
                    files.append("%s:%d" % (os.path.relpath(self.path(ino), self.backing), lost))
                except pyfuse3.FUSEError:
                    pass
            if reorder:
                try:
                    path = self.path(ino)
                    durable = os.lstat(path).st_size
                except (pyfuse3.FUSEError, OSError):
                    continue
                # where writeback could have started persisting: a later write call, or a page
                # boundary inside one (4 KiB pages), strictly beyond the durable end
                writes = [op for op in pending if isinstance(op, Write)]
                end = max((op.end() for op in writes), default=0)
                points = sorted({s for op in writes for s in op.starts if s > durable}
                                | set(range((durable // 4096 + 1) * 4096, end, 4096)))
                if points and len(writes) == len(pending) and any(op.off <= durable < op.end() or op.off == durable
                                                                  for op in writes):
                    # half the time the page holding the durable end was written back too: the first
                    # unsynced frame is then cut short by the hole instead of the hole starting at a frame
                    page = (durable // 4096 + 1) * 4096
                    later = [q for q in points if q > page]
                    head_end = page if later and rnd.random() < 0.5 else durable
                    keep_from = rnd.choice(later if head_end > durable else points)
                    fd = os.open(path, os.O_WRONLY)
                    try:
                        for op in pending:
                            for lo, hi in ((max(op.off, durable), min(op.end(), head_end)),
                                           (max(op.off, keep_from), op.end())):
                                if lo < hi:
                                    os.pwrite(fd, op.data[lo - op.off:hi - op.off], lo)
                    finally:
                        os.close(fd)
                    holes.append("%s:%d-%d" % (os.path.relpath(path, self.backing), head_end, keep_from))
        self.journals.clear()
        self.epoch += 1
        for ino in list(self.paths):
            try:
                pyfuse3.invalidate_inode(ino, attr_only=True)
            except OSError:
                pass
        return "ok dropped=%d lost=%s holes=%s" % (dropped, ",".join(files), ",".join(holes))

    def sync_all(self):
        for ino in list(self.journals):
            try:
                fd = os.open(self.path(ino), os.O_WRONLY)
            except (pyfuse3.FUSEError, OSError):
                continue
            try:
                self.apply(ino, fd)
            finally:
                os.close(fd)

    # ---- operations ------------------------------------------------------------------------

    async def lookup(self, parent_inode, name, ctx=None):
        try:
            return self.attrs(self.child(parent_inode, name))
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)

    async def getattr(self, inode, ctx=None):
        try:
            return self.attrs(self.path(inode))
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)

    async def setattr(self, inode, attr, fields, fh, ctx):
        await self.gate()
        path = self.path(inode)
        try:
            if fields.update_size:
                j = self.journals.get(inode)
                current = j.size if j else os.lstat(path).st_size
                if self.enospc and attr.st_size > current:
                    self.stats["enospc"] += 1
                    raise pyfuse3.FUSEError(errno.ENOSPC)
                self.journals.setdefault(inode, Journal(current)).truncate(attr.st_size)
            if fields.update_mode:
                os.chmod(path, stat.S_IMODE(attr.st_mode))
            if fields.update_uid or fields.update_gid:
                os.chown(path, attr.st_uid if fields.update_uid else -1, attr.st_gid if fields.update_gid else -1,
                         follow_symlinks=False)
            if fields.update_atime or fields.update_mtime:
                st = os.lstat(path)
                os.utime(path, ns=(attr.st_atime_ns if fields.update_atime else st.st_atime_ns,
                                   attr.st_mtime_ns if fields.update_mtime else st.st_mtime_ns))
                j = self.journals.get(inode)
                if j is not None and fields.update_mtime:
                    j.mtime_ns = attr.st_mtime_ns
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        return self.attrs(path)

    async def readlink(self, inode, ctx):
        return os.fsencode(os.readlink(self.path(inode)))

    async def opendir(self, inode, ctx):
        path = self.path(inode)
        try:
            names = sorted(os.listdir(path))
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        fh = self.next_fh
        self.next_fh += 1
        self.dirs[fh] = [os.path.join(path, n) for n in names]
        return fh

    async def readdir(self, fh, start_id, token):
        entries = self.dirs[fh]
        for i in range(start_id, len(entries)):
            try:
                a = self.attrs(entries[i])
            except OSError:
                continue
            if not pyfuse3.readdir_reply(token, os.fsencode(os.path.basename(entries[i])), a, i + 1):
                break

    async def releasedir(self, fh):
        self.dirs.pop(fh, None)

    async def fsyncdir(self, fh, datasync):
        await self.gate(mutating=False)
        self.stats["fsyncdir"] += 1
        if self.eio:
            self.stats["failed_fsync"] += 1
            raise pyfuse3.FUSEError(errno.EIO)

    async def mkdir(self, parent_inode, name, mode, ctx):
        await self.gate()
        if self.enospc:
            self.stats["enospc"] += 1
            raise pyfuse3.FUSEError(errno.ENOSPC)
        path = self.child(parent_inode, name)
        try:
            os.mkdir(path, mode)
            os.chown(path, ctx.uid, ctx.gid)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        return self.attrs(path)

    async def rmdir(self, parent_inode, name, ctx):
        await self.gate()
        path = self.child(parent_inode, name)
        try:
            os.rmdir(path)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        self.forget_path(path)

    async def unlink(self, parent_inode, name, ctx):
        await self.gate()
        path = self.child(parent_inode, name)
        try:
            os.unlink(path)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        self.forget_path(path)

    async def rename(self, parent_inode_old, name_old, parent_inode_new, name_new, flags, ctx):
        await self.gate()
        old = self.child(parent_inode_old, name_old)
        new = self.child(parent_inode_new, name_new)
        if flags & pyfuse3.RENAME_EXCHANGE:
            raise pyfuse3.FUSEError(errno.EINVAL)
        if flags & pyfuse3.RENAME_NOREPLACE and os.path.lexists(new):
            raise pyfuse3.FUSEError(errno.EEXIST)
        self.stats["rename"] += 1
        try:
            os.rename(old, new)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        self.forget_path(new)
        for ps in self.paths.values():
            for p in list(ps):
                if p == old or p.startswith(old + os.sep):
                    ps.discard(p)
                    ps.add(new + p[len(old):])

    async def statfs(self, ctx):
        st = os.statvfs(self.backing)
        s = pyfuse3.StatvfsData()
        for f in ("f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree", "f_favail",
                  "f_namemax"):
            setattr(s, f, getattr(st, f))
        if self.enospc:
            s.f_bfree = s.f_bavail = 0
        return s

    def handle(self, fd, ino):
        fh = self.next_fh
        self.next_fh += 1
        self.handles[fh] = [fd, ino]
        return pyfuse3.FileInfo(fh=fh, direct_io=True, keep_cache=False)

    async def open(self, inode, flags, ctx):
        writing = flags & (os.O_WRONLY | os.O_RDWR) or flags & os.O_TRUNC
        if writing:
            await self.gate()
        path = self.path(inode)
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        if flags & os.O_TRUNC:
            j = self.journals.get(inode)
            self.journals.setdefault(inode, Journal(j.size if j else os.fstat(fd).st_size)).truncate(0)
        return self.handle(fd, inode)

    async def create(self, parent_inode, name, mode, flags, ctx):
        await self.gate()
        path = self.child(parent_inode, name)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | (flags & os.O_EXCL), stat.S_IMODE(mode))
            os.fchown(fd, ctx.uid, ctx.gid)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno)
        a = self.attrs(path)
        if flags & os.O_TRUNC and os.fstat(fd).st_size > 0:
            self.journals.setdefault(a.st_ino, Journal(os.fstat(fd).st_size)).truncate(0)
            a = self.attrs(path)
        return self.handle(fd, a.st_ino), a

    async def read(self, fh, off, size):
        fd, ino = self.handles[fh]
        j = self.journals.get(ino)
        length = j.size if j is not None else os.fstat(fd).st_size
        if off >= length:
            return b""
        n = min(size, length - off)
        buf = bytearray(os.pread(fd, n, off))
        if len(buf) < n:
            buf += bytes(n - len(buf))
        if j is not None:
            j.overlay(buf, off)
        return bytes(buf)

    async def write(self, fh, off, buf):
        await self.gate()
        fd, ino = self.handles[fh]
        if self.enospc:
            self.stats["enospc"] += 1
            raise pyfuse3.FUSEError(errno.ENOSPC)
        j = self.journals.get(ino)
        if j is None:
            j = self.journals[ino] = Journal(os.fstat(fd).st_size)
        j.write(off, buf)
        self.stats["writes"] += 1
        self.stats["written"] += len(buf)
        return len(buf)

    async def fsync(self, fh, datasync):
        await self.gate(mutating=False)
        fd, ino = self.handles[fh]
        self.stats["fdatasync" if datasync else "fsync"] += 1
        if self.fsync_delay > 0:
            epoch = self.epoch
            await trio.sleep(self.fsync_delay)
            await self.gate(mutating=False)
            if epoch != self.epoch:
                raise pyfuse3.FUSEError(errno.EIO)  # the power went while the card was writing
        if self.eio or self.erofs:
            if self.doom(ino) or self.eio:
                self.stats["failed_fsync"] += 1
                raise pyfuse3.FUSEError(errno.EIO)
            return
        self.apply(ino, fd)

    async def flush(self, fh):
        pass

    async def release(self, fh):
        fd, ino = self.handles.pop(fh)
        os.close(fd)
        if ino not in self.paths:
            self.journals.pop(ino, None)

    async def forget(self, inode_list):
        pass

    # ---- control ---------------------------------------------------------------------------

    def command(self, line):
        words = line.split()
        if not words:
            return "error empty command"
        c, args = words[0], words[1:]
        if c == "ping":
            return "ok"
        if c == "freeze":
            if not self.frozen:
                self.frozen = True
                self.thawed = trio.Event()
            return "ok"
        if c == "thaw":
            self.frozen = False
            self.thawed.set()
            return "ok"
        if c == "cut":
            reorder = bool(args) and args[0] == "reorder"
            seed = int(args[1]) if reorder and len(args) > 1 else 0
            return self.cut(reorder, seed)
        if c in ("enospc", "eio", "erofs") and args and args[0] in ("on", "off"):
            setattr(self, c, args[0] == "on")
            return "ok"
        if c == "fsync-delay" and len(args) == 1:
            self.fsync_delay = int(args[0]) / 1000.0
            return "ok"
        if c == "sync":
            self.sync_all()
            return "ok"
        if c == "stats":
            pending = sum(len(op.data) for j in self.journals.values() for op in j.pending() if isinstance(op, Write))
            return "ok " + " ".join("%s=%d" % kv for kv in self.stats.items()) + " pending=%d" % pending
        if c == "reset-stats":
            self.reset_stats()
            return "ok"
        return "error unknown command: " + line.strip()


async def serve_control(fs, path):
    if os.path.exists(path):
        os.unlink(path)
    sock = trio.socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    await sock.bind(path)
    sock.listen(8)
    listener = trio.SocketListener(sock)

    async def client(stream):
        data = b""
        async with stream:
            while True:
                chunk = await stream.receive_some(4096)
                if not chunk:
                    return
                data += chunk
                while b"\n" in data:
                    line, data = data.split(b"\n", 1)
                    try:
                        reply = fs.command(line.decode())
                    except Exception as e:  # report, keep serving
                        reply = "error %s: %s" % (type(e).__name__, e)
                    await stream.send_all(reply.encode() + b"\n")

    await trio.serve_listeners(client, [listener])


async def run(fs, control):
    async with trio.open_nursery() as nursery:
        nursery.start_soon(serve_control, fs, control)
        await pyfuse3.main()
        nursery.cancel_scope.cancel()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    backing, mountpoint, control = sys.argv[1:]
    fs = FaultFs(backing)
    options = set(pyfuse3.default_options)
    options.add("fsname=faultfs")
    options.discard("default_permissions")
    pyfuse3.init(fs, mountpoint, options)
    print("faultfs: %s mounted over %s, control %s" % (mountpoint, backing, control), flush=True)
    try:
        trio.run(run, fs, control)
    finally:
        pyfuse3.close(unmount=True)


if __name__ == "__main__":
    main()
