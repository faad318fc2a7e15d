package io.eiedge.drivers.testing;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.util.ModbusUtil;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Modbus RTU devices on the far end of a serial line: answers function 3 and 4 for each unit
 * id it holds an image for, and can be told to misbehave per unit. Units it does not know stay
 * silent, like absent devices on a real RS-485 bus.
 */
public final class RtuTestSlave implements AutoCloseable {
    public enum Behaviour { ANSWER, SILENT, BAD_CRC, EXCEPTION_2, WRONG_UNIT }

    private final SerialPort port;
    private final Map<Integer, RegisterImage> units = new ConcurrentHashMap<>();
    private final Map<Integer, Behaviour> behaviour = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    public RtuTestSlave(String device) {
        port = SerialPort.getCommPort(device);
        port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        if (!port.openPort(0)) {
            throw new IllegalStateException("cannot open " + device);
        }
        thread = Thread.ofPlatform().daemon().name("rtu-test-slave").start(this::serve);
    }

    public RtuTestSlave unit(int id, RegisterImage image) {
        units.put(id, image);
        behaviour.put(id, Behaviour.ANSWER);
        return this;
    }

    public void behave(int unit, Behaviour b) {
        behaviour.put(unit, b);
    }

    /** Requests seen on the line (for any unit). */
    public int requests() {
        return requests.get();
    }

    private void serve() {
        byte[] req = new byte[8];
        while (running) {
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, 100, 0);
            int got = 0;
            while (running && got < 8) {
                int r = port.readBytes(req, 8 - got, got);
                if (r < 0) {
                    return;
                }
                got += r;
                if (r == 0 && got > 0) {
                    got = 0; // a gap inside a frame: resynchronise
                }
            }
            if (!running) {
                return;
            }
            int[] crc = ModbusUtil.calculateCRC(req, 0, 6);
            if ((req[6] & 0xFF) != crc[0] || (req[7] & 0xFF) != crc[1]) {
                continue;
            }
            requests.incrementAndGet();
            int unit = req[0] & 0xFF;
            int fn = req[1] & 0xFF;
            int address = ((req[2] & 0xFF) << 8) | (req[3] & 0xFF);
            int count = ((req[4] & 0xFF) << 8) | (req[5] & 0xFF);
            RegisterImage image = units.get(unit);
            Behaviour b = behaviour.getOrDefault(unit, Behaviour.SILENT);
            if (image == null || b == Behaviour.SILENT) {
                continue;
            }
            Map<Integer, Integer> table = fn == 3 ? image.holding : image.input;
            boolean known = true;
            for (int i = 0; i < count; i++) {
                known &= table.containsKey(address + i);
            }
            byte[] answer;
            if (b == Behaviour.EXCEPTION_2 || !known || (fn != 3 && fn != 4)) {
                answer = new byte[]{(byte) unit, (byte) (fn | 0x80), (fn == 3 || fn == 4) ? (byte) 2 : (byte) 1, 0, 0};
            } else {
                answer = new byte[5 + 2 * count];
                answer[0] = (byte) (b == Behaviour.WRONG_UNIT ? unit + 1 : unit);
                answer[1] = (byte) fn;
                answer[2] = (byte) (2 * count);
                for (int i = 0; i < count; i++) {
                    int w = table.get(address + i);
                    answer[3 + 2 * i] = (byte) (w >>> 8);
                    answer[4 + 2 * i] = (byte) w;
                }
            }
            int[] c = ModbusUtil.calculateCRC(answer, 0, answer.length - 2);
            answer[answer.length - 2] = (byte) c[0];
            answer[answer.length - 1] = (byte) c[1];
            if (b == Behaviour.BAD_CRC) {
                answer[answer.length - 1] ^= 0x5A;
            }
            port.writeBytes(answer, answer.length);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        port.closePort();
    }
}
