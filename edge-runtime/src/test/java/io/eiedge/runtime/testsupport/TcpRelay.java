package io.eiedge.runtime.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay between a client and a broker. {@link #cut()} drops every relayed
 * connection abruptly, as a pulled network cable would, without touching either end: the broker
 * then publishes the client's will, and the client sees its connection lost. {@link #blackHole()}
 * is a link that goes dead without either end noticing: whatever is sent is lost, until
 * {@link #restore()} resets the dead connections.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean dropping;

    public TcpRelay(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("relay-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("relay-pipe").start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (!dropping) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** Drops every current connection with a TCP reset; new connections are still relayed. */
    public void cut() {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0); // RST rather than FIN: an abrupt loss, not a goodbye
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** From now on every byte either end sends is lost; both ends keep their connections open. */
    public void blackHole() {
        dropping = true;
    }

    /** Ends a {@link #blackHole()}: the connections it broke are reset, new ones are relayed again. */
    public void restore() {
        cut();
        dropping = false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
