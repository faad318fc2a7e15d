package io.eiedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionCounterTest {
    @TempDir
    Path dir;

    @Test
    void startsAtZeroAndEveryRaiseIsOnDiskBeforeItIsReturned() throws IOException {
        SessionCounter c = SessionCounter.open(dir.resolve("var"));
        assertEquals(0, c.current());
        assertEquals(1, c.next());
        assertEquals(2, c.next());
        assertEquals(2, SessionCounter.open(dir.resolve("var")).current());
        assertEquals("2", Files.readString(dir.resolve("var").resolve(SessionCounter.FILE_NAME)).strip());
        assertFalse(Files.exists(dir.resolve("var").resolve(SessionCounter.FILE_NAME + ".tmp")));
    }

    @Test
    void aDamagedFileIsRefusedWithItsNameRatherThanRestartingAtZero() throws IOException {
        Files.writeString(dir.resolve(SessionCounter.FILE_NAME), "garbage");
        IOException e = assertThrows(IOException.class, () -> SessionCounter.open(dir));
        assertTrue(e.getMessage().contains(SessionCounter.FILE_NAME), e.getMessage());
        assertTrue(e.getMessage().contains("\"garbage\""), e.getMessage());
    }
}
