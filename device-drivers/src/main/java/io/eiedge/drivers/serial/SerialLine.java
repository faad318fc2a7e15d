package io.eiedge.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import org.tinylog.Logger;

import java.util.concurrent.TimeUnit;

/**
 * One serial port read by one meter (a P1 port, an optical SML head, an M-Bus level converter):
 * opened on first use, closed after an I/O error and reopened by the next read, so an
 * unplugged-and-replugged USB adapter comes back by itself. Reads block until bytes arrive or a
 * deadline passes; nothing polls.
 */
public final class SerialLine implements AutoCloseable {
    /** Parity of the line. */
    public enum Parity { NONE, EVEN, ODD }

    private final String device;
    private final int baud;
    private final int dataBits;
    private final Parity parity;
    private final int stopBits;
    private SerialPort port;
    private volatile boolean closed;

    public SerialLine(String device, int baud, int dataBits, Parity parity, int stopBits) {
        if (device == null || device.isBlank()) throw new IllegalArgumentException("serial line: device is empty");
        this.device = device;
        this.baud = baud;
        this.dataBits = dataBits;
        this.parity = parity;
        this.stopBits = stopBits;
    }

    /** "/dev/ttyUSB0 115200 8N1". */
    public String describe() {
        return device + " " + baud + " " + dataBits + parity.name().charAt(0) + stopBits;
    }

    /** Signals a port that cannot be opened or failed while in use. */
    public static final class LineFault extends Exception {
        public LineFault(String message) {
            super(message);
        }
    }

    private SerialPort open() throws LineFault {
        if (closed) throw new LineFault(device + ": closed");
        if (port != null) return port;
        SerialPort p;
        try {
            p = SerialPort.getCommPort(device);
        } catch (RuntimeException e) {
            throw new LineFault("cannot open serial port " + device + " (" + e.getMessage() + "; unplugged or wrong path?)");
        }
        p.setComPortParameters(baud, dataBits, stopBits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                switch (parity) {
                    case NONE -> SerialPort.NO_PARITY;
                    case EVEN -> SerialPort.EVEN_PARITY;
                    case ODD -> SerialPort.ODD_PARITY;
                });
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!p.openPort(0)) {
            throw new LineFault("cannot open serial port " + device
                    + " (unplugged, wrong path, or no permission: is the user in group dialout?)");
        }
        Logger.info("serial {}: opened", describe());
        port = p;
        return p;
    }

    /**
     * Reads what arrives into {@code buf[offset…offset+max)} until at least one byte came or the
     * deadline ({@link System#nanoTime()}) passed.
     *
     * @return bytes read, 0 at the deadline
     */
    public int read(byte[] buf, int offset, int max, long deadlineNanos) throws LineFault {
        SerialPort p = open();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) return 0;
            p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, (int) Math.max(1, left), 0);
            int r = p.readBytes(buf, max, offset);
            if (r < 0) {
                lost("the serial port failed while reading");
            }
            if (r > 0) return r;
        }
    }

    /** Bytes waiting in the driver's buffer (what arrived since the last read). */
    public int available() throws LineFault {
        int n = open().bytesAvailable();
        if (n < 0) lost("the serial port failed");
        return n;
    }

    public void write(byte[] bytes) throws LineFault {
        SerialPort p = open();
        int w = p.writeBytes(bytes, bytes.length);
        if (w != bytes.length) lost("the serial port failed while writing");
    }

    /** Throws away whatever has arrived and not been read. */
    public void drain() throws LineFault {
        SerialPort p = open();
        byte[] junk = new byte[512];
        int n;
        while ((n = p.bytesAvailable()) > 0) {
            p.readBytes(junk, Math.min(n, junk.length));
        }
    }

    private void lost(String message) throws LineFault {
        Logger.warn("serial {}: {}; closing the port, the next read reopens it", describe(), message);
        closePort();
        throw new LineFault(device + ": " + message);
    }

    private void closePort() {
        if (port != null) {
            port.closePort();
            port = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closePort();
    }
}
