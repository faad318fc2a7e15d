package io.eiedge.runtime.testsupport;

import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A hostile UDP sender for flood tests: the datagrams that used to exhaust a node's heap —
 * block-wise first blocks (Block1, 16 bytes, never continued, no Size1) on many paths, header
 * ranges and Observe registrations under ever new tokens, oversize datagrams and uploads that
 * announce a huge Size1 — sent from many plain UDP sockets. CoAP messages are serialised by Californium's own serializer;
 * nothing is ever answered or continued.
 */
public final class CoapFlood implements AutoCloseable {
    /** Longer than any CoAP datagram a node reads (it reads at most 2048 bytes). */
    public static final int OVERSIZE = 4000;

    private final InetSocketAddress target;
    private final List<Consumer<byte[]>> senders = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final UdpDataSerializer serializer = new UdpDataSerializer();
    private final AtomicLong sent = new AtomicLong();
    private long counter;

    private CoapFlood(InetSocketAddress target) {
        this.target = target;
    }

    /** {@code sources} plain UDP sockets on loopback. */
    public static CoapFlood plain(InetSocketAddress target, int sources) throws IOException {
        CoapFlood f = new CoapFlood(target);
        for (int i = 0; i < sources; i++) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            f.closeables.add(s);
            f.senders.add(bytes -> {
                try {
                    s.send(new DatagramPacket(bytes, bytes.length, target));
                } catch (IOException e) {
                    // a full send buffer: the flood goes on
                }
            });
        }
        return f;
    }

    public long sent() {
        return sent.get();
    }

    /**
     * One round from every source: four never-continued uploads on distinct paths, two header ranges
     * and two Observe registrations under fresh tokens, one oversize datagram, one upload announcing 10 MB.
     */
    public void round() {
        for (Consumer<byte[]> s : senders) {
            long n = counter++;
            send(s, upload("ledger/headers", n, null));
            send(s, upload("ledger/h" + (n % 97), n, null));
            send(s, upload("x/" + n, n, null));
            send(s, upload("peers", n, null));
            send(s, range(n));
            send(s, range(n + 1));
            send(s, observe(n));
            send(s, observe(n + 1));
            send(s, upload("ledger/headers", n, 10_000_000));
            byte[] big = new byte[OVERSIZE];
            System.arraycopy(upload("ledger/headers", n, null), 0, big, 0, 8);
            send(s, big);
        }
    }

    private void send(Consumer<byte[]> sender, byte[] bytes) {
        sender.accept(bytes);
        sent.incrementAndGet();
    }

    private Request base(CoAP.Code code, long n) {
        Request r = new Request(code, CoAP.Type.CON);
        r.setMID((int) (n * 7 + counter) & 0xffff);
        r.setToken(ByteBuffer.allocate(8).putLong(n * 31 + System.nanoTime()).array());
        r.setDestinationContext(new AddressEndpointContext(target));
        return r;
    }

    private byte[] upload(String path, long n, Integer size1) {
        Request r = base(CoAP.Code.POST, n);
        r.getOptions().setUriPath(path);
        r.getOptions().setBlock1(new BlockOption(BlockOption.size2Szx(16), true, 0));
        if (size1 != null) {
            r.getOptions().setSize1(size1);
        }
        r.setPayload(new byte[16]);
        return serialize(r);
    }

    private byte[] range(long n) {
        Request r = base(CoAP.Code.GET, n);
        r.getOptions().setUriPath("ledger/headers");
        r.getOptions().addUriQuery("from=0");
        r.getOptions().addUriQuery("n=500");
        return serialize(r);
    }

    private byte[] observe(long n) {
        Request r = base(CoAP.Code.GET, n);
        r.getOptions().setUriPath("ledger/head");
        r.getOptions().setObserve(0);
        return serialize(r);
    }

    private byte[] serialize(Request r) {
        RawData raw = serializer.serializeRequest(r);
        return raw.getBytes();
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a test sender
            }
        }
    }
}
