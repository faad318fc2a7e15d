package io.eiedge.drivers.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A misbehaving Modbus TCP device on a loopback ephemeral port: reads requests, then answers badly. */
public final class FaultyTcpDevice implements AutoCloseable {
    public enum Mode {
        /** Accepts and reads, never answers. */
        SILENT,
        /** Answers with the right header but a frame that claims more data than it holds, then hangs up. */
        CORRUPT,
        /** Answers a read with an exception response, code 4 (server device failure). */
        EXCEPTION_4
    }

    private final ServerSocket server;
    private final Mode mode;
    private final List<Socket> clients = new ArrayList<>();
    private final Thread thread;

    public FaultyTcpDevice(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofVirtual().start(this::serve);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (clients) {
                    clients.add(s);
                }
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] mbap = new byte[7];
                in.readFully(mbap);
                int len = ((mbap[4] & 0xFF) << 8) | (mbap[5] & 0xFF);
                byte[] pdu = new byte[len - 1];
                in.readFully(pdu);
                switch (mode) {
                    case SILENT -> { }
                    case CORRUPT -> {
                        // says 7 more bytes follow, byte count says 200, then the line goes dead
                        out.write(new byte[]{mbap[0], mbap[1], 0, 0, 0, 7, mbap[6], pdu[0], (byte) 200, 1, 2, 3, 4});
                        out.flush();
                        return;
                    }
                    case EXCEPTION_4 -> {
                        out.write(new byte[]{mbap[0], mbap[1], 0, 0, 0, 3, mbap[6], (byte) (pdu[0] | 0x80), 4});
                        out.flush();
                    }
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (clients) {
            for (Socket c : clients) {
                c.close();
            }
        }
    }
}
