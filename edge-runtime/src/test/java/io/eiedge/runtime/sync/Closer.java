package io.eiedge.runtime.sync;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (nodes, stores, clients), closed newest first when the test ends. */
final class Closer implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        open.clear();
    }
}
