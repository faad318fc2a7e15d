package io.eiedge.drivers.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Two connected pseudo-terminals made by socat: a serial line without hardware. */
public final class SocatPair implements AutoCloseable {
    private final Process socat;
    private final Path a;
    private final Path b;

    public SocatPair(Path dir) throws IOException, InterruptedException {
        a = dir.resolve("master-end");
        b = dir.resolve("slave-end");
        try {
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("these tests need socat (apt-get install socat; scripts/test.sh installs it)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                throw new IOException("socat did not create the pty pair: " + Files.readString(dir.resolve("socat.log")));
            }
            Thread.sleep(20);
        }
    }

    /** The end the driver opens (resolved to /dev/pts/N). */
    public String masterEnd() throws IOException {
        return a.toRealPath().toString();
    }

    public String slaveEnd() throws IOException {
        return b.toRealPath().toString();
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
        }
    }
}
