package io.eiedge.bench.drivers;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.util.ModbusUtil;
import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.modbus.ModbusMeter;
import io.eiedge.drivers.modbus.Profiles;
import io.eiedge.drivers.modbus.RegisterMapReader;
import io.eiedge.drivers.modbus.RtuBus;
import io.eiedge.drivers.modbus.SerialBusConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads per second one RTU bus sustains, against the wire limit. A JMH benchmark is impractical
 * here (it needs socat and a paced device for each baud), so this is a plain main:
 * {@code java -cp ... io.eiedge.bench.drivers.RtuBusThroughput [seconds]}.
 *
 * <p>A socat pty pair carries the bytes; ptys ignore the baud rate, so the device on the far end
 * paces itself like a real line: it answers when the request and its answer would have finished
 * crossing the wire at the configured baud. Two SDM630 meters (units 1 and 2) share the bus and
 * are read in turn. Wire limit = baud ÷ (bits of one request and one answer, 10 bits a byte
 * for 8N1); the ratio shows what the driver's framing, inter-frame gap and turn-taking cost.
 */
public final class RtuBusThroughput {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("eiedge-rtu-bench");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + dir.resolve("a"), "pty,raw,echo=0,link=" + dir.resolve("b"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(dir.resolve("a")) && Files.exists(dir.resolve("b")))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("socat did not start (is it installed?)");
                }
                Thread.sleep(20);
            }
            String master = dir.resolve("a").toRealPath().toString();
            String slave = dir.resolve("b").toRealPath().toString();
            System.out.println("RTU bus throughput, 2 x SDM630 (76 registers, 1 request each) on one bus, " + seconds + " s per baud rate");
            System.out.printf("%-8s %12s %14s %8s %s%n", "baud", "reads/s", "wire limit/s", "ratio", "(limit with 2 x 3.5-char gaps)");
            for (int baud : new int[]{9600, 115200}) {
                run(master, slave, baud, seconds);
            }
        } finally {
            socat.destroy();
        }
    }

    private static void run(String masterEnd, String slaveEnd, int baud, int seconds) throws Exception {
        SerialBusConfig config = new SerialBusConfig(masterEnd, baud, 8, SerialBusConfig.Parity.NONE, 1,
                Duration.ofMillis(500), 1, Duration.ZERO);
        PacedDevice device = new PacedDevice(slaveEnd, config);
        Thread t = Thread.ofPlatform().daemon().start(device);
        try (RtuBus bus = new RtuBus(config)) {
            Meter[] meters = {
                    new ModbusMeter("a", 1, new RegisterMapReader(Profiles.SDM630), bus, () -> { }, FailurePolicy.DEFAULT, InstantSource.system()),
                    new ModbusMeter("b", 2, new RegisterMapReader(Profiles.SDM630), bus, () -> { }, FailurePolicy.DEFAULT, InstantSource.system())};
            for (int i = 0; i < 4; i++) {
                meters[i % 2].read(); // open the port, warm up
            }
            long reads = 0;
            long bad = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                if (!meters[(int) (reads % 2)].read().good()) {
                    bad++;
                }
                reads++;
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            int bytes = 8 + 5 + 2 * 76;
            double wireLimit = baud / (double) (bytes * config.bitsPerCharacter());
            double withGaps = 1e9 / (config.wireNanos(bytes) + 2.0 * config.gapNanos());
            double rate = reads / elapsed;
            System.out.printf("%-8d %12.2f %14.2f %8.3f (%.2f/s, ratio %.3f)%s%n", baud, rate, wireLimit, rate / wireLimit,
                    withGaps, rate / withGaps, bad == 0 ? "" : "  " + bad + " failed reads!");
        } finally {
            device.stop();
            t.join(2000);
        }
    }

    /** Answers SDM630 reads for units 1 and 2 as late as a real line at the bus's baud would deliver them. */
    private static final class PacedDevice implements Runnable {
        private final SerialPort port;
        private final SerialBusConfig config;
        private volatile boolean running = true;

        PacedDevice(String device, SerialBusConfig config) {
            this.config = config;
            port = SerialPort.getCommPort(device);
            if (!port.openPort(0)) {
                throw new IllegalStateException("cannot open " + device);
            }
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, 100, 0);
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            byte[] req = new byte[8];
            try {
                while (running) {
                    int got = 0;
                    while (running && got < 8) {
                        int r = port.readBytes(req, 8 - got, got);
                        if (r < 0) {
                            return;
                        }
                        got += r;
                    }
                    if (!running) {
                        return;
                    }
                    long arrived = System.nanoTime();
                    int count = ((req[4] & 0xFF) << 8) | (req[5] & 0xFF);
                    byte[] answer = new byte[5 + 2 * count];
                    answer[0] = req[0];
                    answer[1] = req[1];
                    answer[2] = (byte) (2 * count);
                    int[] crc = ModbusUtil.calculateCRC(answer, 0, answer.length - 2);
                    answer[answer.length - 2] = (byte) crc[0];
                    answer[answer.length - 1] = (byte) crc[1];
                    // the request took its wire time to arrive (the pty delivered it at once), the answer takes its own
                    long due = arrived + config.wireNanos(8) + config.wireNanos(answer.length);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    port.writeBytes(answer, answer.length);
                }
            } finally {
                port.closePort();
            }
        }
    }
}
