package io.eiedge.runtime.testsupport;

import com.upokecenter.cbor.CBORObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, opening one page and driven over the DevTools protocol
 * (a WebSocket, spoken with the JDK's own client): evaluate JavaScript in the page as it lives
 * (so a test sees the same page change after its next poll) and take screenshots.
 */
public final class HeadlessChromium implements AutoCloseable {
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<CBORObject>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Opens {@code url} in a {@code width}×{@code height} window (a phone is about 412×915). */
    public static HeadlessChromium open(Path profile, String url, int width, int height) throws Exception {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height, url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path active = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(active) || Files.readAllLines(active).size() < 2) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("chromium did not open its DevTools port: " + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageWs = null;
            while (pageWs == null) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (CBORObject t : CBORObject.FromJSONString(list).getValues()) {
                    if (t.get("type").AsString().equals("page")) {
                        pageWs = t.get("webSocketDebuggerUrl").AsString();
                    }
                }
                if (pageWs == null) {
                    if (System.nanoTime() > deadline) throw new IOException("chromium opened no page");
                    Thread.sleep(100);
                }
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        CBORObject m = CBORObject.FromJSONString(text.toString());
                        text.setLength(0);
                        if (m.ContainsKey("id")) {
                            CompletableFuture<CBORObject> f = self[0].pending.remove(m.get("id").AsInt32Value());
                            if (f != null) f.complete(m);
                        }
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, ws);
            return self[0];
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Sends one DevTools command and returns its {@code result}. */
    public CBORObject call(String method, CBORObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<CBORObject> f = new CompletableFuture<>();
        pending.put(id, f);
        CBORObject msg = CBORObject.NewMap().Add("id", id).Add("method", method).Add("params", params);
        socket.sendText(msg.ToJSONString(), true).get(10, TimeUnit.SECONDS);
        CBORObject answer = f.get(30, TimeUnit.SECONDS);
        if (answer.ContainsKey("error")) {
            throw new IOException(method + ": " + answer.get("error").ToJSONString());
        }
        return answer.get("result");
    }

    /** Evaluates {@code expression} in the page; its value as a string (JSON.stringify it for structures). */
    public String eval(String expression) throws Exception {
        CBORObject r = call("Runtime.evaluate", CBORObject.NewMap().Add("expression", expression).Add("returnByValue", true));
        if (r.ContainsKey("exceptionDetails")) {
            throw new IOException(expression + ": " + r.get("exceptionDetails").ToJSONString());
        }
        CBORObject v = r.get("result").get("value");
        return v == null || v.isNull() ? null : v.getType() == com.upokecenter.cbor.CBORType.TextString ? v.AsString() : v.ToJSONString();
    }

    /** Waits until {@code expression} is true in the page. */
    public void waitFor(String expression, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"true".equals(eval("Boolean(" + expression + ")"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page never showed " + what + "; body: " + eval("document.body.innerText"));
            }
            Thread.sleep(200);
        }
    }

    /** A PNG of the whole page. */
    public void screenshot(Path file) throws Exception {
        CBORObject r = call("Page.captureScreenshot", CBORObject.NewMap().Add("format", "png").Add("captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.get("data").AsString()));
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
