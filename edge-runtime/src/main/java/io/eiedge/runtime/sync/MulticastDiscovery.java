package io.eiedge.runtime.sync;

import io.eiedge.runtime.coap.CoapSettings;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.WebLink;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.LinkFormat;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.UdpMulticastConnector;
import org.eclipse.californium.elements.config.Configuration;
import org.tinylog.Logger;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Finding peers on this node's link without configuration: a plain-CoAP endpoint that joins the
 * All-CoAP-Nodes group (224.0.1.187, RFC 7252 §12.8) and answers {@code GET
 * /.well-known/core?rt=eiedge.node} with one link naming this device and the port of its coaps
 * server, and a query that sends that GET to the group and collects the answers.
 *
 * <p>What a node learns this way is unauthenticated and only an address to try: the peer is then
 * dialled over DTLS with the id it claimed as the expected id, so a wrong or lying answer ends in
 * a refused handshake or a mismatching certificate, never in trust. The answer reveals no more
 * than the DTLS server already does (that an eiedge node listens there).
 */
final class MulticastDiscovery implements AutoCloseable {
    /** CoAP's All-CoAP-Nodes IPv4 group on CoAP's default port. */
    static final InetSocketAddress ALL_COAP_NODES = new InetSocketAddress(CoAP.MULTICAST_IPV4, CoAP.DEFAULT_COAP_PORT);
    static final String RESOURCE_TYPE = "eiedge.node";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String deviceId;
    private final InetSocketAddress group;
    private final String scheme;
    private final CoapServer server;
    private final UdpMulticastConnector receiver;
    private final CoapClient client;

    private MulticastDiscovery(String deviceId, InetSocketAddress group, String scheme, CoapServer server, CoapEndpoint endpoint,
                               UdpMulticastConnector receiver) {
        this.deviceId = deviceId;
        this.group = group;
        this.scheme = scheme;
        this.server = server;
        this.receiver = receiver;
        this.client = new CoapClient();
        client.setEndpoint(endpoint);
    }

    /**
     * Joins the group and starts answering. {@code scheme}/{@code peerPort}: how this node's peer
     * server is reached (coaps and its port; coap in insecure lab mode).
     */
    static MulticastDiscovery start(InetSocketAddress group, String deviceId, String subnet, String scheme, int peerPort) throws IOException {
        Configuration config = CoapSettings.configuration();
        // group requests need message ids of their own, apart from the unicast ones
        config.set(CoapConfig.MULTICAST_BASE_MID, 65000);
        UdpMulticastConnector receiver = new UdpMulticastConnector.Builder().setConfiguration(config)
                .setLocalAddress(group.getAddress(), group.getPort()).addMulticastGroup(group.getAddress()).setMulticastReceiver(true).build();
        receiver.start();
        // answers (and our own queries) leave from an ephemeral unicast port: several nodes on one
        // host can then share the group port, and no unicast traffic lands on the shared one
        UDPConnector unicast = new UDPConnector(new InetSocketAddress(0), config);
        unicast.addMulticastReceiver(receiver);
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(unicast).build();
        CoapServer server = new CoapServer(config);
        server.addEndpoint(endpoint);
        server.add(new NodeResource(deviceId, subnet, scheme, peerPort));
        server.start();
        Logger.info("device {}: multicast discovery on {}:{} (answers name {}://…:{})", deviceId, group.getAddress().getHostAddress(),
                group.getPort(), scheme, peerPort);
        return new MulticastDiscovery(deviceId, group, scheme, server, endpoint, receiver);
    }

    /**
     * Asks the group once; {@code found(deviceId, uri)} is then called for every other eiedge node
     * of {@code subnet} that answers (each within CoAP's leisure, 5 s). Returns at once.
     */
    void query(String subnet, BiConsumer<String, URI> found) {
        Request request = Request.newGet();
        request.setType(CoAP.Type.NON);
        String host = group.getAddress() instanceof Inet6Address ? "[" + group.getAddress().getHostAddress() + "]" : group.getAddress().getHostAddress();
        request.setURI("coap://" + host + ":" + group.getPort() + "/.well-known/core?rt=" + RESOURCE_TYPE);
        client.advanced(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                InetSocketAddress from = response.advanced().getSourceContext().getPeerAddress();
                for (Answer a : answers(response.getResponseText(), from.getAddress(), scheme)) {
                    if (!a.deviceId().equals(deviceId) && a.subnet().equals(subnet)) {
                        found.accept(a.deviceId(), a.uri());
                    }
                }
            }

            @Override
            public void onError() {
                // a group request ends without an answer when nobody else is on the link
            }
        }, request);
    }

    /** One node's answer: who it says it is and where its peer server is. */
    record Answer(String deviceId, String subnet, URI uri) {
    }

    /**
     * The links of a discovery answer that name an eiedge node, as addresses on the answering
     * host. Anything malformed is skipped: the answer is untrusted input.
     */
    static List<Answer> answers(String linkFormat, InetAddress host, String scheme) {
        Set<WebLink> links = LinkFormat.parse(linkFormat == null ? "" : linkFormat);
        return links.stream().filter(l -> l.getAttributes().getResourceTypes().contains(RESOURCE_TYPE)).map(l -> {
            String id = first(l, "id");
            String subnet = first(l, "subnet");
            String port = first(l, "port");
            if (id == null || subnet == null || port == null || !DEVICE_ID.matcher(id).matches() || !port.matches("[0-9]{1,5}")
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return null;
            }
            String h = host instanceof Inet6Address ? "[" + host.getHostAddress().replaceAll("%.*$", "") + "]" : host.getHostAddress();
            return new Answer(id, subnet, URI.create(scheme + "://" + h + ":" + port));
        }).filter(java.util.Objects::nonNull).toList();
    }

    private static String first(WebLink link, String attribute) {
        List<String> values = link.getAttributes().getAttributeValues(attribute);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void close() {
        client.shutdown();
        server.destroy();
        receiver.destroy();
    }

    /** {@code /eiedge}: listed in /.well-known/core with the device id, subnet and peer-server port. */
    private static final class NodeResource extends CoapResource {
        private final String text;

        NodeResource(String deviceId, String subnet, String scheme, int peerPort) {
            super("eiedge");
            getAttributes().addResourceType(RESOURCE_TYPE);
            getAttributes().addAttribute("id", deviceId);
            getAttributes().addAttribute("subnet", subnet);
            getAttributes().addAttribute("port", Integer.toString(peerPort));
            this.text = deviceId + " " + scheme + " " + peerPort;
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            exchange.respond(text);
        }
    }
}
