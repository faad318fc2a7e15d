package io.eiedge.drivers.modbus;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.util.ModbusUtil;
import org.tinylog.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One RS-485 bus in Modbus RTU, shared by every meter wired to it: one serial port, one
 * transaction at a time (a fair lock, so meters take turns), and a silent gap between
 * transactions. The port is opened on first use and reopened after an I/O error, so an
 * unplugged USB adapter gives clear errors until it is plugged back in, then works again.
 *
 * <p>The RTU framing of the two read functions is done here on jSerialComm (the serial library
 * j2mod itself uses) rather than through j2mod's serial master, because a shared bus needs what
 * that master does not do: check that an answer comes from the unit that was asked, tell a
 * timeout from a CRC error without parsing message text, and bound every transaction by one
 * deadline. The CRC is j2mod's.
 */
public final class RtuBus implements ModbusLink {
    private final SerialBusConfig config;
    private final ReentrantLock lock = new ReentrantLock(true);
    private SerialPort port;
    private long lastFrameEndNanos = System.nanoTime();
    private boolean closed;

    public RtuBus(SerialBusConfig config) {
        this.config = config;
    }

    public SerialBusConfig config() {
        return config;
    }

    @Override
    public int[] readRegisters(int unitId, RegisterType type, int address, int count) throws ModbusFault {
        ModbusFault last = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            try {
                return readOnce(unitId, type, address, count, (int) config.timeout().toMillis());
            } catch (ModbusFault f) {
                if (!f.retryable() || f.kind() == ModbusFault.Kind.UNAVAILABLE) {
                    throw f;
                }
                last = f;
            }
        }
        throw last;
    }

    @Override
    public int[] readOnce(int unitId, RegisterType type, int address, int count, int timeoutMs) throws ModbusFault {
        if (unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("unit id " + unitId + " is outside 1..247");
        }
        if (count < 1 || count > 125) {
            throw new IllegalArgumentException("register count " + count + " is outside 1..125");
        }
        String where = describe() + " unit " + unitId;
        lock.lock();
        try {
            SerialPort p = open(where);
            keepGap();
            try {
                return transact(p, unitId, type.function(), address, count, timeoutMs, where);
            } finally {
                lastFrameEndNanos = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    private int[] transact(SerialPort p, int unit, int function, int address, int count, int timeoutMs, String where)
            throws ModbusFault {
        drainInput(p);
        byte[] request = new byte[8];
        request[0] = (byte) unit;
        request[1] = (byte) function;
        request[2] = (byte) (address >>> 8);
        request[3] = (byte) address;
        request[4] = (byte) (count >>> 8);
        request[5] = (byte) count;
        int[] crc = ModbusUtil.calculateCRC(request, 0, 6);
        request[6] = (byte) crc[0];
        request[7] = (byte) crc[1];
        if (p.writeBytes(request, request.length) != request.length) {
            lost(where + ": cannot write to the serial port");
        }
        int expected = 5 + 2 * count;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs) + config.wireNanos(8 + expected);
        byte[] frame = new byte[expected];
        int got = readUntil(p, frame, 0, 3, deadline, where);
        if (got == 0) {
            throw new ModbusFault(ModbusFault.Kind.TIMEOUT, where + ": no answer within " + timeoutMs + " ms");
        }
        if (got < 3) {
            throw corrupt(p, where + ": frame cut short after " + got + " bytes");
        }
        int answeredUnit = frame[0] & 0xFF;
        int answeredFunction = frame[1] & 0xFF;
        if (answeredUnit != unit) {
            throw corrupt(p, where + ": answer came from unit " + answeredUnit);
        }
        if (answeredFunction == (function | 0x80)) {
            if (readUntil(p, frame, 3, 2, deadline, where) < 2 || !crcOk(frame, 5)) {
                throw corrupt(p, where + ": exception answer with a bad CRC");
            }
            throw ModbusFault.exception(frame[2] & 0xFF, where);
        }
        if (answeredFunction != function) {
            throw corrupt(p, where + ": answer to function " + answeredFunction + ", asked " + function);
        }
        int byteCount = frame[2] & 0xFF;
        if (byteCount != 2 * count) {
            throw corrupt(p, where + ": answer holds " + byteCount + " bytes, asked for " + 2 * count);
        }
        int rest = readUntil(p, frame, 3, expected - 3, deadline, where);
        if (rest < expected - 3) {
            throw corrupt(p, where + ": frame cut short after " + (3 + rest) + " of " + expected + " bytes");
        }
        if (!crcOk(frame, expected)) {
            throw corrupt(p, where + ": CRC error");
        }
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            words[i] = ((frame[3 + 2 * i] & 0xFF) << 8) | (frame[4 + 2 * i] & 0xFF);
        }
        return words;
    }

    /** Reads up to {@code n} bytes before the deadline; returns how many arrived. */
    private int readUntil(SerialPort p, byte[] buf, int offset, int n, long deadline, String where) throws ModbusFault {
        int got = 0;
        while (got < n) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            p.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, (int) Math.max(1, left), 0);
            int r = p.readBytes(buf, n - got, offset + got);
            if (r < 0) {
                lost(where + ": the serial port failed while reading");
            }
            got += r;
        }
        return got;
    }

    private static boolean crcOk(byte[] frame, int length) {
        int[] crc = ModbusUtil.calculateCRC(frame, 0, length - 2);
        return (frame[length - 2] & 0xFF) == crc[0] && (frame[length - 1] & 0xFF) == crc[1];
    }

    /** A bad frame: let the rest of it pass, then report. */
    private ModbusFault corrupt(SerialPort p, String message) {
        long quietUntil = System.nanoTime() + config.gapNanos() + config.wireNanos(16);
        while (System.nanoTime() < quietUntil) {
            if (p.bytesAvailable() > 0) {
                drainInput(p);
                quietUntil = System.nanoTime() + config.gapNanos() + config.wireNanos(16);
            }
            LockSupport.parkNanos(200_000);
        }
        return new ModbusFault(ModbusFault.Kind.COMM, message);
    }

    private static void drainInput(SerialPort p) {
        int n;
        byte[] junk = new byte[256];
        while ((n = p.bytesAvailable()) > 0) {
            p.readBytes(junk, Math.min(n, junk.length));
        }
    }

    private void keepGap() {
        long wait = lastFrameEndNanos + config.gapNanos() - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private SerialPort open(String where) throws ModbusFault {
        if (closed) {
            throw new ModbusFault(ModbusFault.Kind.UNAVAILABLE, where + ": the bus is closed");
        }
        if (port != null) {
            return port;
        }
        SerialPort p;
        try {
            p = SerialPort.getCommPort(config.device());
        } catch (RuntimeException e) {
            throw new ModbusFault(ModbusFault.Kind.UNAVAILABLE, where + ": cannot open serial port " + config.device()
                    + " (" + e.getMessage() + "; unplugged or wrong path?)", e);
        }
        p.setComPortParameters(config.baud(), config.dataBits(), config.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                switch (config.parity()) {
                    case NONE -> SerialPort.NO_PARITY;
                    case EVEN -> SerialPort.EVEN_PARITY;
                    case ODD -> SerialPort.ODD_PARITY;
                });
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!p.openPort(0)) {
            throw new ModbusFault(ModbusFault.Kind.UNAVAILABLE, where + ": cannot open serial port " + config.device()
                    + " (unplugged, wrong path, or no permission: is the user in group dialout?)");
        }
        Logger.info("modbus {}: opened", describe());
        port = p;
        return p;
    }

    private void lost(String message) throws ModbusFault {
        Logger.warn("modbus {}: {}; closing the port, the next read reopens it", describe(), message);
        closePort();
        throw new ModbusFault(ModbusFault.Kind.UNAVAILABLE, message);
    }

    private void closePort() {
        if (port != null) {
            port.closePort();
            port = null;
        }
    }

    @Override
    public String describe() {
        return "rtu " + config.device() + " " + config.baud() + " " + config.lineSettings();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closePort();
        } finally {
            lock.unlock();
        }
    }
}
