package io.eiedge.provisioning.key;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writing files so that a power cut leaves either the old or the new content (temporary file,
 * fsync, atomic rename, fsync of the folder), with secrets created 0600 from the first byte, and
 * the permission check every secret passes before it is read.
 */
public final class SecureFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> LOOSE = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecureFiles() {
    }

    /** Writes a secret (mode 0600). */
    public static void writeSecret(Path file, byte[] content) throws ProvisioningException {
        write(file, content, "rw-------");
    }

    /** Writes a public file (mode 0644). */
    public static void writePublic(Path file, byte[] content) throws ProvisioningException {
        write(file, content, "rw-r--r--");
    }

    /**
     * Writes the content to a temporary file beside the target, then renames it over the target in
     * one step. When the folder belongs to another user and we run as root (a technician with sudo
     * preparing the folder of the {@code eiedge} service user), the file is handed to the folder's
     * owner so the service can read it.
     */
    public static void write(Path file, byte[] content, String mode) throws ProvisioningException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            FileAttribute<?>[] attrs = POSIX
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            handToFolderOwner(tmp, dir);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncFolder(dir);
        } catch (IOException e) {
            throw new ProvisioningException(Problem.IO, file + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is harmless; the target is unchanged
                }
            }
        }
    }

    /** Renames a file over another in one step (used to promote a pending key). */
    public static void moveAtomically(Path from, Path to) throws ProvisioningException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ProvisioningException(Problem.IO, "cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a secret that group or others may read or write: a key that others could read is
     * a key that may have leaked, and the technician should know now, not after an audit.
     */
    public static void requirePrivate(Path file) throws ProvisioningException {
        if (!POSIX) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new ProvisioningException(Problem.NOT_FOUND, file + ": no such file");
        } catch (IOException e) {
            throw new ProvisioningException(Problem.IO, file + ": cannot read permissions: " + e.getMessage(), e);
        }
        Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
        loose.addAll(perms);
        loose.retainAll(LOOSE);
        if (!loose.isEmpty()) {
            throw new ProvisioningException(Problem.INSECURE_PERMISSIONS, file + " has mode "
                    + PosixFilePermissions.toString(perms) + ": a private key must be readable by its owner only"
                    + " (run: chmod 600 " + file + "; if others may have read it, make a new key)");
        }
    }

    private static void handToFolderOwner(Path file, Path dir) throws IOException {
        if (!POSIX || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        PosixFileAttributeView dirView = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        UserPrincipal owner = dirView.getOwner();
        if (!owner.getName().equals("root")) {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            view.setOwner(owner);
            view.setGroup(dirView.readAttributes().group());
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a folder be synced; the rename itself is still atomic
        }
    }
}
