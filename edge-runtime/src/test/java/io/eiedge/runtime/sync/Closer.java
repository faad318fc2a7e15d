package io.eiedge.runtime.sync;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (nodes, stores, clients), closed newest first when the test ends: as a
 * {@code @RegisterExtension} field after each test, or by try-with-resources.
 */
final class Closer implements AutoCloseable, AfterEachCallback {
    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        open.clear();
    }
}
