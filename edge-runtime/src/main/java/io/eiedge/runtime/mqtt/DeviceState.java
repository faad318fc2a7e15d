package io.eiedge.runtime.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * The retained {@code …/state} payload of DESIGN.md:
 * {@code {"state":"online"|"offline","session":N,"seq":S,"height":H,"time":T}}.
 *
 * @param online  online (published on connect) or offline (the will, and a clean shutdown)
 * @param session the connection's {@link SessionCounter} value
 * @param seq     newest reading seq when the message was built
 * @param height  newest block height when the message was built
 * @param time    ms since the Unix epoch
 */
public record DeviceState(boolean online, long session, long seq, long height, long time) {

    public byte[] toJson() {
        return ("{\"state\":\"" + (online ? "online" : "offline") + "\",\"session\":" + session + ",\"seq\":" + seq
                + ",\"height\":" + height + ",\"time\":" + time + "}").getBytes(StandardCharsets.UTF_8);
    }
}
