package io.eiedge.runtime.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.elements.config.Configuration;

/**
 * The CoAP server of DESIGN's resource table, on the node's one endpoint. {@code /.well-known/core}
 * (RFC 6690) is Californium's, listing every resource with its {@code rt}, {@code ct} and
 * {@code obs} attributes; peers recognise an eiedge node by {@code rt="eiedge.head"}.
 */
public final class PeerServer implements AutoCloseable {
    private final CoapServer server;
    private final HeadResource head;

    public PeerServer(Configuration config, PeerEndpoint endpoint, LedgerView ledger, byte[] certificateDer, PeerServices services) {
        server = new CoapServer(config);
        server.addEndpoint(endpoint.endpoint());
        head = new HeadResource(ledger, services);
        CoapResource ledgerFolder = SimpleResources.ledgerFolder();
        ledgerFolder.add(head);
        ledgerFolder.add(new HeadersResource(ledger, services));
        ledgerFolder.add(new ReadingResource(ledger, services));
        server.add(SimpleResources.id(certificateDer, services), ledgerFolder, SimpleResources.peers(services),
                SimpleResources.crl(services), SimpleResources.health(services));
    }

    public void start() {
        server.start();
    }

    /** Tells head observers about a new seal. */
    public void headChanged() {
        head.sealed();
    }

    @Override
    public void close() {
        server.stop();
        server.destroy();
    }
}
